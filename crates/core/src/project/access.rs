//! Who calls the project API: API apps (`access_token`) and admins
//! (`admin_login`), the project tokens they get, and the project and admin
//! they read. Managing apps, admins and projects is in [`manage`].
//!
//! A project token is `<id>.<40 alphanumerics>`; only
//! `digest("project-token", random)` is stored. User session tokens use `|`
//! and a different digest label, so neither kind is ever taken for the other.

mod manage;
mod records;

pub use manage::{AdminInput, check_tags};
pub use records::*;

use async_trait::async_trait;
use chrono::Duration;

use super::{Caller, CallerKind, Projects};
use crate::bootstrap::Seed;
use crate::error::{DomainError, Result};
use crate::model::{Project, ProjectId};
use crate::store::StoreResult;
use crate::{Time, now, secret};

/// Lifetime of an app token (`access_token`), in seconds.
pub const APP_TOKEN_TTL_SECS: i64 = 86_400;
/// Lifetime of an admin token (`admin_login`), in seconds.
pub const ADMIN_TOKEN_TTL_SECS: i64 = 7 * 86_400;
/// Length of the random part of a project token (about 238 bits).
const TOKEN_RANDOM_LEN: usize = 40;
/// Longest credential field looked at; longer ones are simply wrong.
const CREDENTIAL_MAX_LEN: usize = 128;
/// Compared against when the app does not exist, so that an unknown app
/// takes as long as a wrong key.
const DUMMY_DIGEST: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What this part of the project API needs from the database.
#[async_trait]
pub trait AccessStore: Send + Sync {
    /// One project.
    async fn project_by_id(&self, id: ProjectId) -> StoreResult<Option<Project>>;
    /// Every project, by id.
    async fn list_projects(&self) -> StoreResult<Vec<Project>>;
    /// Creates a project with its admin, API app and mobile app, in one
    /// transaction; it becomes the default project when there is none yet.
    /// Returns its id.
    async fn insert_project(&self, seed: &Seed) -> StoreResult<ProjectId>;
    /// The app with this public AppID, in any project.
    async fn api_app_by_app_id(&self, app_id: &str) -> StoreResult<Option<ApiApp>>;
    /// The project's apps, by id.
    async fn list_api_apps(&self, project: ProjectId) -> StoreResult<Vec<ApiApp>>;
    /// Fails with `Conflict("app_id")` on a duplicate AppID.
    async fn insert_api_app(&self, app: NewApiApp) -> StoreResult<ApiApp>;
    /// Deletes the project's app with this AppID and its tokens, unless it
    /// is the project's last one.
    async fn delete_api_app(&self, project: ProjectId, app_id: &str) -> StoreResult<Removal>;
    /// The project's admins, by id.
    async fn list_admins(&self, project: ProjectId) -> StoreResult<Vec<Admin>>;
    /// The project's admin with this id.
    async fn admin_by_id(&self, project: ProjectId, id: i64) -> StoreResult<Option<Admin>>;
    /// The project's admin with this account.
    async fn admin_by_account(
        &self,
        project: ProjectId,
        account: &str,
    ) -> StoreResult<Option<Admin>>;
    /// Fails with `Conflict("account")` on a duplicate account in the project.
    async fn insert_admin(&self, admin: NewAdmin) -> StoreResult<Admin>;
    /// Deletes the project's admin and its tokens, unless it is the
    /// project's last one.
    async fn delete_admin(&self, project: ProjectId, id: i64) -> StoreResult<Removal>;
    /// Sets the admin's password hash and deletes its tokens, in one
    /// transaction. False when the project has no such admin.
    async fn set_admin_password(
        &self,
        project: ProjectId,
        id: i64,
        hash: &str,
    ) -> StoreResult<bool>;
    /// Stores a token (and forgets expired ones); returns its id.
    async fn insert_project_token(&self, token: NewProjectToken) -> StoreResult<i64>;
    /// The token with this id, expired or not.
    async fn project_token(&self, id: i64) -> StoreResult<Option<ProjectToken>>;
    /// Forgets one token.
    async fn delete_project_token(&self, id: i64) -> StoreResult<()>;
    /// Wrong credentials recorded under `key` since `since`.
    async fn count_auth_failures(&self, key: &str, since: Time) -> StoreResult<u64>;
    /// Records a failure under `key`, forgetting every failure (of any key)
    /// older than `forget_before`.
    async fn record_auth_failure(
        &self,
        key: &str,
        at: Time,
        forget_before: Time,
    ) -> StoreResult<()>;
    /// Forgets the failures under `key` (after a success).
    async fn clear_auth_failures(&self, key: &str) -> StoreResult<()>;
}

