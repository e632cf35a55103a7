//! One key per type: a device that knows its project's key (and maybe a
//! type's `type_key`) gets its certificate with `POST /device/v1/certificate`,
//! created on its first call.

use super::Telemetry;
use crate::error::{DomainError, StoreError};
use crate::model::ProjectId;
use crate::project::Tags;
use crate::project::customers::BindOutcome;
use crate::project::devices::{
    Certificate, TypeChoice, default_type_choice, new_device_record, parse_id, values,
};
use crate::{now, secret};

/// Longest project key looked up; longer ones name no project.
const PROJECT_KEY_MAX: usize = 128;

/// An optional field: absent, or sent empty.
fn given(raw: Option<&str>) -> Option<&str> {
    raw.map(str::trim).filter(|s| !s.is_empty())
}

impl Telemetry {
    /// The project of a project key, and the key as stored.
    async fn project_of_key(&self, project_key: &str) -> Result<(ProjectId, String), DomainError> {
        if project_key.is_empty() || project_key.len() > PROJECT_KEY_MAX {
            return Err(DomainError::Unauthenticated);
        }
        match self.data().project_by_key(project_key).await? {
            Some((project, key)) if secret::equal(&key, project_key) => Ok((project, key)),
            _ => Err(DomainError::Unauthenticated),
        }
    }

    /// `POST /device/v1/certificate`: the device of `device_key` in the
    /// project of `project_key`, created on first call (named after its
    /// key) with the type of `type_key` (or the project's default type,
    /// created if missing) and given to customer `customer` if named; an
    /// existing device is returned as it is.
    ///
    /// Errors: an unknown project key `Unauthenticated`; a malformed
    /// `device_key` `Invalid`; a `type_key` of no type of the project
    /// `NotFound("type_key")`; a `customer` of no customer of the project
    /// `NotFound("customer")` (nothing created).
    pub async fn issue_certificate(
        &self,
        project_key: &str,
        device_key: &str,
        type_key: Option<&str>,
        customer: Option<&str>,
    ) -> Result<Certificate, DomainError> {
        let (project, key) = self.project_of_key(project_key).await?;
        let device_key = values::device_key("device_key", device_key)?;
        let choice = match given(type_key) {
            Some(type_key) => TypeChoice::Given(
                self.data()
                    .type_by_key(project, type_key)
                    .await?
                    .ok_or(DomainError::NotFound("type_key"))?,
            ),
            None => default_type_choice(project),
        };
        if let Some(existing) = self.data().device_by_key(project, &device_key).await? {
            return Ok(existing);
        }
        let store = self.inner.store.as_ref();
        let customer = match given(customer) {
            Some(raw) => {
                let id = parse_id(raw, "customer")?;
                if store.user(project, id).await?.is_none() {
                    return Err(DomainError::NotFound("customer"));
                }
                Some(id)
            }
            None => None,
        };
        let new = new_device_record(
            project,
            device_key.clone(),
            String::new(),
            device_key.clone(),
            Tags::new(),
        );
        let device = match store.insert_device(new, choice).await {
            Ok(Some(device)) => device,
            // The type was deleted meanwhile.
            Ok(None) => return Err(DomainError::NotFound("type_key")),
            // Another call created it meanwhile.
            Err(StoreError::Conflict("device_key")) => {
                return self
                    .data()
                    .device_by_key(project, &device_key)
                    .await?
                    .ok_or(DomainError::Internal);
            }
            Err(e) => return Err(e.into()),
        };
        if let Some(user) = customer {
            let bound = store.bind_devices(project, user, &[device.id], now()).await;
            if !matches!(bound, Ok(BindOutcome::Bound)) {
                // All or nothing: the device goes again.
                if let Err(e) = store.delete_device(project, device.id).await {
                    tracing::error!(error = %e, "an unbound new device could not be deleted");
                }
                return match bound {
                    Err(e) => Err(e.into()),
                    Ok(_) => Err(DomainError::NotFound("customer")),
                };
            }
        }
        Ok(Certificate {
            device_id: device.id,
            name: device.name,
            access_token: device.access_token,
            project_key: key,
        })
    }
}
