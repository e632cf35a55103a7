//! Customer roles: list, create, edit, delete.

use super::fields::{Descr, RoleName};
use super::{CustomerRole, NewCustomerRole, RoleChanges, RoleDeletion};
use crate::error::{DomainError, Result};
use crate::model::RoleId;
use crate::now;
use crate::project::{Caller, Projects};

/// A role to create (`POST /customer_role`, an extension). Permissions
/// not given are off.
#[derive(Debug, Clone)]
pub struct NewRole {
    pub name: RoleName,
    pub descr: Descr,
    pub allow_operate_device: bool,
    pub allow_alarm_msg_maintain: bool,
    pub allow_add_device: bool,
}

/// Changes of `PUT /customer_role/{id}`; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct RoleUpdate {
    pub name: Option<RoleName>,
    pub descr: Option<Descr>,
    pub allow_operate_device: Option<bool>,
    pub allow_alarm_msg_maintain: Option<bool>,
    pub allow_add_device: Option<bool>,
}

const NOT_FOUND: DomainError = DomainError::NotFound("customer role");

impl Projects {
    /// The project's roles, oldest first, each with how many customers hold it.
    pub async fn customer_roles(&self, caller: &Caller) -> Result<Vec<(CustomerRole, u64)>> {
        Ok(self.store().customer_roles(caller.project_id).await?)
    }

    /// Creates a role in the caller's project.
    pub async fn create_customer_role(
        &self,
        caller: &Caller,
        new: NewRole,
    ) -> Result<CustomerRole> {
        Ok(self
            .store()
            .insert_customer_role(NewCustomerRole {
                project_id: caller.project_id,
                name: new.name.as_str().to_owned(),
                descr: new.descr.as_str().to_owned(),
                allow_operate_device: new.allow_operate_device,
                allow_alarm_msg_maintain: new.allow_alarm_msg_maintain,
                allow_add_device: new.allow_add_device,
                created_at: now(),
            })
            .await?)
    }

    /// Changes a role's name, note or permissions.
    pub async fn update_customer_role(
        &self,
        caller: &Caller,
        id: RoleId,
        update: RoleUpdate,
    ) -> Result<()> {
        let changes = RoleChanges {
            name: update.name.map(|n| n.as_str().to_owned()),
            descr: update.descr.map(|d| d.as_str().to_owned()),
            allow_operate_device: update.allow_operate_device,
            allow_alarm_msg_maintain: update.allow_alarm_msg_maintain,
            allow_add_device: update.allow_add_device,
        };
        if changes.is_empty() {
            return Err(DomainError::invalid(
                "name",
                "at least one of name, descr, allow_operate_device, allow_alarm_msg_maintain, \
                 allow_add_device is required",
            ));
        }
        if self
            .store()
            .update_customer_role(caller.project_id, id, &changes)
            .await?
        {
            Ok(())
        } else {
            Err(NOT_FOUND)
        }
    }

    /// Deletes a role; refused with `InUse("customers")` while customers hold it.
    pub async fn delete_customer_role(&self, caller: &Caller, id: RoleId) -> Result<()> {
        match self
            .store()
            .delete_customer_role(caller.project_id, id)
            .await?
        {
            RoleDeletion::Deleted => Ok(()),
            RoleDeletion::NotFound => Err(NOT_FOUND),
            RoleDeletion::InUse => Err(DomainError::InUse("customers")),
        }
    }

    /// The caller's project's role `id`, or `NotFound("customer role")`.
    pub(super) async fn role_of(&self, caller: &Caller, id: RoleId) -> Result<CustomerRole> {
        self.store()
            .customer_role(caller.project_id, id)
            .await?
            .ok_or(NOT_FOUND)
    }
}
