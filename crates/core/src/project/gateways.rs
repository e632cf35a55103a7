//! Gateways' sub-devices (extension): a company's server attaches devices
//! to a gateway, and users bound to the gateway list them (seed 002
//! `/subdevices/list`).

use std::collections::BTreeSet;

use crate::error::{DomainError, Result};
use crate::project::devices::parse_id;
use crate::project::{Caller, Projects};

/// Most devices attached in one request.
pub const MAX_ATTACH: usize = 100;

impl Projects {
    /// Attaches 1 to [`MAX_ATTACH`] devices of the project to a gateway of
    /// the project (a device whose type has `is_gateway`), moving them from
    /// any other gateway; all or none.
    #[tracing::instrument(skip_all, fields(project = caller.project_id))]
    pub async fn attach_sub_devices(
        &self,
        caller: &Caller,
        gateway: &str,
        devices: &[String],
    ) -> Result<()> {
        let project = caller.project_id;
        let gateway = parse_id(gateway, "device")?;
        if devices.is_empty() || devices.len() > MAX_ATTACH {
            return Err(DomainError::invalid(
                "devices",
                format!("devices must hold 1 to {MAX_ATTACH} device ids"),
            ));
        }
        let ids = devices
            .iter()
            .map(|d| parse_id(d, "device"))
            .collect::<Result<BTreeSet<_>>>()?;
        if ids.contains(&gateway) {
            return Err(DomainError::invalid(
                "devices",
                "a gateway cannot be its own sub-device",
            ));
        }
        let store = self.store();
        let detail = store
            .device(project, gateway)
            .await?
            .ok_or(DomainError::NotFound("device"))?;
        let is_gateway = match detail.view.device.type_id {
            Some(t) => store
                .device_type(project, t)
                .await?
                .is_some_and(|t| t.is_gateway),
            None => false,
        };
        if !is_gateway {
            return Err(DomainError::invalid(
                "device_id",
                "the device's type is not a gateway",
            ));
        }
        let ids: Vec<_> = ids.into_iter().collect();
        if store.attach_sub_devices(project, gateway, &ids).await? {
            Ok(())
        } else {
            Err(DomainError::NotFound("device"))
        }
    }
}
