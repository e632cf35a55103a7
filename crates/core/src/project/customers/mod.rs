//! Customers and customer roles (seed 003, 用户管理).
//!
//! A customer IS a user of the identity core: the same account that seeds
//! 000 and 001 register and log in. The project API lists them, creates them
//! with an account and a password, edits their profile, password and tags,
//! and deletes them. Roles are a project's named sets of permissions that
//! customers may hold.

mod accounts;
mod bindings;
mod fields;
mod roles;

pub use accounts::{CUSTOMER_PAGE_SIZE, Customer, CustomerPage, CustomerUpdate, NewCustomer};
pub use bindings::MAX_BIND;
pub use fields::{Descr, Locale, MAX_TAGS, RoleName, check_tags};
pub use roles::{NewRole, RoleUpdate};

use async_trait::async_trait;

use super::Tags;
use super::devices::{DeviceId, DeviceView};
use crate::Time;
use crate::model::{ProjectId, RoleId, User, UserId};
use crate::store::StoreResult;

/// A customer role as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerRole {
    pub id: RoleId,
    pub project_id: ProjectId,
    pub name: String,
    pub descr: String,
    pub allow_operate_device: bool,
    pub allow_alarm_msg_maintain: bool,
    pub allow_add_device: bool,
    pub created_at: Time,
}

/// A role about to be stored.
#[derive(Debug, Clone)]
pub struct NewCustomerRole {
    pub project_id: ProjectId,
    pub name: String,
    pub descr: String,
    pub allow_operate_device: bool,
    pub allow_alarm_msg_maintain: bool,
    pub allow_add_device: bool,
    pub created_at: Time,
}

/// Role columns to write; `None` leaves a column as it is.
#[derive(Debug, Clone, Default)]
pub struct RoleChanges {
    pub name: Option<String>,
    pub descr: Option<String>,
    pub allow_operate_device: Option<bool>,
    pub allow_alarm_msg_maintain: Option<bool>,
    pub allow_add_device: Option<bool>,
}

impl RoleChanges {
    /// True when nothing would be written.
    pub fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.descr.is_none()
            && self.allow_operate_device.is_none()
            && self.allow_alarm_msg_maintain.is_none()
            && self.allow_add_device.is_none()
    }
}

/// Customer columns to write; `None` leaves a column as it is, `Some(None)`
/// empties a nullable one.
#[derive(Debug, Clone, Default)]
pub struct CustomerChanges {
    pub nickname: Option<String>,
    pub descr: Option<String>,
    pub email: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub role_id: Option<Option<RoleId>>,
    pub locale: Option<String>,
}

impl CustomerChanges {
    /// True when nothing would be written.
    pub fn is_empty(&self) -> bool {
        self.nickname.is_none()
            && self.descr.is_none()
            && self.email.is_none()
            && self.phone.is_none()
            && self.role_id.is_none()
            && self.locale.is_none()
    }
}

/// What merging tags into a customer did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagsMerge {
    /// Written.
    Merged,
    /// No such customer in the project; nothing written.
    NotFound,
    /// The merged tags would exceed the limit; nothing written.
    TooMany,
}

/// What binding devices to a customer did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BindOutcome {
    /// Bound (or already bound).
    Bound,
    /// No such customer in the project; nothing written.
    CustomerNotFound,
    /// One of the devices is not the project's; nothing written.
    DeviceNotFound,
}

/// What deleting a role did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleDeletion {
    /// Deleted.
    Deleted,
    /// No such role in the project.
    NotFound,
    /// Customers still hold the role; nothing deleted.
    InUse,
}

/// What this part of the project API needs from the database. Customers
/// are created with [`crate::store::UserStore::insert_user`]; every other
/// call here is scoped to a project, so that another project's id reads
/// like a missing one.
#[async_trait]
pub trait CustomerStore: Send + Sync {
    /// The project's users by id, from `offset`, at most `limit` of them
    /// (all without a limit).
    async fn customers(
        &self,
        project: ProjectId,
        offset: u64,
        limit: Option<u64>,
    ) -> StoreResult<Vec<User>>;
    /// How many users the project has.
    async fn count_customers(&self, project: ProjectId) -> StoreResult<u64>;
    /// One page (`offset`, `limit`) of the devices bound to the project's
    /// user, in binding order, and how many are bound in all.
    async fn customer_devices(
        &self,
        project: ProjectId,
        user: UserId,
        offset: u64,
        limit: u64,
    ) -> StoreResult<(u64, Vec<DeviceView>)>;
    /// The users bound to the project's device, in binding order.
    async fn device_customers(
        &self,
        project: ProjectId,
        device: DeviceId,
    ) -> StoreResult<Vec<User>>;
    /// Binds the devices to the project's user in one transaction: the
    /// first user of a device owns it, later ones are members; a binding
    /// that exists stays as it is.
    async fn bind_devices(
        &self,
        project: ProjectId,
        user: UserId,
        devices: &[DeviceId],
        at: Time,
    ) -> StoreResult<BindOutcome>;
    /// Removes the binding of the device to the project's user. False when
    /// there is none.
    async fn unbind_device(
        &self,
        project: ProjectId,
        user: UserId,
        device: DeviceId,
    ) -> StoreResult<bool>;
    /// How many devices the user is bound to.
    async fn device_count(&self, user: UserId) -> StoreResult<u64>;
    /// [`CustomerStore::device_count`] for several users at once, in their
    /// order.
    async fn device_counts(&self, users: &[UserId]) -> StoreResult<Vec<u64>>;
    /// Writes the changed columns of the project's user `id`. False when
    /// there is no such user. Fails with `Conflict("phone" | "email")` on a
    /// duplicate, writing nothing.
    async fn update_customer(
        &self,
        project: ProjectId,
        id: UserId,
        changes: &CustomerChanges,
    ) -> StoreResult<bool>;
    /// Adds or overwrites `tags` on the project's user `id`, in one
    /// transaction, unless the result would hold more than `max` keys.
    async fn merge_customer_tags(
        &self,
        project: ProjectId,
        id: UserId,
        tags: &Tags,
        max: usize,
    ) -> StoreResult<TagsMerge>;
    /// Deletes the project's user `id` with its sessions and terminals, in
    /// one transaction. False when there is no such user.
    async fn delete_customer(&self, project: ProjectId, id: UserId) -> StoreResult<bool>;
    /// The project's roles by id, each with how many users hold it.
    async fn customer_roles(&self, project: ProjectId) -> StoreResult<Vec<(CustomerRole, u64)>>;
    /// The project's role `id`.
    async fn customer_role(
        &self,
        project: ProjectId,
        id: RoleId,
    ) -> StoreResult<Option<CustomerRole>>;
    /// Stores a new role.
    async fn insert_customer_role(&self, role: NewCustomerRole) -> StoreResult<CustomerRole>;
    /// Writes the changed columns of the project's role `id`. False when
    /// there is no such role.
    async fn update_customer_role(
        &self,
        project: ProjectId,
        id: RoleId,
        changes: &RoleChanges,
    ) -> StoreResult<bool>;
    /// Deletes the project's role `id` unless a user holds it, in one
    /// transaction.
    async fn delete_customer_role(
        &self,
        project: ProjectId,
        id: RoleId,
    ) -> StoreResult<RoleDeletion>;
}
