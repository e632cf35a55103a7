//! Request and response bodies of authentication, project, admin, and the
//! app and admin extensions. Ids are strings, times unix milliseconds.

use serde::{Deserialize, Serialize};
use thingstead_core::DomainError;
use thingstead_core::model::Project;
use thingstead_core::project::Tags;
use thingstead_core::project::access::{Admin, ApiApp};
use thingstead_http::LooseString;
use utoipa::ToSchema;

/// A required field, given and not blank.
pub fn required(field: &'static str, value: Option<LooseString>) -> Result<String, DomainError> {
    match value {
        Some(LooseString(s)) if !s.trim().is_empty() => Ok(s),
        _ => Err(DomainError::required(field)),
    }
}

/// `POST /api/v1/access_token`
#[derive(Debug, Deserialize, ToSchema)]
pub struct AccessTokenBody {
    /// The app's AppID.
    #[schema(value_type = Option<String>)]
    pub app_id: Option<LooseString>,
    #[schema(value_type = Option<String>)]
    pub access_key: Option<LooseString>,
    #[schema(value_type = Option<String>)]
    pub secret_key: Option<LooseString>,
}

/// `POST /api/v1/admin_login`
#[derive(Debug, Deserialize, ToSchema)]
pub struct AdminLoginBody {
    /// The AppID of one of the project's API apps.
    #[schema(value_type = Option<String>)]
    pub app_id: Option<LooseString>,
    #[schema(value_type = Option<String>)]
    pub account: Option<LooseString>,
    #[schema(value_type = Option<String>)]
    pub password: Option<LooseString>,
}

/// An app token.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppToken {
    pub access_token: String,
    /// Seconds: 86400.
    pub expires_in: i64,
}

/// An admin token (valid 7 days).
#[derive(Debug, Serialize, ToSchema)]
pub struct AdminToken {
    pub access_token: String,
}

/// `GET /api/v1/project`
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectInfo {
    pub id: String,
    pub name: String,
    pub descr: String,
    pub tags: Tags,
}

impl From<Project> for ProjectInfo {
    fn from(p: Project) -> Self {
        ProjectInfo {
            id: p.id.to_string(),
            name: p.name,
            descr: p.descr,
            tags: p.tags,
        }
    }
}

/// `GET /api/v1/admin`.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdminInfo {
    pub id: String,
    pub account: String,
    pub name: String,
    pub email: String,
    pub tags: Tags,
}

impl From<Admin> for AdminInfo {
    fn from(a: Admin) -> Self {
        AdminInfo {
            id: a.id.to_string(),
            account: a.account,
            name: a.name,
            email: a.email,
            tags: a.tags,
        }
    }
}

/// An item of `GET /api/v1/admins`, and the answer of `POST /api/v1/admins`.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdminItem {
    #[serde(flatten)]
    pub admin: AdminInfo,
    /// Unix milliseconds.
    pub create_time: i64,
}

impl From<Admin> for AdminItem {
    fn from(a: Admin) -> Self {
        let create_time = a.created_at.timestamp_millis();
        AdminItem {
            admin: AdminInfo::from(a),
            create_time,
        }
    }
}

/// An API app, without its secret key.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppInfo {
    pub id: String,
    /// The AppID used by `access_token`, `admin_login` and `DELETE /app/{app_id}`.
    pub app_id: String,
    pub name: String,
    pub access_key: String,
    /// Unix milliseconds.
    pub create_time: i64,
}

impl From<ApiApp> for AppInfo {
    fn from(a: ApiApp) -> Self {
        AppInfo {
            id: a.id.to_string(),
            app_id: a.app_id,
            name: a.name,
            access_key: a.access_key,
            create_time: a.created_at.timestamp_millis(),
        }
    }
}

/// A new API app: its secret key is shown here only.
#[derive(Debug, Serialize, ToSchema)]
pub struct NewAppInfo {
    #[serde(flatten)]
    pub app: AppInfo,
    pub secret_key: String,
}

/// A list answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Items<T> {
    pub items: Vec<T>,
}

/// `POST /api/v1/apps`
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewAppBody {
    /// Default `API app`.
    pub name: Option<String>,
}

/// `POST /api/v1/admins`
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewAdminBody {
    /// 2 to 32 letters, digits, `_`, `-` or `.`, not only digits.
    #[schema(value_type = Option<String>)]
    pub account: Option<LooseString>,
    /// 6 to 128 characters.
    #[schema(value_type = Option<String>)]
    pub password: Option<LooseString>,
    /// Default: the account.
    pub name: Option<String>,
    pub email: Option<String>,
    pub tags: Option<Tags>,
}

/// `PUT /api/v1/admin/{admin_id}/pwd`
#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordBody {
    /// 6 to 128 characters.
    #[schema(value_type = Option<String>)]
    pub password: Option<LooseString>,
}
