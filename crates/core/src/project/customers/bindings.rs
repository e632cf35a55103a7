//! User–device bindings: a customer's devices, a device's customers, and
//! binding and unbinding them (the last two are extensions).

use std::collections::BTreeSet;

use super::{BindOutcome, Customer};
use crate::error::{DomainError, Result};
use crate::model::UserId;
use crate::now;
use crate::project::devices::{DevicePage, PAGE_SIZE, parse_id};
use crate::project::{Caller, Projects};

/// Most devices bound in one request.
pub const MAX_BIND: usize = 100;

impl Projects {
    /// `GET /customer/{id}/devices`: page `page` (from 1) of [`PAGE_SIZE`]
    /// devices bound to the customer, in binding order. A page past the end
    /// is empty.
    pub async fn customer_devices(
        &self,
        caller: &Caller,
        id: UserId,
        page: Option<i64>,
    ) -> Result<DevicePage> {
        let page = page.unwrap_or(1);
        if page < 1 {
            return Err(DomainError::invalid(
                "page",
                "page must be a positive integer",
            ));
        }
        let user = self.customer_user(caller, id).await?;
        let offset = (page.unsigned_abs() - 1)
            .saturating_mul(PAGE_SIZE)
            .min(i64::MAX.unsigned_abs());
        let (total, items) = self
            .store()
            .customer_devices(caller.project_id, user.id, offset, PAGE_SIZE)
            .await?;
        Ok(DevicePage {
            items,
            total,
            page_total: total.div_ceil(PAGE_SIZE),
        })
    }

    /// `GET /device/{id}/customers`: the customers bound to the device, in
    /// binding order, each with its device count.
    pub async fn device_customers(&self, caller: &Caller, device: &str) -> Result<Vec<Customer>> {
        let project = caller.project_id;
        let device = parse_id(device, "device")?;
        let store = self.store();
        if store.device(project, device).await?.is_none() {
            return Err(DomainError::NotFound("device"));
        }
        let users = store.device_customers(project, device).await?;
        let ids: Vec<UserId> = users.iter().map(|u| u.id).collect();
        let counts = store.device_counts(&ids).await?;
        Ok(users
            .into_iter()
            .zip(counts.into_iter().chain(std::iter::repeat(0)))
            .map(|(user, device_count)| Customer { user, device_count })
            .collect())
    }

    /// Binds 1 to [`MAX_BIND`] devices to the customer, all or none: the
    /// first customer of a device owns it, later ones are members; binding
    /// twice changes nothing.
    #[tracing::instrument(skip_all, fields(project = caller.project_id, customer = id))]
    pub async fn bind_customer_devices(
        &self,
        caller: &Caller,
        id: UserId,
        devices: &[String],
    ) -> Result<()> {
        if devices.is_empty() || devices.len() > MAX_BIND {
            return Err(DomainError::invalid(
                "devices",
                format!("devices must hold 1 to {MAX_BIND} device ids"),
            ));
        }
        let ids = devices
            .iter()
            .map(|d| parse_id(d, "device"))
            .collect::<Result<BTreeSet<_>>>()?;
        let ids: Vec<_> = ids.into_iter().collect();
        match self
            .store()
            .bind_devices(caller.project_id, id, &ids, now())
            .await?
        {
            BindOutcome::Bound => Ok(()),
            BindOutcome::CustomerNotFound => Err(DomainError::NotFound("customer")),
            BindOutcome::DeviceNotFound => Err(DomainError::NotFound("device")),
        }
    }

    /// Removes the customer's binding to the device.
    #[tracing::instrument(skip_all, fields(project = caller.project_id, customer = id))]
    pub async fn unbind_customer_device(
        &self,
        caller: &Caller,
        id: UserId,
        device: &str,
    ) -> Result<()> {
        let device = parse_id(device, "device")?;
        let user = self.customer_user(caller, id).await?;
        if self
            .store()
            .unbind_device(caller.project_id, user.id, device)
            .await?
        {
            Ok(())
        } else {
            Err(DomainError::NotFound("binding"))
        }
    }
}
