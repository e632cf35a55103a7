//! What the device gateway (MQTT, TCP, HTTP) calls: authentication,
//! presence, reports and reads of the device's own attributes.

use serde_json::json;

use super::model::{AttrType, Attributes, ConnectedDevice, Report, ReportBody, Transport};
use super::validate::{check_attributes, check_identifier, check_message_id, check_method};
use super::{ReportError, Telemetry};
use crate::error::DomainError;
use crate::live::LiveEvent;
use crate::project::devices::DeviceTypeId;
use crate::{now, secret};

/// Longest access token looked up; longer ones name no device.
const ACCESS_TOKEN_MAX: usize = 128;

impl Telemetry {
    /// The device presenting `access_token` and `project_key`; `None` for
    /// anything else (unknown token, wrong key). The key is compared in
    /// constant time.
    pub async fn authenticate(
        &self,
        access_token: &str,
        project_key: &str,
    ) -> Result<Option<ConnectedDevice>, DomainError> {
        if access_token.is_empty() || access_token.len() > ACCESS_TOKEN_MAX {
            return Ok(None);
        }
        let Some((device, key)) = self.data().device_by_token(access_token).await? else {
            return Ok(None);
        };
        Ok(secret::equal(&key, project_key).then_some(device))
    }

    /// A connection came up (register it on the bus first): records
    /// presence (`online`, the `connect` time of `active`; for a gateway,
    /// of its sub-devices too), and returns the
    /// cloud attributes to push to the device now (empty: nothing to push).
    pub async fn connected(
        &self,
        device: &ConnectedDevice,
        transport: Transport,
    ) -> Result<Attributes, DomainError> {
        self.data()
            .set_presence(device.device, true, transport, now(), self.node())
            .await?;
        self.alarms().on_connected(device).await;
        if device.is_gateway {
            self.sub_devices_presence(device, true, transport).await?;
        }
        Ok(self
            .data()
            .current_attributes(device.device)
            .await?
            .into_iter()
            .filter(|a| a.attr_type == AttrType::Cloud)
            .map(|a| (a.identifier, a.value))
            .collect())
    }

    /// The device's connection ended (unregister it from the bus first).
    /// When a newer connection of the device has taken over, or it is a
    /// sub-device whose gateway is connected, the device stays online and
    /// nothing is recorded. A gateway going offline takes along its
    /// sub-devices that have no connection of their own.
    pub async fn disconnected(
        &self,
        device: &ConnectedDevice,
        transport: Transport,
    ) -> Result<(), DomainError> {
        if self.bus().is_online(device.device).await {
            return Ok(());
        }
        if self.route(device).await? != super::gateways::Route::Offline {
            // Its gateway is connected: the sub-device stays online.
            return Ok(());
        }
        self.data()
            .set_presence(device.device, false, transport, now(), self.node())
            .await?;
        self.alarms().on_disconnected(device).await;
        if device.is_gateway {
            self.sub_devices_presence(device, false, transport).await?;
        }
        Ok(())
    }

    /// Checks attribute values against the type's models, learning new
    /// identifiers (all or nothing). Devices without a type learn nothing.
    pub(super) async fn check_types(
        &self,
        type_id: Option<DeviceTypeId>,
        attrs: &Attributes,
    ) -> Result<(), ReportError> {
        let Some(type_id) = type_id else {
            return Ok(());
        };
        let models = &self.inner.models;
        if !models.is_loaded(type_id) {
            let stored = self.data().attribute_models(type_id).await.map_err(|e| {
                tracing::error!(error = %e, "attribute models could not be read");
                ReportError::Unavailable
            })?;
            models.load(type_id, stored);
        }
        models.check_and_learn(type_id, attrs)
    }

    /// Validates and queues a report (waiting for room in the queue). With
    /// `durable`, returns only once it is committed (QoS 1 before PUBACK).
    ///
    /// Refused as a whole with [`ReportError::Invalid`]: attributes that
    /// are empty, hold more than 256 identifiers, a malformed identifier, a
    /// `null`, or a value of another type than the identifier's first one
    /// on the device type; events and replies with a malformed id or
    /// method; data on a malformed stream identifier. A command reply also
    /// wakes the API caller waiting for it, with `{"method", "params"}`.
    pub async fn report(
        &self,
        device: &ConnectedDevice,
        body: ReportBody,
        durable: bool,
    ) -> Result<(), ReportError> {
        let mut reply = None;
        match &body {
            ReportBody::Attributes(attrs) => {
                check_attributes(attrs)?;
                self.check_types(device.type_id, attrs).await?;
                self.alarms().on_attributes(device, attrs).await;
                let live = self.alarms().live();
                if live.wanted() {
                    live.publish(LiveEvent::attributes(device, attrs));
                }
            }
            ReportBody::Event { id, method, params } => {
                check_message_id(id)?;
                check_method(method)?;
                self.alarms().on_event(device, method, params).await;
            }
            ReportBody::CommandReply { id, method, params } => {
                check_message_id(id)?;
                check_method(method)?;
                reply = Some((id.clone(), json!({ "method": method, "params": params })));
            }
            ReportBody::Data { identifier, .. } => check_identifier(identifier)?,
        }
        let report = Report {
            device: device.device,
            project: device.project,
            type_id: device.type_id,
            at: now(),
            body,
        };
        self.inner.ingest.submit(report, durable).await?;
        if let Some((id, body)) = reply {
            self.bus().replied(device.device, &id, body).await;
        }
        Ok(())
    }

    /// `attributes/get`: the device's current values (reported and cloud),
    /// all or those of `keys` (unknown keys are left out).
    pub async fn attributes_for_device(
        &self,
        device: &ConnectedDevice,
        keys: Option<&[String]>,
    ) -> Result<Attributes, DomainError> {
        let current = self.data().current_attributes(device.device).await?;
        Ok(current
            .into_iter()
            .filter(|a| keys.is_none_or(|keys| keys.contains(&a.identifier)))
            .map(|a| (a.identifier, a.value))
            .collect())
    }

    /// A device presents the provisioning code of its user (HTTP and MQTT
    /// `provision`): it becomes that user's, or nothing changes and the
    /// error says why.
    pub async fn provision(
        &self,
        device: &ConnectedDevice,
        code: &str,
    ) -> Result<crate::model::UserId, crate::living::ProvisionError> {
        crate::living::redeem_provision_code(self.inner.store.as_ref(), device, code).await
    }
}
