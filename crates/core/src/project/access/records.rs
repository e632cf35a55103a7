//! The records of project access: API apps, admins and project tokens.

use crate::Time;
use crate::model::ProjectId;
use crate::project::Tags;

/// A server-to-server API app of a project.
#[derive(Debug, Clone)]
pub struct ApiApp {
    pub id: i64,
    pub project_id: ProjectId,
    /// The public AppID (`app_id` of `access_token`).
    pub app_id: String,
    pub name: String,
    pub access_key: String,
    /// `secret::digest(&["secret_key", key])`; the key itself is never kept.
    pub secret_hash: String,
    pub created_at: Time,
}

/// An API app about to be stored.
#[derive(Debug, Clone)]
pub struct NewApiApp {
    pub project_id: ProjectId,
    pub app_id: String,
    pub name: String,
    pub access_key: String,
    pub secret_hash: String,
    pub created_at: Time,
}

/// A new API app with its secret key in clear, shown once.
#[derive(Debug, Clone)]
pub struct CreatedApiApp {
    pub app: ApiApp,
    pub secret_key: String,
}

/// A project administrator.
#[derive(Debug, Clone)]
pub struct Admin {
    pub id: i64,
    pub project_id: ProjectId,
    pub account: String,
    pub name: String,
    pub email: String,
    pub tags: Tags,
    /// Argon2id PHC string.
    pub password_hash: String,
    pub created_at: Time,
}

/// An admin about to be stored.
#[derive(Debug, Clone)]
pub struct NewAdmin {
    pub project_id: ProjectId,
    pub account: String,
    pub name: String,
    pub email: String,
    pub tags: Tags,
    pub password_hash: String,
    pub created_at: Time,
}

/// A project token as stored: for an app or for an admin.
#[derive(Debug, Clone)]
pub struct ProjectToken {
    pub id: i64,
    pub project_id: ProjectId,
    /// The `api_apps` row of an app token.
    pub app_id: Option<i64>,
    /// The `admins` row of an admin token.
    pub admin_id: Option<i64>,
    pub token_hash: String,
    pub created_at: Time,
    pub expires_at: Time,
}

/// A project token about to be stored.
#[derive(Debug, Clone)]
pub struct NewProjectToken {
    pub project_id: ProjectId,
    pub app_id: Option<i64>,
    pub admin_id: Option<i64>,
    pub token_hash: String,
    pub created_at: Time,
    pub expires_at: Time,
}

/// A token handed out, with its lifetime in seconds.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    pub token: String,
    pub expires_in: i64,
}

/// What a delete did. The last app or admin of a project is kept, so that
/// the project can still be reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    /// Deleted, with its tokens.
    Removed,
    /// The project has no such record.
    NotFound,
    /// It is the project's last one; nothing changed.
    LastOne,
}
