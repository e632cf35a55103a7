//! Extensions: projects, API apps and admins, managed over the project API
//! and from the command line. Each call takes the project it acts in.

use super::{Admin, ApiApp, CreatedApiApp, NewAdmin, NewApiApp, Removal};
use crate::bootstrap::{
    AdminCredentials, ApiAppCredentials, InitialCredentials, MobileAppCredentials, Seed,
};
use crate::error::{DomainError, Result};
use crate::model::{Project, ProjectId};
use crate::project::{Projects, Tags};
use crate::values::{Email, Password, Username};
use crate::{StoreError, now, secret};

/// Longest project, app or admin name, in characters.
const NAME_MAX: usize = 64;
/// Most tags on one record.
const TAGS_MAX: usize = 50;
/// Longest tag key and value, in characters.
const TAG_KEY_MAX: usize = 64;
const TAG_VALUE_MAX: usize = 256;
/// Tries at a fresh random AppID before giving up.
const APP_ID_TRIES: usize = 3;
/// Name of an app created without one.
const DEFAULT_APP_NAME: &str = "API app";

/// A new admin as a caller describes it.
#[derive(Debug, Clone, Default)]
pub struct AdminInput {
    /// 2 to 32 letters, digits, `_`, `-` or `.`, not only digits.
    pub account: String,
    /// 6 to 128 characters.
    pub password: String,
    /// Default: the account.
    pub name: Option<String>,
    /// Default: none (empty).
    pub email: Option<String>,
    pub tags: Option<Tags>,
}

/// Checks tags: at most 50, keys 1 to 64 characters, values at most 256,
/// no control characters.
pub fn check_tags(field: &'static str, tags: &Tags) -> Result<()> {
    let bad = |what: &str| DomainError::invalid(field, format!("{field} {what}"));
    if tags.len() > TAGS_MAX {
        return Err(bad(&format!("must have at most {TAGS_MAX} keys")));
    }
    for (k, v) in tags {
        let key_len = k.chars().count();
        if key_len == 0 || key_len > TAG_KEY_MAX || k.chars().any(char::is_control) {
            return Err(bad(&format!(
                "keys must be 1 to {TAG_KEY_MAX} characters without control characters"
            )));
        }
        if v.chars().count() > TAG_VALUE_MAX || v.chars().any(char::is_control) {
            return Err(bad(&format!(
                "values must be at most {TAG_VALUE_MAX} characters without control characters"
            )));
        }
    }
    Ok(())
}

/// A name: trimmed, 1 to 64 characters, no control characters.
fn name(field: &'static str, raw: &str) -> Result<String> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(DomainError::required(field));
    }
    if s.chars().count() > NAME_MAX || s.chars().any(char::is_control) {
        return Err(DomainError::invalid(
            field,
            format!("{field} must be at most {NAME_MAX} characters without control characters"),
        ));
    }
    Ok(s.to_owned())
}

impl Projects {
    /// One project; [`DomainError::NotFound`] when there is none.
    pub async fn project_by_id(&self, id: ProjectId) -> Result<Project> {
        self.store()
            .project_by_id(id)
            .await?
            .ok_or(DomainError::NotFound("project"))
    }

    /// The project created on first start.
    pub async fn default_project_id(&self) -> Result<ProjectId> {
        self.store()
            .default_project()
            .await?
            .map(|p| p.id)
            .ok_or(DomainError::NotFound("project"))
    }

    /// Every project (command line only: no project token sees others).
    pub async fn list_projects(&self) -> Result<Vec<Project>> {
        Ok(self.store().list_projects().await?)
    }

    /// Creates a project with its project key, an API app, a mobile app and
    /// an admin `admin` with a random password; returns them in clear, once.
    pub async fn create_project(&self, project_name: &str) -> Result<InitialCredentials> {
        let project_name = name("name", project_name)?;
        let admin_password = secret::alphanumeric(20);
        let secret_key = secret::alphanumeric(32);
        let seed = Seed {
            project_name,
            project_key: secret::alphanumeric(32),
            admin_account: "admin".into(),
            admin_password_hash: self.hasher().hash(&admin_password).await?,
            app_id: secret::numeric_id(12),
            access_key: secret::alphanumeric(24),
            secret_key_hash: secret::digest(&["secret_key", &secret_key]),
            client_key: secret::alphanumeric(32),
            created_at: now(),
        };
        let project_id = self.store().insert_project(&seed).await?;
        Ok(InitialCredentials {
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
        })
    }

    /// The project's API apps (without secrets).
    pub async fn api_apps(&self, project: ProjectId) -> Result<Vec<ApiApp>> {
        Ok(self.store().list_api_apps(project).await?)
    }

