//! First start: the default project, its admin, an API app and a mobile app.

use serde::Serialize;

use crate::error::Result;
use crate::model::ProjectId;
use crate::password::PasswordHasher;
use crate::store::Store;
use crate::{Time, secret};

/// What the store writes on first start. Secrets appear only as digests.
#[derive(Debug, Clone)]
pub struct Seed {
    pub project_name: String,
    pub project_key: String,
    pub admin_account: String,
    pub admin_password_hash: String,
    pub app_id: String,
    pub access_key: String,
    pub secret_key_hash: String,
    pub client_key: String,
    pub created_at: Time,
}

/// The credentials printed once and written to `initial-credentials.json`.
#[derive(Debug, Clone, Serialize)]
pub struct InitialCredentials {
    pub project_id: String,
    pub project_key: String,
    pub admin: AdminCredentials,
    pub api_app: ApiAppCredentials,
    pub mobile_app: MobileAppCredentials,
}

#[derive(Debug, Clone, Serialize)]
pub struct AdminCredentials {
    pub account: String,
    pub password: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ApiAppCredentials {
    pub app_id: String,
    pub access_key: String,
    pub secret_key: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct MobileAppCredentials {
    pub client_key: String,
}

/// Creates the default project and its credentials when the database is
/// empty. Returns them, in clear, only when it created them.
pub async fn first_start(
    store: &dyn Store,
    hasher: &PasswordHasher,
) -> Result<Option<InitialCredentials>> {
    if store.default_project().await?.is_some() {
        return Ok(None);
    }
    let admin_password = secret::alphanumeric(20);
    let secret_key = secret::alphanumeric(32);
    let seed = Seed {
        project_name: "Default project".into(),
        project_key: secret::alphanumeric(32),
        admin_account: "admin".into(),
        admin_password_hash: hasher.hash(&admin_password).await?,
        app_id: secret::numeric_id(12),
        access_key: secret::alphanumeric(24),
        secret_key_hash: secret::digest(&["secret_key", &secret_key]),
        client_key: secret::alphanumeric(32),
        created_at: crate::now(),
    };
    if !store.bootstrap(&seed).await? {
        // Another process created it first.
        return Ok(None);
    }
    let project_id: ProjectId = match store.default_project().await? {
        Some(p) => p.id,
        None => return Err(crate::DomainError::Internal),
    };
    Ok(Some(InitialCredentials {
        project_id: project_id.to_string(),
        project_key: seed.project_key,
        admin: AdminCredentials {
            account: seed.admin_account,
            password: admin_password,
        },
        api_app: ApiAppCredentials {
            app_id: seed.app_id,
            access_key: seed.access_key,
            secret_key,
        },
        mobile_app: MobileAppCredentials {
            client_key: seed.client_key,
        },
    }))
}
