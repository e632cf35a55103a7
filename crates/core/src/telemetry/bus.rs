//! The message bus between the API and device connections. One process
//! uses the in-process bus of the devices crate; several nodes put NATS
//! behind the same trait.

use std::time::Duration;

use async_trait::async_trait;
use serde_json::Value;

use super::model::{CommandOutcome, Delivery, Downlink};
use crate::project::devices::DeviceId;

#[async_trait]
pub trait DeviceBus: Send + Sync {
    /// Hands `msg` to the device's live connection, wherever it is.
    async fn send(&self, device: DeviceId, msg: Downlink) -> Delivery;

    /// Sends command `id` and waits at most `wait` for the device's reply
    /// (`Duration::ZERO`: does not wait).
    async fn command(
        &self,
        device: DeviceId,
        id: String,
        body: Value,
        wait: Duration,
    ) -> CommandOutcome;

    /// Sends command `id` for sub-device `device` through its gateway's
    /// connection and waits at most `wait` for the sub-device's reply.
    async fn command_via(
        &self,
        gateway: DeviceId,
        device: DeviceId,
        id: String,
        body: Value,
        wait: Duration,
    ) -> CommandOutcome;

    /// A connection received the device's reply to command `id`: wakes the
    /// caller waiting for it, if any.
    async fn replied(&self, device: DeviceId, id: &str, body: Value);

    /// Whether the device has a live connection.
    async fn is_online(&self, device: DeviceId) -> bool;
}