    /// Creates an API app; its secret key is returned here only.
    pub async fn create_api_app(
        &self,
        project: ProjectId,
        app_name: Option<&str>,
    ) -> Result<CreatedApiApp> {
        let app_name = match app_name {
            Some(raw) => name("name", raw)?,
            None => DEFAULT_APP_NAME.to_owned(),
        };
        let secret_key = secret::alphanumeric(32);
        let access_key = secret::alphanumeric(24);
        let secret_hash = secret::digest(&["secret_key", &secret_key]);
        for _ in 0..APP_ID_TRIES {
            let inserted = self
                .store()
                .insert_api_app(NewApiApp {
                    project_id: project,
                    app_id: secret::numeric_id(12),
                    name: app_name.clone(),
                    access_key: access_key.clone(),
                    secret_hash: secret_hash.clone(),
                    created_at: now(),
                })
                .await;
            match inserted {
                Ok(app) => return Ok(CreatedApiApp { app, secret_key }),
                Err(StoreError::Conflict("app_id")) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(DomainError::Internal)
    }

    /// Deletes the project's app with this AppID; its tokens stop working.
    /// The last app of a project is kept ([`DomainError::InUse`]).
    pub async fn delete_api_app(&self, project: ProjectId, app_id: &str) -> Result<()> {
        match self.store().delete_api_app(project, app_id.trim()).await? {
            Removal::Removed => Ok(()),
            Removal::NotFound => Err(DomainError::NotFound("app")),
            Removal::LastOne => Err(DomainError::InUse("the project (its last API app)")),
        }
    }

    /// The project's admins.
    pub async fn admins(&self, project: ProjectId) -> Result<Vec<Admin>> {
        Ok(self.store().list_admins(project).await?)
    }

    /// Creates an admin; a duplicate account answers
    /// `DomainError::Conflict("account")`.
    pub async fn create_admin(&self, project: ProjectId, input: AdminInput) -> Result<Admin> {
        let account = Username::parse("account", &input.account)?;
        let password = Password::parse("password", &input.password)?;
        let admin_name = match input.name.as_deref() {
            Some(raw) if !raw.trim().is_empty() => name("name", raw)?,
            _ => account.as_str().to_owned(),
        };
        let email = match input.email.as_deref().map(str::trim) {
            Some(raw) if !raw.is_empty() => Email::parse("email", raw)?.as_str().to_owned(),
            _ => String::new(),
        };
        let tags = input.tags.unwrap_or_default();
        check_tags("tags", &tags)?;
        if self
            .store()
            .admin_by_account(project, account.as_str())
            .await?
            .is_some()
        {
            return Err(DomainError::Conflict("account"));
        }
        let password_hash = self.hasher().hash(password.expose()).await?;
        Ok(self
            .store()
            .insert_admin(NewAdmin {
                project_id: project,
                account: account.as_str().to_owned(),
                name: admin_name,
                email,
                tags,
                password_hash,
                created_at: now(),
            })
            .await?)
    }

    /// Deletes the project's admin; its tokens stop working. The last admin
    /// of a project is kept ([`DomainError::InUse`]).
    pub async fn delete_admin(&self, project: ProjectId, admin_id: i64) -> Result<()> {
        match self.store().delete_admin(project, admin_id).await? {
            Removal::Removed => Ok(()),
            Removal::NotFound => Err(DomainError::NotFound("admin")),
            Removal::LastOne => Err(DomainError::InUse("the project (its last admin)")),
        }
    }

    /// Sets an admin's password and ends every token of that admin.
    pub async fn set_admin_password(
        &self,
        project: ProjectId,
        admin_id: i64,
        password: &str,
    ) -> Result<()> {
        let password = Password::parse("password", password)?;
        if self.store().admin_by_id(project, admin_id).await?.is_none() {
            return Err(DomainError::NotFound("admin"));
        }
        let hash = self.hasher().hash(password.expose()).await?;
        if self
            .store()
            .set_admin_password(project, admin_id, &hash)
            .await?
        {
            Ok(())
        } else {
            Err(DomainError::NotFound("admin"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_names() {
        let mut tags = Tags::new();
        tags.insert("floor".into(), "3".into());
        assert!(check_tags("tags", &tags).is_ok());
        tags.insert(String::new(), "x".into());
        assert!(check_tags("tags", &tags).is_err());
        assert_eq!(name("name", "  Plant  ").unwrap(), "Plant");
        assert!(name("name", " ").is_err());
        assert!(name("name", &"x".repeat(65)).is_err());
    }
}
