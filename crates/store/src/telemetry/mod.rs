//! Device data: current attributes, history, attribute models, presence,
//! commands, events and data stream messages ([`TelemetryStore`]).
//!
//! Ingest batches arrive through [`TelemetryStore::write_reports`] and are
//! written in one transaction of multi-row statements; see [`write`].

mod change;
mod gateways;
mod read;
mod rows;
mod write;

use async_trait::async_trait;
use serde_json::Value;
use thingstead_core::Time;
use thingstead_core::model::ProjectId;
use thingstead_core::project::devices::{Certificate, DeviceId, DeviceTypeId};
use thingstead_core::store::StoreResult;
use thingstead_core::telemetry::{
    Attribute, AttributeModel, Attributes, ConnectedDevice, Point, Report, SeriesQuery,
    TelemetryStore, Transport,
};

use crate::Db;

#[async_trait]
impl TelemetryStore for Db {
    async fn device_by_token(&self, token: &str) -> StoreResult<Option<(ConnectedDevice, String)>> {
        self.find_by_token(token).await
    }

    async fn project_device(
        &self,
        project: ProjectId,
        device: DeviceId,
    ) -> StoreResult<Option<ConnectedDevice>> {
        self.find_project_device(project, device).await
    }

    async fn sub_device(
        &self,
        project: ProjectId,
        gateway: DeviceId,
        device: DeviceId,
    ) -> StoreResult<Option<ConnectedDevice>> {
        self.find_sub_device(project, gateway, device).await
    }

    async fn sub_devices_of(
        &self,
        project: ProjectId,
        gateway: DeviceId,
    ) -> StoreResult<Vec<DeviceId>> {
        self.find_sub_devices_of(project, gateway).await
    }

    async fn gateway_of(
        &self,
        project: ProjectId,
        device: DeviceId,
    ) -> StoreResult<Option<DeviceId>> {
        self.find_gateway_of(project, device).await
    }

    async fn project_by_key(&self, project_key: &str) -> StoreResult<Option<(ProjectId, String)>> {
        self.find_project_by_key(project_key).await
    }

    async fn type_by_key(
        &self,
        project: ProjectId,
        type_key: &str,
    ) -> StoreResult<Option<DeviceTypeId>> {
        self.find_type_by_key(project, type_key).await
    }

    async fn device_by_key(
        &self,
        project: ProjectId,
        device_key: &str,
    ) -> StoreResult<Option<Certificate>> {
        self.find_by_device_key(project, device_key).await
    }

    async fn write_reports(&self, batch: &[Report]) -> StoreResult<()> {
        self.write_batch(batch).await
    }

    async fn attribute_models(&self, type_id: DeviceTypeId) -> StoreResult<Vec<AttributeModel>> {
        self.models_of(type_id).await
    }

    async fn current_attributes(&self, device: DeviceId) -> StoreResult<Vec<Attribute>> {
        self.current_of(device).await
    }

    async fn set_cloud_attributes(
        &self,
        device: DeviceId,
        attrs: &Attributes,
        at: Time,
    ) -> StoreResult<()> {
        self.write_cloud_attributes(device, attrs, at).await
    }

    async fn remove_attributes(&self, device: DeviceId, keys: &[String]) -> StoreResult<()> {
        self.delete_attributes(device, keys).await
    }

    async fn series(&self, query: &SeriesQuery) -> StoreResult<Vec<Point>> {
        self.page_series(query).await
    }

    async fn set_presence(
        &self,
        device: DeviceId,
        online: bool,
        transport: Transport,
        at: Time,
        node: &str,
    ) -> StoreResult<()> {
        self.write_presence(device, online, transport, at, node)
            .await
    }

    async fn record_command(
        &self,
        device: DeviceId,
        id: &str,
        body: &Value,
        at: Time,
    ) -> StoreResult<()> {
        self.insert_command(device, id, body, at).await
    }
}
