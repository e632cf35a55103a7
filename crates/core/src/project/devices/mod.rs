//! Device types and their extend-info definitions, device groups, devices,
//! their certificates and extend infos, and device statistics (seed 003
//! 设备类型, 设备组, 设备管理, 设备扩展信息, `devices_stat`).
//!
//! Every call is scoped to the caller's project: an id that is not a
//! number, does not exist or belongs to another project answers
//! [`DomainError::NotFound`] and changes nothing.

mod groups;
mod infos;
mod manage;
pub mod model;
mod standard;
mod types;
pub mod values;

use async_trait::async_trait;
use serde_json::Value;

use crate::Time;
use crate::error::DomainError;
use crate::model::ProjectId;
use crate::project::Tags;
use crate::store::StoreResult;

pub use groups::{GroupInput, group_tree};
pub use manage::{DeviceInfoInput, DeviceInput};
pub(crate) use manage::{default_type_choice, new_device_record};
pub use model::*;
pub use standard::StandardInfo;
pub use types::{DEFAULT_TYPE_NAME, DeviceTypeInput, InfoDefInput};

/// Devices per page of `GET /devices`.
pub const PAGE_SIZE: u64 = 20;

/// Parses an id sent as a string: anything but a positive integer names no
/// record, so it answers like a missing one.
pub fn parse_id(raw: &str, what: &'static str) -> Result<i64, DomainError> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or(DomainError::NotFound(what))
}

/// What this part of the project API needs from the database. Every method
/// taking a `project` looks records up within it only.
#[async_trait]
pub trait DeviceStore: Send + Sync {
    /// The project's device types, oldest first, with their device counts.
    async fn device_types(&self, project: ProjectId) -> StoreResult<Vec<DeviceTypeSummary>>;
    async fn device_type(
        &self,
        project: ProjectId,
        id: DeviceTypeId,
    ) -> StoreResult<Option<DeviceType>>;
    /// Stores the type and its definitions in one transaction.
    async fn insert_device_type(&self, new: NewDeviceType) -> StoreResult<DeviceType>;
    /// False when the project has no such type.
    async fn update_device_type(
        &self,
        project: ProjectId,
        id: DeviceTypeId,
        update: &DeviceTypeUpdate,
    ) -> StoreResult<bool>;
    /// Refused with [`Deletion::InUse`] while devices have the type. The
    /// type's definitions go with it.
    async fn delete_device_type(
        &self,
        project: ProjectId,
        id: DeviceTypeId,
    ) -> StoreResult<Deletion>;

    /// The type's definitions, standard ones first, then by id.
    async fn type_infos(
        &self,
        project: ProjectId,
        type_id: DeviceTypeId,
    ) -> StoreResult<Vec<InfoDef>>;
    async fn insert_type_info(&self, new: NewInfoDef) -> StoreResult<InfoDef>;
    /// Deletes a definition of the type with the values devices had for it.
    /// False when the type has no such definition.
    async fn delete_type_info(
        &self,
        project: ProjectId,
        type_id: DeviceTypeId,
        id: InfoId,
    ) -> StoreResult<bool>;

    /// The project's groups, oldest first.
    async fn device_groups(&self, project: ProjectId) -> StoreResult<Vec<DeviceGroup>>;
    async fn device_group(
        &self,
        project: ProjectId,
        id: GroupId,
    ) -> StoreResult<Option<DeviceGroup>>;
    async fn insert_device_group(&self, new: NewDeviceGroup) -> StoreResult<DeviceGroup>;
    /// False when the project has no such group.
    async fn update_device_group(
        &self,
        project: ProjectId,
        id: GroupId,
        update: &GroupUpdate,
    ) -> StoreResult<bool>;
    /// Refused with [`Deletion::InUse`] while the group has sub-groups; its
    /// devices just leave it.
    async fn delete_device_group(&self, project: ProjectId, id: GroupId) -> StoreResult<Deletion>;

    /// Stores the device with the chosen type: a given one only if it is a
    /// type of `new.project_id` (`None` when it is not), or the project's
    /// default type, created in the same transaction if missing (two
    /// callers at once get the same one). `Conflict("device_key")` on a
    /// duplicate key, with nothing written.
    async fn insert_device(
        &self,
        new: NewDevice,
        choice: TypeChoice,
    ) -> StoreResult<Option<Device>>;
    /// The device with its type brief and group ids.
    async fn device(&self, project: ProjectId, id: DeviceId) -> StoreResult<Option<DeviceDetail>>;
    /// One page (`offset`, `limit`) of the project's devices matching the
    /// filter, by id, and how many match in all.
    async fn devices(
        &self,
        project: ProjectId,
        filter: DeviceFilter,
        offset: u64,
        limit: u64,
    ) -> StoreResult<(u64, Vec<DeviceView>)>;
    /// False when the project has no such device. Its group memberships and
    /// extend-info values go with it.
    async fn delete_device(&self, project: ProjectId, id: DeviceId) -> StoreResult<bool>;
    /// False when the project has no such device. `Conflict("device_key")`
    /// on a duplicate key.
    async fn update_device_info(
        &self,
        project: ProjectId,
        id: DeviceId,
        update: &DeviceInfoUpdate,
    ) -> StoreResult<bool>;
    /// Sets the tags of `set`, then removes the keys of `remove`, in one
    /// transaction; refused when the result would have more than `max` tags.
    async fn edit_device_tags(
        &self,
        project: ProjectId,
        id: DeviceId,
        set: &Tags,
        remove: &[String],
        max: usize,
    ) -> StoreResult<TagsEdit>;
    /// Replaces the device's groups; every group must be the project's.
    async fn set_device_groups(
        &self,
        project: ProjectId,
        id: DeviceId,
        groups: &[GroupId],
    ) -> StoreResult<GroupsEdit>;
    /// The device's access token with its project's key.
    async fn device_certificate(
        &self,
        project: ProjectId,
        id: DeviceId,
    ) -> StoreResult<Option<Certificate>>;
    /// False when the project has no such device.
    async fn set_device_access_token(
        &self,
        project: ProjectId,
        id: DeviceId,
        token: &str,
    ) -> StoreResult<bool>;

    /// The device's values of custom definitions.
    async fn device_info_values(&self, device: DeviceId) -> StoreResult<Vec<StoredValue<InfoId>>>;
    /// The device's standard infos.
    async fn device_standard_infos(
        &self,
        device: DeviceId,
    ) -> StoreResult<Vec<StoredValue<String>>>;
    /// Writes the values (creating or replacing each) in one transaction.
    async fn set_device_info_values(
        &self,
        device: DeviceId,
        values: &[(InfoId, Value)],
        at: Time,
    ) -> StoreResult<()>;
    /// Creates or replaces one standard info of the device.
    async fn set_device_standard_info(
        &self,
        device: DeviceId,
        info_type: &str,
        value: &Value,
        at: Time,
    ) -> StoreResult<()>;

    /// Counts over the project's devices.
    async fn device_stats(&self, project: ProjectId) -> StoreResult<DeviceStats>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_that_are_not_positive_numbers_name_nothing() {
        assert_eq!(parse_id(" 12 ", "device").ok(), Some(12));
        for raw in ["", "0", "-3", "abc", "1.5", "99999999999999999999"] {
            assert!(
                matches!(
                    parse_id(raw, "device"),
                    Err(DomainError::NotFound("device"))
                ),
                "{raw}"
            );
        }
    }
}
