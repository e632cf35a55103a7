//! Device data: current attributes, history, presence and commands.

use async_trait::async_trait;
use serde_json::Value;
use thingstead_core::StoreError;
use thingstead_core::Time;
use thingstead_core::project::devices::{DeviceId, DeviceTypeId};
use thingstead_core::store::StoreResult;
use thingstead_core::telemetry::{
    Attribute, AttributeModel, Attributes, ConnectedDevice, Point, Report, SeriesQuery,
    TelemetryStore, Transport,
};

use crate::Db;

fn missing() -> StoreError {
    StoreError::Backend("device data is not stored yet".into())
}

#[async_trait]
impl TelemetryStore for Db {
    async fn device_by_token(
        &self,
        _token: &str,
    ) -> StoreResult<Option<(ConnectedDevice, String)>> {
        Err(missing())
    }
    async fn write_reports(&self, _batch: &[Report]) -> StoreResult<()> {
        Err(missing())
    }
    async fn attribute_models(&self, _type_id: DeviceTypeId) -> StoreResult<Vec<AttributeModel>> {
        Err(missing())
    }
    async fn current_attributes(&self, _device: DeviceId) -> StoreResult<Vec<Attribute>> {
        Err(missing())
    }
    async fn set_cloud_attributes(
        &self,
        _device: DeviceId,
        _attrs: &Attributes,
        _at: Time,
    ) -> StoreResult<()> {
        Err(missing())
    }
    async fn remove_attributes(&self, _device: DeviceId, _keys: &[String]) -> StoreResult<()> {
        Err(missing())
    }
    async fn series(&self, _query: &SeriesQuery) -> StoreResult<Vec<Point>> {
        Err(missing())
    }
    async fn set_presence(
        &self,
        _device: DeviceId,
        _online: bool,
        _transport: Transport,
        _at: Time,
    ) -> StoreResult<()> {
        Err(missing())
    }
    async fn record_command(
        &self,
        _device: DeviceId,
        _id: &str,
        _body: &Value,
        _at: Time,
    ) -> StoreResult<()> {
        Err(missing())
    }
}
