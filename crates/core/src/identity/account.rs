//! Registration, passwords, profile, alarm switch and provisioning codes.

use super::Identity;
use super::login::new_account_no;
use crate::error::{DomainError, Result};
use crate::model::{
    CodePurpose, DEFAULT_LOCALE, NewProvisionCode, NewUser, ProjectId, Session, User,
};
use crate::project::Tags;
use crate::values::{
    Code, CountryCode, Email, HeadUrl, Nickname, Password, Phone, Target, Username,
};
use crate::{now, secret};

/// Registration with a phone code (seed 000).
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub project: ProjectId,
    pub phone: Phone,
    pub country_code: CountryCode,
    pub username: Username,
    pub password: Password,
    pub code: Code,
}

/// Profile fields to change; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ProfileUpdate {
    pub nickname: Option<Nickname>,
    pub head_url: Option<HeadUrl>,
}

impl Identity {
    /// Registers an account after spending a `Register` code sent to its phone.
    #[tracing::instrument(skip(self, new))]
    pub async fn register(&self, new: NewAccount) -> Result<User> {
        let store = self.store();
        if store
            .user_by_username(new.project, new.username.as_str())
            .await?
            .is_some()
        {
            return Err(DomainError::UsernameTaken);
        }
        let target = Target::Phone(new.phone.clone());
        self.spend_code(new.project, &target, &[CodePurpose::Register], &new.code)
            .await?;
        if store
            .user_by_phone(new.project, new.phone.as_str())
            .await?
            .is_some()
        {
            return Err(DomainError::PhoneTaken);
        }
        let password_hash = self.inner.hasher.hash(new.password.expose()).await?;
        let user = store
            .insert_user(NewUser {
                project_id: new.project,
                account_no: new_account_no(),
                username: Some(new.username.as_str().to_owned()),
                phone: Some(new.phone.as_str().to_owned()),
                country_code: new.country_code.as_str().to_owned(),
                email: None,
                nickname: new.username.as_str().to_owned(),
                password_hash: Some(password_hash),
                created_at: now(),
                descr: String::new(),
                tags: Tags::new(),
                role_id: None,
                locale: DEFAULT_LOCALE.to_owned(),
            })
            .await?;
        Ok(user)
    }

    /// Sets a new password after spending a code of one of `purposes` sent
    /// to `target`, and ends every session of the account. An unknown
    /// account answers like a wrong code.
    #[tracing::instrument(skip(self, target, code, password))]
    pub async fn reset_password(
        &self,
        project: ProjectId,
        target: &Target,
        purposes: &[CodePurpose],
        code: &Code,
        password: &Password,
    ) -> Result<()> {
        self.spend_code(project, target, purposes, code).await?;
        let store = self.store();
        let user = match target {
            Target::Phone(p) => store.user_by_phone(project, p.as_str()).await?,
            Target::Email(e) => store.user_by_email(project, e.as_str()).await?,
        }
        .ok_or(DomainError::WrongCode)?;
        let hash = self.inner.hasher.hash(password.expose()).await?;
        store.set_password(user.id, &hash, None).await?;
        self.forget_sessions_of(user.id);
        Ok(())
    }

    /// Sets a new password after spending a `ChangePassword` code sent to the
    /// account's own phone (or e-mail, for an account without a phone), and
    /// ends every other session of the account.
    #[tracing::instrument(skip(self, session, code, password), fields(user = session.user_id))]
    pub async fn change_password(
        &self,
        session: &Session,
        code: &Code,
        password: &Password,
    ) -> Result<()> {
        let user = self.user(session).await?;
        let target = own_target(&user)?;
        self.spend_code(
            session.project_id,
            &target,
            &[CodePurpose::ChangePassword],
            code,
        )
        .await?;
        let hash = self.inner.hasher.hash(password.expose()).await?;
        self.store()
            .set_password(user.id, &hash, Some(session.id))
            .await?;
        self.forget_sessions_of(user.id);
        Ok(())
    }

    /// Changes nickname and avatar.
    pub async fn update_profile(&self, session: &Session, update: ProfileUpdate) -> Result<User> {
        let mut user = self.user(session).await?;
        if let Some(n) = update.nickname {
            user.nickname = n.as_str().to_owned();
        }
        if let Some(h) = update.head_url {
            user.head_url = h.as_str().to_owned();
        }
        self.store().update_user(&user).await?;
        self.forget_sessions_of(user.id);
        Ok(user)
    }

    /// Moves the account to a new phone after spending a `BindPhone` code
    /// sent to that phone.
    #[tracing::instrument(skip(self, session, phone, code), fields(user = session.user_id))]
    pub async fn change_phone(
        &self,
        session: &Session,
        phone: &Phone,
        country_code: Option<&CountryCode>,
        code: &Code,
    ) -> Result<User> {
        let mut user = self.user(session).await?;
        let target = Target::Phone(phone.clone());
        self.spend_code(session.project_id, &target, &[CodePurpose::BindPhone], code)
            .await?;
        user.phone = Some(phone.as_str().to_owned());
        if let Some(cc) = country_code {
            user.country_code = cc.as_str().to_owned();
        }
        self.store().update_user(&user).await?;
        self.forget_sessions_of(user.id);
        Ok(user)
    }

    /// Turns alarm notifications on or off for the account.
    pub async fn set_alarm_switch(&self, session: &Session, on: bool) -> Result<()> {
        let mut user = self.user(session).await?;
        user.alarm_switch = on;
        self.store().update_user(&user).await?;
        self.forget_sessions_of(user.id);
        Ok(())
    }

    /// A provisioning code for onboarding a device: random, single use,
    /// bound to the user, valid for the configured time (10 minutes).
    pub async fn create_provision_code(&self, session: &Session, kind: i32) -> Result<String> {
        let code = secret::alphanumeric(24);
        let now = now();
        self.store()
            .insert_provision_code(NewProvisionCode {
                project_id: session.project_id,
                user_id: session.user_id,
                kind,
                code_hash: secret::digest(&["provision", &code]),
                created_at: now,
                expires_at: now + self.policy().provision_ttl,
            })
            .await?;
        Ok(code)
    }
}

/// Where codes for the account itself go: its phone, else its e-mail.
fn own_target(user: &User) -> Result<Target> {
    if let Some(p) = user.phone.as_deref() {
        return Phone::parse("phone", p).map(Target::Phone);
    }
    if let Some(e) = user.email.as_deref() {
        return Email::parse("email", e).map(Target::Email);
    }
    Err(DomainError::invalid(
        "account",
        "the account has no phone number or e-mail address",
    ))
}
