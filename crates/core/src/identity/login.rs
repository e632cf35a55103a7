//! Password login, code login, and issuing sessions.

use super::{Identity, TOKEN_RANDOM_LEN, token_hash};
use crate::error::{DomainError, Result};
use crate::model::{
    CodePurpose, DEFAULT_LOCALE, NewSession, NewUser, Platform, ProjectId, TerminalId,
    TerminalInfo, User,
};
use crate::password::PasswordHasher;
use crate::policy::Policy;
use crate::project::Tags;
use crate::store::{Store, StoreResult};
use crate::values::{Code, CountryCode, LoginName, Password, Phone, Target};
use crate::{StoreError, now, secret};

/// A login with account and password.
#[derive(Debug, Clone)]
pub struct PasswordLogin {
    pub project: ProjectId,
    pub name: LoginName,
    pub password: Password,
    pub platform: Platform,
    pub terminal: Option<TerminalInfo>,
    /// Apply the new-terminal rule (seed 001).
    pub check_terminal: bool,
}

/// A login with a code sent to the phone (seed 001 `codeLogin`).
#[derive(Debug, Clone)]
pub struct CodeLogin {
    pub project: ProjectId,
    pub phone: Phone,
    pub country_code: CountryCode,
    pub code: Code,
    pub platform: Platform,
    pub terminal: Option<TerminalInfo>,
}

impl Identity {
    /// Logs in with a password and returns a new session token.
    ///
    /// Wrong password and unknown account answer alike
    /// ([`DomainError::BadCredentials`]), and both count towards the
    /// failure limit. With `check_terminal`, a login from a terminal the
    /// account has never completed a login on answers
    /// [`DomainError::NewTerminal`]; a login without terminal information
    /// counts as new for the app and mini program, and is allowed for web and PC.
    #[tracing::instrument(skip(self, login), fields(platform = login.platform.id()))]
    pub async fn password_login(&self, login: PasswordLogin) -> Result<String> {
        let store = self.store();
        let user = check_password(
            store,
            &self.inner.hasher,
            self.policy(),
            login.project,
            &login.name,
            login.password.expose(),
        )
        .await?;
        if login.check_terminal {
            let known = match &login.terminal {
                Some(t) => store
                    .terminal_by_device_no(user.id, &t.device_no)
                    .await?
                    .is_some(),
                None => !login.platform.is_mobile(),
            };
            if !known {
                return Err(DomainError::NewTerminal);
            }
        }
        store
            .clear_login_failures(login.project, &login.name.key())
            .await?;
        self.open_session(user, login.platform, login.terminal.as_ref())
            .await
    }

    /// Logs in with a code of purpose `Register` sent to the phone, creating
    /// the account on first login, and makes the terminal known.
    #[tracing::instrument(skip(self, login), fields(platform = login.platform.id()))]
    pub async fn code_login(&self, login: CodeLogin) -> Result<String> {
        let target = Target::Phone(login.phone.clone());
        self.spend_code(
            login.project,
            &target,
            &[CodePurpose::Register],
            &login.code,
        )
        .await?;
        let store = self.store();
        let user = match store
            .user_by_phone(login.project, login.phone.as_str())
            .await?
        {
            Some(user) => user,
            None => {
                let phone = login.phone.as_str();
                let tail = &phone[phone.len().saturating_sub(4)..];
                let created = store
                    .insert_user(NewUser {
                        project_id: login.project,
                        account_no: new_account_no(),
                        username: None,
                        phone: Some(phone.to_owned()),
                        country_code: login.country_code.as_str().to_owned(),
                        email: None,
                        nickname: format!("用户{tail}"),
                        password_hash: None,
                        created_at: now(),
                        descr: String::new(),
                        tags: Tags::new(),
                        role_id: None,
                        locale: DEFAULT_LOCALE.to_owned(),
                    })
                    .await;
                match created {
                    Ok(user) => user,
                    // Created at the same moment by a parallel login.
                    Err(StoreError::Conflict(_)) => store
                        .user_by_phone(login.project, phone)
                        .await?
                        .ok_or(DomainError::Internal)?,
                    Err(e) => return Err(e.into()),
                }
            }
        };
        self.open_session(user, login.platform, login.terminal.as_ref())
            .await
    }

