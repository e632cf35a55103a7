//! What the domain needs from persistence. The store crate implements these
//! for SQLite and PostgreSQL; nothing here names a database.

use async_trait::async_trait;

use crate::Time;
use crate::error::StoreError;
use crate::model::*;

pub type StoreResult<T> = Result<T, StoreError>;

/// Projects and the apps that name them.
#[async_trait]
pub trait ProjectStore: Send + Sync {
    /// The project created on first start.
    async fn default_project(&self) -> StoreResult<Option<Project>>;
    /// The project of the mobile app with this `clientKey`.
    async fn project_by_client_key(&self, client_key: &str) -> StoreResult<Option<Project>>;
    /// Creates the first project with its admin and apps, in one
    /// transaction, if the database holds no project yet. Returns whether it
    /// did.
    async fn bootstrap(&self, seed: &crate::bootstrap::Seed) -> StoreResult<bool>;
}

/// Accounts.
#[async_trait]
pub trait UserStore: Send + Sync {
    async fn user(&self, project: ProjectId, id: UserId) -> StoreResult<Option<User>>;
    async fn user_by_phone(&self, project: ProjectId, phone: &str) -> StoreResult<Option<User>>;
    async fn user_by_username(
        &self,
        project: ProjectId,
        username: &str,
    ) -> StoreResult<Option<User>>;
    async fn user_by_email(&self, project: ProjectId, email: &str) -> StoreResult<Option<User>>;
    /// Fails with `Conflict("phone" | "username" | "email")` on a duplicate.
    async fn insert_user(&self, user: NewUser) -> StoreResult<User>;
    /// Writes the profile fields (username, phone, country code, e-mail,
    /// nickname, head URL, alarm switch, last login). Same conflicts as
    /// [`UserStore::insert_user`]. The seed 003 customer fields (note,
    /// tags, role, locale) are left alone: the project API writes them
    /// through [`crate::project::customers::CustomerStore`].
    async fn update_user(&self, user: &User) -> StoreResult<()>;
    /// Sets the password hash and ends every session of the account except
    /// `keep`, in one transaction.
    async fn set_password(
        &self,
        user: UserId,
        hash: &str,
        keep: Option<SessionId>,
    ) -> StoreResult<()>;
}

/// Sessions and the terminals they come from.
#[async_trait]
pub trait SessionStore: Send + Sync {
    async fn insert_session(&self, session: NewSession) -> StoreResult<Session>;
    async fn session(&self, id: SessionId) -> StoreResult<Option<Session>>;
    /// The session and its account, in one query.
    async fn session_with_user(&self, id: SessionId) -> StoreResult<Option<(Session, User)>>;
    async fn touch_session(&self, id: SessionId, at: Time) -> StoreResult<()>;
    async fn delete_session(&self, id: SessionId) -> StoreResult<()>;
    async fn terminal_by_device_no(
        &self,
        user: UserId,
        device_no: &str,
    ) -> StoreResult<Option<Terminal>>;
    /// Creates or refreshes the terminal `(user, device_no)` and returns it.
    async fn upsert_terminal(
        &self,
        user: UserId,
        info: &TerminalInfo,
        platform: Platform,
        at: Time,
    ) -> StoreResult<Terminal>;
    async fn terminals(&self, user: UserId) -> StoreResult<Vec<Terminal>>;
    /// Deletes the user's terminal and every session opened from it.
    /// Returns false when the user has no such terminal.
    async fn delete_terminal(&self, user: UserId, id: TerminalId) -> StoreResult<bool>;
}

/// Verification codes, their throttles, and login-failure counting.
#[async_trait]
pub trait CodeStore: Send + Sync {
    /// When the target was last sent a code.
    async fn last_send(&self, project: ProjectId, target: &str) -> StoreResult<Option<Time>>;
    async fn count_sends(&self, project: ProjectId, target: &str, since: Time) -> StoreResult<u64>;
    async fn count_sends_from(&self, client_addr: &str, since: Time) -> StoreResult<u64>;
    /// Records a send (counted by the throttles); returns its id.
    async fn record_send(
        &self,
        project: ProjectId,
        target: &str,
        client_addr: &str,
        at: Time,
    ) -> StoreResult<i64>;
    /// Forgets a send whose delivery failed.
    async fn delete_send(&self, id: i64) -> StoreResult<()>;
    /// Stores a code, spending every earlier live code of the same project,
    /// target and purpose.
    async fn replace_code(&self, code: NewCode) -> StoreResult<()>;
    /// The newest code for the target with one of `purposes` that is not
    /// spent, not expired at `now`, and has fewer than `max_attempts` wrong tries.
    async fn live_code(
        &self,
        project: ProjectId,
        target: &str,
        purposes: &[CodePurpose],
        now: Time,
        max_attempts: i32,
    ) -> StoreResult<Option<StoredCode>>;
    /// Counts one wrong try against the code.
    async fn fail_code(&self, id: i64) -> StoreResult<()>;
    /// Marks the code spent; false when someone else spent it first.
    async fn spend_code(&self, id: i64) -> StoreResult<bool>;
    async fn count_login_failures(
        &self,
        project: ProjectId,
        key: &str,
        since: Time,
    ) -> StoreResult<u64>;
    async fn record_login_failure(
        &self,
        project: ProjectId,
        key: &str,
        at: Time,
    ) -> StoreResult<()>;
    async fn clear_login_failures(&self, project: ProjectId, key: &str) -> StoreResult<()>;
}

/// Provisioning codes and upload tickets.
#[async_trait]
pub trait GrantStore: Send + Sync {
    async fn insert_provision_code(&self, code: NewProvisionCode) -> StoreResult<()>;
    async fn insert_upload_ticket(&self, ticket: NewUploadTicket) -> StoreResult<()>;
    /// The ticket with this digest, if it exists, is unused and has not
    /// expired at `now`.
    async fn upload_ticket(
        &self,
        ticket_hash: &str,
        now: Time,
    ) -> StoreResult<Option<UploadTicket>>;
    /// Marks the ticket used; false when someone else used it first.
    async fn take_upload_ticket(&self, id: i64) -> StoreResult<bool>;
}

/// Everything the domain needs from the database.
#[async_trait]
pub trait Store:
    ProjectStore
    + UserStore
    + SessionStore
    + CodeStore
    + GrantStore
    + crate::project::access::AccessStore
    + crate::project::devices::DeviceStore
    + crate::project::customers::CustomerStore
    + crate::living::LivingStore
{
    /// Answers when the database answers.
    async fn ping(&self) -> StoreResult<()>;
}

/// Where uploaded files are kept.
#[async_trait]
pub trait FileStore: Send + Sync {
    /// Stores `bytes` as `module/name`.
    async fn put(&self, module: &str, name: &str, bytes: &[u8]) -> StoreResult<()>;
    /// The stored bytes, or `None`.
    async fn get(&self, module: &str, name: &str) -> StoreResult<Option<Vec<u8>>>;
}
