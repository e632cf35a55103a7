//! Gateways' sub-devices: the sub-device a gateway reports for, and the
//! way cloud pushes and commands reach a sub-device that has no
//! connection of its own (through its gateway's).

use std::time::Duration;

use serde_json::Value;

use super::Telemetry;
use super::model::{CommandOutcome, ConnectedDevice, Delivery, Downlink, Transport};
use crate::error::DomainError;
use crate::now;
use crate::project::devices::DeviceId;

/// How a downlink reaches a device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Route {
    /// Its own live connection.
    Direct,
    /// The live connection of its gateway.
    Via(DeviceId),
    /// Neither is connected.
    Offline,
}

impl Telemetry {
    /// The gateway's sub-device named by `key` (its device id, in
    /// decimal). `None` when the key names no device, another project's
    /// device, a device attached to another gateway or to none, or when
    /// `gateway` is not a gateway.
    pub async fn sub_device(
        &self,
        gateway: &ConnectedDevice,
        key: &str,
    ) -> Result<Option<ConnectedDevice>, DomainError> {
        if !gateway.is_gateway {
            return Ok(None);
        }
        let Ok(id) = key.parse::<DeviceId>() else {
            return Ok(None);
        };
        if id.to_string() != key {
            return Ok(None);
        }
        Ok(self
            .data()
            .sub_device(gateway.project, gateway.device, id)
            .await?)
    }

    /// A gateway came up or went down: its sub-devices follow, except those
    /// with a connection of their own.
    pub(super) async fn sub_devices_presence(
        &self,
        gateway: &ConnectedDevice,
        online: bool,
        transport: Transport,
    ) -> Result<(), DomainError> {
        let subs = self
            .data()
            .sub_devices_of(gateway.project, gateway.device)
            .await?;
        for sub in subs {
            if self.bus().is_online(sub).await {
                continue;
            }
            self.data()
                .set_presence(sub, online, transport, now(), self.node())
                .await?;
        }
        Ok(())
    }

    /// The device's own connection first, else its gateway's.
    pub(super) async fn route(&self, device: &ConnectedDevice) -> Result<Route, DomainError> {
        if self.bus().is_online(device.device).await {
            return Ok(Route::Direct);
        }
        Ok(
            match self
                .data()
                .gateway_of(device.project, device.device)
                .await?
            {
                Some(gateway) if self.bus().is_online(gateway).await => Route::Via(gateway),
                _ => Route::Offline,
            },
        )
    }

    /// Sends an attribute push (or data) to the device, through its
    /// gateway when it has no connection of its own.
    pub(super) async fn send_routed(
        &self,
        device: &ConnectedDevice,
        msg: Downlink,
    ) -> Result<Delivery, DomainError> {
        Ok(match self.route(device).await? {
            Route::Direct => self.bus().send(device.device, msg).await,
            Route::Via(gateway) => {
                let msg = Downlink::Sub {
                    device: device.device,
                    msg: Box::new(msg),
                };
                self.bus().send(gateway, msg).await
            }
            Route::Offline => Delivery::Offline,
        })
    }

    /// Sends a command along `route` (not [`Route::Offline`]).
    pub(super) async fn command_routed(
        &self,
        route: Route,
        device: DeviceId,
        id: String,
        body: Value,
        wait: Duration,
    ) -> CommandOutcome {
        match route {
            Route::Direct => self.bus().command(device, id, body, wait).await,
            Route::Via(gateway) => {
                self.bus()
                    .command_via(gateway, device, id, body, wait)
                    .await
            }
            Route::Offline => CommandOutcome::Offline,
        }
    }
}
