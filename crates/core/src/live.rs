//! Live events for apps in the foreground: attribute reports and alarm
//! changes of devices, broadcast in process to the server-sent event
//! streams, which keep those of their user's devices. Nothing is built
//! while nobody listens.

use std::sync::Arc;

use serde_json::{Value, json};
use tokio::sync::broadcast;

use crate::model::ProjectId;
use crate::project::devices::DeviceId;
use crate::telemetry::{Attributes, ConnectedDevice};
use crate::{Time, now};

/// Events a slow listener may fall behind by before it misses some.
const CAPACITY: usize = 4_096;

/// One event of one device.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveEvent {
    pub project_id: ProjectId,
    pub device_id: DeviceId,
    /// `attributes` or `alarm`: the SSE event name.
    pub kind: &'static str,
    pub data: Value,
    pub at: Time,
}

impl LiveEvent {
    /// An attribute report.
    pub fn attributes(device: &ConnectedDevice, attrs: &Attributes) -> LiveEvent {
        let at = now();
        LiveEvent {
            project_id: device.project,
            device_id: device.device,
            kind: "attributes",
            data: json!({
                "device_id": device.device.to_string(),
                "attributes": attrs,
                "time": at.timestamp_millis(),
            }),
            at,
        }
    }

    /// An alarm opened or closed; `body` is what its notifications carry.
    pub fn alarm(device: &ConnectedDevice, alarm_id: i64, event: &str, body: &Value) -> LiveEvent {
        let mut data = body.clone();
        data["event"] = json!(event);
        data["device_id"] = json!(device.device.to_string());
        data["alarm"]["id"] = json!(alarm_id.to_string());
        LiveEvent {
            project_id: device.project,
            device_id: device.device,
            kind: "alarm",
            data,
            at: now(),
        }
    }
}

/// The broadcast hub. Cheap to clone.
#[derive(Clone)]
pub struct LiveEvents {
    tx: broadcast::Sender<Arc<LiveEvent>>,
}

impl Default for LiveEvents {
    fn default() -> Self {
        LiveEvents {
            tx: broadcast::channel(CAPACITY).0,
        }
    }
}

impl LiveEvents {
    /// Whether anybody listens (so that events are worth building).
    pub fn wanted(&self) -> bool {
        self.tx.receiver_count() > 0
    }

    pub fn publish(&self, event: LiveEvent) {
        if self.wanted() {
            let _ = self.tx.send(Arc::new(event));
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<LiveEvent>> {
        self.tx.subscribe()
    }
}