impl Projects {
    /// The caller a project access token names. Any malformed, unknown,
    /// forged or expired token (a user session token included) answers
    /// [`DomainError::Unauthenticated`].
    pub async fn authenticate(&self, token: &str) -> Result<Caller> {
        let (id, random) = parse_token(token).ok_or(DomainError::Unauthenticated)?;
        let stored = self
            .store()
            .project_token(id)
            .await?
            .ok_or(DomainError::Unauthenticated)?;
        if !secret::equal(&token_hash(random), &stored.token_hash) {
            return Err(DomainError::Unauthenticated);
        }
        if now() >= stored.expires_at {
            self.store().delete_project_token(stored.id).await?;
            return Err(DomainError::Unauthenticated);
        }
        let kind = match (stored.app_id, stored.admin_id) {
            (Some(app_id), _) => CallerKind::App { app_id },
            (None, Some(admin_id)) => CallerKind::Admin { admin_id },
            (None, None) => return Err(DomainError::Unauthenticated),
        };
        Ok(Caller {
            project_id: stored.project_id,
            kind,
        })
    }

    /// `POST /access_token`: an app token valid [`APP_TOKEN_TTL_SECS`].
    /// An unknown app and a wrong key answer alike
    /// ([`DomainError::BadCredentials`]) and count towards the failure limit
    /// of `app:<app_id>`.
    #[tracing::instrument(skip_all)]
    pub async fn access_token(
        &self,
        app_id: &str,
        access_key: &str,
        secret_key: &str,
    ) -> Result<IssuedToken> {
        let app_id = credential("app_id", app_id)?;
        let access_key = credential("access_key", access_key)?;
        let secret_key = credential("secret_key", secret_key)?;
        let key = format!("app:{app_id}");
        let now = now();
        self.check_failures(&key, now).await?;
        let app = self.store().api_app_by_app_id(app_id).await?;
        let presented = secret::digest(&["secret_key", secret_key]);
        let (stored_key, stored_hash) = match &app {
            Some(a) => (a.access_key.as_str(), a.secret_hash.as_str()),
            None => ("", DUMMY_DIGEST),
        };
        // `&`, not `&&`: both comparisons always run.
        let matches =
            secret::equal(access_key, stored_key) & secret::equal(&presented, stored_hash);
        let app = match app {
            Some(app) if matches => app,
            _ => return Err(self.fail(&key, now).await),
        };
        self.store().clear_auth_failures(&key).await?;
        let token = self
            .issue(app.project_id, Some(app.id), None, APP_TOKEN_TTL_SECS)
            .await?;
        Ok(IssuedToken {
            token,
            expires_in: APP_TOKEN_TTL_SECS,
        })
    }