    /// Records the terminal (if any) and the login time, and stores a new
    /// session. Returns the token `<id>|<random>`.
    pub(crate) async fn open_session(
        &self,
        mut user: User,
        platform: Platform,
        terminal: Option<&TerminalInfo>,
    ) -> Result<String> {
        let store = self.store();
        let policy = self.policy();
        let now = now();
        let terminal_id: Option<TerminalId> = match terminal {
            Some(info) => Some(
                store
                    .upsert_terminal(user.id, info, platform, now)
                    .await?
                    .id,
            ),
            None => None,
        };
        let random = secret::alphanumeric(TOKEN_RANDOM_LEN);
        let idle = if platform == Platform::Web {
            policy.session_idle_web
        } else {
            policy.session_idle_app
        };
        let session = store
            .insert_session(NewSession {
                user_id: user.id,
                project_id: user.project_id,
                token_hash: token_hash(&random),
                platform,
                terminal_id,
                created_at: now,
                idle_secs: idle.num_seconds(),
                expires_at: now + policy.session_absolute,
            })
            .await?;
        user.last_login_at = Some(now);
        store.update_user(&user).await?;
        self.forget_sessions_of(user.id);
        Ok(format!("{}|{random}", session.id))
    }
}

/// Checks a password against the account `name` finds, within the
/// login-failure limit: too many recent failures answer
/// [`DomainError::TooManyRequests`]; a wrong password or an unknown account
/// answer [`DomainError::BadCredentials`] alike and count as a failure. The
/// caller clears the failures once the whole login has succeeded.
pub(crate) async fn check_password(
    store: &dyn Store,
    hasher: &PasswordHasher,
    policy: &Policy,
    project: ProjectId,
    name: &LoginName,
    password: &str,
) -> Result<User> {
    let key = name.key();
    let now = now();
    let failures = store
        .count_login_failures(project, &key, now - policy.login_failure_window)
        .await?;
    if failures >= policy.login_failure_max {
        return Err(DomainError::TooManyRequests);
    }
    let user = find_by_login(store, project, name).await?;
    let hash = user.as_ref().and_then(|u| u.password_hash.as_deref());
    let ok = hasher.verify(password, hash).await?;
    match user {
        Some(user) if ok => Ok(user),
        _ => {
            store.record_login_failure(project, &key, now).await?;
            Err(DomainError::BadCredentials)
        }
    }
}

/// The account a login name names. A phone-shaped or e-mail-shaped name
/// that matches no phone or e-mail is also tried as a user name, and an
/// all-digit customer account as a phone, so that a customer whose account
/// is `13800001111` (seed 003) logs in with it whether or not it has a
/// mobile.
pub(crate) async fn find_by_login(
    store: &dyn Store,
    project: ProjectId,
    name: &LoginName,
) -> StoreResult<Option<User>> {
    let found = match name {
        LoginName::Phone(p) => store.user_by_phone(project, p.as_str()).await?,
        LoginName::Email(e) => store.user_by_email(project, e.as_str()).await?,
        LoginName::Username(u) => store.user_by_username(project, u.as_str()).await?,
        LoginName::Account(a) => store.user_by_username(project, a.as_str()).await?,
    };
    if found.is_some() {
        return Ok(found);
    }
    match name {
        LoginName::Phone(p) => store.user_by_username(project, p.as_str()).await,
        LoginName::Email(e) => store.user_by_username(project, e.as_str()).await,
        LoginName::Account(a) if a.as_str().bytes().all(|b| b.is_ascii_digit()) => {
            store.user_by_phone(project, a.as_str()).await
        }
        // A user name is never all digits, so it is never a phone number.
        LoginName::Username(_) | LoginName::Account(_) => Ok(None),
    }
}

/// A public account number: `YH` and 15 digits.
pub(crate) fn new_account_no() -> String {
    format!("YH{}", secret::digits(15))
}
