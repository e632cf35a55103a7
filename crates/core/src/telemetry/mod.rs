//! Device data and control: devices authenticate with their certificate,
//! report attributes, events, command replies and custom data streams, and
//! are driven through the project API. The device gateway (MQTT, TCP,
//! HTTP) and the project API both call [`Telemetry`]; reports reach the
//! store through the batching writer in [`ingest`]; downlinks go through a
//! [`bus::DeviceBus`].

pub mod bus;
pub mod model;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use serde_json::Value;

use crate::Time;
use crate::error::DomainError;
use crate::model::ProjectId;
use crate::project::devices::{DeviceId, DeviceTypeId};
use crate::store::{Store, StoreResult};

pub use bus::DeviceBus;
pub use model::*;

/// What device data needs from persistence.
#[async_trait]
pub trait TelemetryStore: Send + Sync {
    /// The device whose certificate access token is `token`, with its
    /// project's key (compared by the caller in constant time).
    async fn device_by_token(&self, token: &str) -> StoreResult<Option<(ConnectedDevice, String)>>;
    /// Writes a batch in one transaction: current values, history,
    /// learned attribute models, `active` times, events, command replies
    /// and data messages.
    async fn write_reports(&self, batch: &[Report]) -> StoreResult<()>;
    /// The attribute definitions of a device type.
    async fn attribute_models(&self, type_id: DeviceTypeId) -> StoreResult<Vec<AttributeModel>>;
    /// A device's current attributes, reported and cloud.
    async fn current_attributes(&self, device: DeviceId) -> StoreResult<Vec<Attribute>>;
    /// Stores cloud attributes (current value and history).
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
    /// Records a connect or disconnect and sets `online`.
    async fn set_presence(
        &self,
        device: DeviceId,
        online: bool,
        transport: Transport,
        at: Time,
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
#[derive(Clone)]
pub struct Telemetry {
    #[allow(dead_code)]
    inner: Arc<Inner>,
}

#[allow(dead_code)]
struct Inner {
    store: Arc<dyn Store>,
    data: Arc<dyn TelemetryStore>,
    bus: Arc<dyn DeviceBus>,
}

impl Telemetry {
    pub fn new(
        store: Arc<dyn Store>,
        data: Arc<dyn TelemetryStore>,
        bus: Arc<dyn DeviceBus>,
    ) -> Self {
        Telemetry {
            inner: Arc::new(Inner { store, data, bus }),
        }
    }

    // ----- the device side (gateway) -----

    /// The device presenting `access_token` and `project_key`; `None` for
    /// anything else (unknown token, wrong key).
    pub async fn authenticate(
        &self,
        access_token: &str,
        project_key: &str,
    ) -> Result<Option<ConnectedDevice>, DomainError> {
        let _ = (access_token, project_key);
        todo!()
    }

    /// A connection came up: records presence, and returns the cloud
    /// attributes to push to the device now.
    pub async fn connected(
        &self,
        device: &ConnectedDevice,
        transport: Transport,
    ) -> Result<Attributes, DomainError> {
        let _ = (device, transport);
        todo!()
    }

    /// The device's connection ended.
    pub async fn disconnected(
        &self,
        device: &ConnectedDevice,
        transport: Transport,
    ) -> Result<(), DomainError> {
        let _ = (device, transport);
        todo!()
    }

    /// Validates and queues a report (waiting for room in the queue). With
    /// `durable`, returns only once it is committed (QoS 1 before PUBACK).
    pub async fn report(
        &self,
        device: &ConnectedDevice,
        body: ReportBody,
        durable: bool,
    ) -> Result<(), ReportError> {
        let _ = (device, body, durable);
        todo!()
    }

    /// `attributes/get`: the device's current values, all or `keys`.
    pub async fn attributes_for_device(
        &self,
        device: &ConnectedDevice,
        keys: Option<&[String]>,
    ) -> Result<Attributes, DomainError> {
        let _ = (device, keys);
        todo!()
    }

    /// `POST /device/v1/certificate`: the device of `device_key` in the
    /// project of `project_key`, created on first call with the type of
    /// `type_key` (or the project's default type) and given to customer
    /// `customer` if named.
    pub async fn issue_certificate(
        &self,
        project_key: &str,
        device_key: &str,
        type_key: Option<&str>,
        customer: Option<&str>,
    ) -> Result<crate::project::devices::Certificate, DomainError> {
        let _ = (project_key, device_key, type_key, customer);
        todo!()
    }

    // ----- the project API side (seed 003) -----

    /// `GET /api/v1/device/<id>/attributes`.
    pub async fn attributes(
        &self,
        project: ProjectId,
        device: &str,
    ) -> Result<Vec<AttributeView>, DomainError> {
        let _ = (project, device);
        todo!()
    }

    /// `GET /api/v1/device/<id>/attributes_raw`.
    pub async fn attributes_raw(
        &self,
        project: ProjectId,
        device: &str,
    ) -> Result<Attributes, DomainError> {
        let _ = (project, device);
        todo!()
    }

    /// `GET /api/v1/device/<id>/attribute/<identifier>/series`; `page`
    /// from 1, `page_records` 1..=100, a window of at most 30 days.
    pub async fn series(
        &self,
        project: ProjectId,
        device: &str,
        identifier: &str,
        page: u64,
        page_records: u64,
        window: Option<(Time, Time)>,
    ) -> Result<Vec<Point>, DomainError> {
        let _ = (project, device, identifier, page, page_records, window);
        todo!()
    }

    /// `POST /api/v1/device/<id>/attributes_remove`.
    pub async fn remove_attributes(
        &self,
        project: ProjectId,
        device: &str,
        keys: &[String],
    ) -> Result<(), DomainError> {
        let _ = (project, device, keys);
        todo!()
    }

    /// `POST /api/v1/control/device/<id>/attributes`: pushed now, or
    /// [`Delivery::Offline`].
    pub async fn push_attributes(
        &self,
        project: ProjectId,
        device: &str,
        attrs: Attributes,
    ) -> Result<Delivery, DomainError> {
        let _ = (project, device, attrs);
        todo!()
    }

    /// `PUT /api/v1/control/device/<id>/attributes`: stored, pushed when
    /// the device next connects or asks.
    pub async fn set_cloud_attributes(
        &self,
        project: ProjectId,
        device: &str,
        attrs: Attributes,
    ) -> Result<(), DomainError> {
        let _ = (project, device, attrs);
        todo!()
    }

    /// `POST /api/v1/control/device/<id>/command`: sent on
    /// `command/send/<id>`, the reply awaited at most `wait`.
    pub async fn command(
        &self,
        project: ProjectId,
        device: &str,
        body: Value,
        wait: Duration,
    ) -> Result<CommandOutcome, DomainError> {
        let _ = (project, device, body, wait);
        todo!()
    }

    /// `POST /api/v1/control/device/<id>/data/<identifier>/set`.
    pub async fn send_data(
        &self,
        project: ProjectId,
        device: &str,
        identifier: &str,
        mode: PushMode,
        payload: Bytes,
    ) -> Result<Delivery, DomainError> {
        let _ = (project, device, identifier, mode, payload);
        todo!()
    }
}