    /// `POST /admin_login`: an admin token valid [`ADMIN_TOKEN_TTL_SECS`].
    /// An unknown app, an unknown account and a wrong password answer alike
    /// and take the same time; failures count under
    /// `admin:<app_id>:<account>`.
    #[tracing::instrument(skip_all)]
    pub async fn admin_login(
        &self,
        app_id: &str,
        account: &str,
        password: &str,
    ) -> Result<IssuedToken> {
        let app_id = credential("app_id", app_id)?;
        let account = credential("account", account)?;
        let password = credential("password", password)?;
        let key = format!("admin:{app_id}:{account}");
        let now = now();
        self.check_failures(&key, now).await?;
        let admin = match self.store().api_app_by_app_id(app_id).await? {
            Some(app) => {
                self.store()
                    .admin_by_account(app.project_id, account)
                    .await?
            }
            None => None,
        };
        let hash = admin.as_ref().map(|a| a.password_hash.as_str());
        let ok = self.hasher().verify(password, hash).await?;
        let admin = match admin {
            Some(admin) if ok => admin,
            _ => return Err(self.fail(&key, now).await),
        };
        self.store().clear_auth_failures(&key).await?;
        let token = self
            .issue(admin.project_id, None, Some(admin.id), ADMIN_TOKEN_TTL_SECS)
            .await?;
        Ok(IssuedToken {
            token,
            expires_in: ADMIN_TOKEN_TTL_SECS,
        })
    }

    /// `GET /project`: the caller's project.
    pub async fn project(&self, caller: &Caller) -> Result<Project> {
        self.project_by_id(caller.project_id).await
    }

    /// `GET /admin`: the admin an admin token names. An app token is
    /// refused with [`DomainError::Forbidden`].
    pub async fn admin(&self, caller: &Caller) -> Result<Admin> {
        let CallerKind::Admin { admin_id } = caller.kind else {
            return Err(DomainError::Forbidden);
        };
        self.store()
            .admin_by_id(caller.project_id, admin_id)
            .await?
            .ok_or(DomainError::Unauthenticated)
    }

    async fn check_failures(&self, key: &str, now: Time) -> Result<()> {
        let policy = self.policy();
        let failures = self
            .store()
            .count_auth_failures(key, now - policy.login_failure_window)
            .await?;
        if failures >= policy.login_failure_max {
            return Err(DomainError::TooManyRequests);
        }
        Ok(())
    }

    /// Records a failure; the error to answer with.
    async fn fail(&self, key: &str, now: Time) -> DomainError {
        let forget_before = now - self.policy().login_failure_window;
        match self
            .store()
            .record_auth_failure(key, now, forget_before)
            .await
        {
            Ok(()) => DomainError::BadCredentials,
            Err(e) => e.into(),
        }
    }

    async fn issue(
        &self,
        project_id: ProjectId,
        app_id: Option<i64>,
        admin_id: Option<i64>,
        ttl_secs: i64,
    ) -> Result<String> {
        let random = secret::alphanumeric(TOKEN_RANDOM_LEN);
        let now = now();
        let id = self
            .store()
            .insert_project_token(NewProjectToken {
                project_id,
                app_id,
                admin_id,
                token_hash: token_hash(&random),
                created_at: now,
                expires_at: now + Duration::seconds(ttl_secs),
            })
            .await?;
        Ok(format!("{id}.{random}"))
    }
}

/// A credential field: required; longer than any real one is simply wrong.
fn credential<'a>(field: &'static str, raw: &'a str) -> Result<&'a str> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(DomainError::required(field));
    }
    if s.len() > CREDENTIAL_MAX_LEN {
        return Err(DomainError::BadCredentials);
    }
    Ok(s)
}

/// Splits `<id>.<random>`.
fn parse_token(token: &str) -> Option<(i64, &str)> {
    let (id, random) = token.trim().split_once('.')?;
    let id = id.parse::<i64>().ok()?;
    (random.len() == TOKEN_RANDOM_LEN && random.bytes().all(|b| b.is_ascii_alphanumeric()))
        .then_some((id, random))
}

fn token_hash(random: &str) -> String {
    secret::digest(&["project-token", random])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_shape() {
        let r = secret::alphanumeric(TOKEN_RANDOM_LEN);
        assert_eq!(parse_token(&format!("15.{r}")), Some((15, r.as_str())));
        assert_eq!(parse_token(&format!("15|{r}")), None, "a user token");
        assert_eq!(parse_token("15.short"), None);
        assert_eq!(parse_token(&format!("x.{r}")), None);
        assert_eq!(parse_token(""), None);
        assert_ne!(token_hash(&r), secret::digest(&["session", &r]));
    }
}
