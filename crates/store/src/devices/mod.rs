//! Device types, extend-info definitions, groups, devices and their
//! extend-info values: [`DeviceStore`]. Every read and write that takes a
//! project filters on it, so another project's id finds nothing.

mod bindings;
pub(crate) mod convert;
mod groups;
mod inserts;
mod pages;
mod rows;
mod types;
mod values;

use async_trait::async_trait;
use serde_json::Value;
use thingstead_core::Time;
use thingstead_core::model::ProjectId;
use thingstead_core::project::Tags;
use thingstead_core::project::devices::*;
use thingstead_core::store::StoreResult;

use crate::Db;

pub(crate) use inserts::DeviceInserts;

#[async_trait]
impl DeviceStore for Db {
    async fn device_types(&self, project: ProjectId) -> StoreResult<Vec<DeviceTypeSummary>> {
        self.list_device_types(project).await
    }

    async fn device_type(
        &self,
        project: ProjectId,
        id: DeviceTypeId,
    ) -> StoreResult<Option<DeviceType>> {
        self.find_device_type(project, id).await
    }

    async fn insert_device_type(&self, new: NewDeviceType) -> StoreResult<DeviceType> {
        self.add_device_type(new).await
    }

    async fn update_device_type(
        &self,
        project: ProjectId,
        id: DeviceTypeId,
        update: &DeviceTypeUpdate,
    ) -> StoreResult<bool> {
        self.change_device_type(project, id, update).await
    }

    async fn delete_device_type(
        &self,
        project: ProjectId,
        id: DeviceTypeId,
    ) -> StoreResult<Deletion> {
        self.remove_device_type(project, id).await
    }

    async fn type_infos(
        &self,
        project: ProjectId,
        type_id: DeviceTypeId,
    ) -> StoreResult<Vec<InfoDef>> {
        self.list_type_infos(project, type_id).await
    }

    async fn insert_type_info(&self, new: NewInfoDef) -> StoreResult<InfoDef> {
        self.add_type_info(new).await
    }

    async fn delete_type_info(
        &self,
        project: ProjectId,
        type_id: DeviceTypeId,
        id: InfoId,
    ) -> StoreResult<bool> {
        self.remove_type_info(project, type_id, id).await
    }

    async fn device_groups(&self, project: ProjectId) -> StoreResult<Vec<DeviceGroup>> {
        self.list_groups(project).await
    }

    async fn device_group(
        &self,
        project: ProjectId,
        id: GroupId,
    ) -> StoreResult<Option<DeviceGroup>> {
        self.find_group(project, id).await
    }

    async fn insert_device_group(&self, new: NewDeviceGroup) -> StoreResult<DeviceGroup> {
        self.add_group(new).await
    }

    async fn update_device_group(
        &self,
        project: ProjectId,
        id: GroupId,
        update: &GroupUpdate,
    ) -> StoreResult<bool> {
        self.change_group(project, id, update).await
    }

    async fn delete_device_group(&self, project: ProjectId, id: GroupId) -> StoreResult<Deletion> {
        self.remove_group(project, id).await
    }

    async fn insert_device(
        &self,
        new: NewDevice,
        choice: TypeChoice,
    ) -> StoreResult<Option<Device>> {
        self.add_device(new, choice).await
    }

    async fn device(&self, project: ProjectId, id: DeviceId) -> StoreResult<Option<DeviceDetail>> {
        self.find_device(project, id).await
    }

    async fn device_marks(
        &self,
        project: ProjectId,
        filter: DeviceFilter,
        stride: u64,
    ) -> StoreResult<DeviceMarks> {
        self.list_marks(project, filter, stride).await
    }

    async fn devices_from(
        &self,
        project: ProjectId,
        filter: DeviceFilter,
        from: DeviceId,
        skip: u64,
        limit: u64,
    ) -> StoreResult<Vec<DeviceView>> {
        self.page_from(project, filter, from, skip, limit).await
    }

    async fn delete_device(&self, project: ProjectId, id: DeviceId) -> StoreResult<bool> {
        self.remove_device(project, id).await
    }

    async fn update_device_info(
        &self,
        project: ProjectId,
        id: DeviceId,
        update: &DeviceInfoUpdate,
    ) -> StoreResult<bool> {
        self.change_device_info(project, id, update).await
    }

    async fn edit_device_tags(
        &self,
        project: ProjectId,
        id: DeviceId,
        set: &Tags,
        remove: &[String],
        max: usize,
    ) -> StoreResult<TagsEdit> {
        self.change_device_tags(project, id, set, remove, max).await
    }

    async fn set_device_groups(
        &self,
        project: ProjectId,
        id: DeviceId,
        groups: &[GroupId],
    ) -> StoreResult<GroupsEdit> {
        self.replace_device_groups(project, id, groups).await
    }

    async fn device_certificate(
        &self,
        project: ProjectId,
        id: DeviceId,
    ) -> StoreResult<Option<Certificate>> {
        self.certificate(project, id).await
    }

    async fn set_device_access_token(
        &self,
        project: ProjectId,
        id: DeviceId,
        token: &str,
    ) -> StoreResult<bool> {
        self.change_access_token(project, id, token).await
    }

    async fn device_info_values(&self, device: DeviceId) -> StoreResult<Vec<StoredValue<InfoId>>> {
        self.info_values(device).await
    }

    async fn device_standard_infos(
        &self,
        device: DeviceId,
    ) -> StoreResult<Vec<StoredValue<String>>> {
        self.standard_infos(device).await
    }

    async fn set_device_info_values(
        &self,
        device: DeviceId,
        values: &[(InfoId, Value)],
        at: Time,
    ) -> StoreResult<()> {
        self.write_info_values(device, values, at).await
    }

    async fn set_device_standard_info(
        &self,
        device: DeviceId,
        info_type: &str,
        value: &Value,
        at: Time,
    ) -> StoreResult<()> {
        self.write_standard_info(device, info_type, value, at).await
    }

    async fn device_stats(&self, project: ProjectId) -> StoreResult<DeviceStats> {
        self.stats(project).await
    }
}
