//! Device data and control: devices authenticate with their certificate,
//! report attributes, events, command replies and custom data streams, and
//! are driven through the project API. The device gateway (MQTT, TCP,
//! HTTP) and the project API both call [`Telemetry`]; reports reach the
//! store through the batching writer in [`ingest`]; downlinks go through a
//! [`bus::DeviceBus`].

pub mod bus;
mod certificate;
mod device_side;
mod gateways;
pub mod ingest;
pub mod model;
mod models;
mod project_side;
pub mod validate;

use std::sync::Arc;

use async_trait::async_trait;
use serde_json::Value;

use crate::Time;
use crate::model::ProjectId;
use crate::project::devices::{DeviceId, DeviceTypeId};
use crate::store::{Store, StoreResult};

pub use bus::DeviceBus;
pub use model::*;
pub use project_side::{PAGE_RECORDS_MAX, SERIES_WINDOW_MAX};
pub use validate::{
    ATTRIBUTES_MAX, IDENTIFIER_MAX, is_identifier, is_message_id, parse_attributes, parse_call,
};

/// What device data needs from persistence.
#[async_trait]
pub trait TelemetryStore: Send + Sync {
    /// The device whose certificate access token is `token`, with its
    /// project's key (compared by the caller in constant time).
    async fn device_by_token(&self, token: &str) -> StoreResult<Option<(ConnectedDevice, String)>>;
    /// The project's device `device`; `None` when it has none of that id.
    async fn project_device(
        &self,
        project: ProjectId,
        device: DeviceId,
    ) -> StoreResult<Option<ConnectedDevice>>;
    /// The project's device `device` when it is a sub-device of `gateway`.
    async fn sub_device(
        &self,
        project: ProjectId,
        gateway: DeviceId,
        device: DeviceId,
    ) -> StoreResult<Option<ConnectedDevice>>;
    /// The sub-devices attached to the project's gateway `gateway`.
    async fn sub_devices_of(
        &self,
        project: ProjectId,
        gateway: DeviceId,
    ) -> StoreResult<Vec<DeviceId>>;
    /// The gateway the project's device `device` is attached to.
    async fn gateway_of(
        &self,
        project: ProjectId,
        device: DeviceId,
    ) -> StoreResult<Option<DeviceId>>;
    /// The project with this project key, and the key as stored (compared
    /// by the caller in constant time).
    async fn project_by_key(&self, project_key: &str) -> StoreResult<Option<(ProjectId, String)>>;
    /// The project's device type with this `type_key`.
    async fn type_by_key(
        &self,
        project: ProjectId,
        type_key: &str,
    ) -> StoreResult<Option<DeviceTypeId>>;
    /// The certificate of the project's device with this `device_key`.
    async fn device_by_key(
        &self,
        project: ProjectId,
        device_key: &str,
    ) -> StoreResult<Option<crate::project::devices::Certificate>>;
    /// Writes a batch in one transaction: current values, history,
    /// learned attribute models, `active` times, events, command replies
    /// and data messages. Reports of devices that no longer exist are
    /// skipped; the values have been validated.
    async fn write_reports(&self, batch: &[Report]) -> StoreResult<()>;
    /// The attribute definitions of a device type.
    async fn attribute_models(&self, type_id: DeviceTypeId) -> StoreResult<Vec<AttributeModel>>;
    /// A device's current attributes, reported and cloud.
    async fn current_attributes(&self, device: DeviceId) -> StoreResult<Vec<Attribute>>;
    /// Stores cloud attributes (current value and history) and the
    /// models of new identifiers on the device's type.
    async fn set_cloud_attributes(
        &self,
        device: DeviceId,
        attrs: &Attributes,
        at: Time,
    ) -> StoreResult<()>;
    /// Removes current values (history stays).
    async fn remove_attributes(&self, device: DeviceId, keys: &[String]) -> StoreResult<()>;
    /// A page of one attribute's history, newest first.
    async fn series(&self, query: &SeriesQuery) -> StoreResult<Vec<Point>>;
    /// Records a connect or disconnect on `node` and sets `online`; a
    /// connect also sets the `connect` time of `active` and makes `node` the
    /// device's node. A disconnect changes nothing (and records nothing)
    /// when another node holds the device now. Nothing for a missing device.
    async fn set_presence(
        &self,
        device: DeviceId,
        online: bool,
        transport: Transport,
        at: Time,
        node: &str,
    ) -> StoreResult<()>;
    /// Records a command sent to a device.
    async fn record_command(
        &self,
        device: DeviceId,
        id: &str,
        body: &Value,
        at: Time,
    ) -> StoreResult<()>;
}

/// Why a report was refused. Nothing of it was written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The payload does not fit the protocol or the attribute model; the
    /// message says why (it is logged and may be sent to the device).
    #[error("{0}")]
    Invalid(String),
    /// The store is failing; the report was not taken.
    #[error("the store is not available")]
    Unavailable,
}

/// The device data service. Cheap to clone.
///
/// [`Telemetry::new`] starts the ingest writer on the current Tokio
/// runtime; [`Telemetry::close`] writes what is queued and stops it (so
/// does dropping the last clone, without waiting).
#[derive(Clone)]
pub struct Telemetry {
    inner: Arc<Inner>,
}

struct Inner {
    store: Arc<dyn Store>,
    data: Arc<dyn TelemetryStore>,
    bus: Arc<dyn DeviceBus>,
    ingest: ingest::Ingest,
    models: models::TypeModels,
    /// Rules evaluated on each report and presence change.
    alarms: crate::Alarms,
    /// This process's node id, recorded with each device it connects.
    node: Arc<str>,
}

impl Telemetry {
    /// The service over the two stores and the bus, checking reports
    /// against `alarms`, recording connections as held by `node`. Must be called within a Tokio runtime: it spawns
    /// the ingest writer.
    pub fn new(
        store: Arc<dyn Store>,
        data: Arc<dyn TelemetryStore>,
        bus: Arc<dyn DeviceBus>,
        alarms: crate::Alarms,
        node: &str,
    ) -> Self {
        let ingest = ingest::Ingest::start(data.clone());
        Telemetry {
            inner: Arc::new(Inner {
                store,
                data,
                bus,
                ingest,
                models: models::TypeModels::default(),
                alarms,
                node: node.into(),
            }),
        }
    }

    /// Stops taking reports (later ones get [`ReportError::Unavailable`]),
    /// writes those queued and waits until they are committed. Call it on
    /// shutdown, after the device listeners stopped.
    pub async fn close(&self) {
        self.inner.ingest.close().await;
    }

    fn data(&self) -> &dyn TelemetryStore {
        self.inner.data.as_ref()
    }

    fn node(&self) -> &str {
        &self.inner.node
    }

    fn alarms(&self) -> &crate::Alarms {
        &self.inner.alarms
    }

    fn bus(&self) -> &dyn DeviceBus {
        self.inner.bus.as_ref()
    }
}
