//! The in-process message bus: a registry of live device connections and
//! of callers waiting for command replies.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use serde_json::Value;
use thingstead_core::project::devices::DeviceId;
use thingstead_core::telemetry::{CommandOutcome, Delivery, DeviceBus, Downlink};
use tokio::sync::{mpsc, oneshot};

/// Downlinks a connection may have waiting before more are refused.
pub const DOWNLINK_QUEUE: usize = 32;

/// A connection's end of the bus.
pub struct Registration {
    pub downlinks: mpsc::Receiver<Downlink>,
    /// Identifies this connection for [`LocalBus::unregister`].
    pub generation: u64,
}

#[derive(Default)]
struct State {
    connections: HashMap<DeviceId, (u64, mpsc::Sender<Downlink>)>,
    waiting: HashMap<(DeviceId, String), oneshot::Sender<Value>>,
    next_generation: u64,
}

/// The bus of one process. Cheap to clone.
#[derive(Clone, Default)]
pub struct LocalBus {
    state: Arc<Mutex<State>>,
}

impl LocalBus {
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Registers a device's new connection; an earlier one of the same
    /// device loses its channel (and so learns it was taken over).
    pub fn register(&self, device: DeviceId) -> Registration {
        let (tx, rx) = mpsc::channel(DOWNLINK_QUEUE);
        let mut state = self.lock();
        state.next_generation += 1;
        let generation = state.next_generation;
        state.connections.insert(device, (generation, tx));
        Registration {
            downlinks: rx,
            generation,
        }
    }

    /// Forgets the connection, unless a newer one has taken over.
    pub fn unregister(&self, device: DeviceId, generation: u64) {
        let mut state = self.lock();
        if state
            .connections
            .get(&device)
            .is_some_and(|(g, _)| *g == generation)
        {
            state.connections.remove(&device);
        }
    }

    fn sender(&self, device: DeviceId) -> Option<mpsc::Sender<Downlink>> {
        self.lock()
            .connections
            .get(&device)
            .map(|(_, tx)| tx.clone())
    }
}

#[async_trait]
impl DeviceBus for LocalBus {
    async fn send(&self, device: DeviceId, msg: Downlink) -> Delivery {
        match self.sender(device) {
            Some(tx) if tx.send(msg).await.is_ok() => Delivery::Sent,
            _ => Delivery::Offline,
        }
    }

    async fn command(
        &self,
        device: DeviceId,
        id: String,
        body: Value,
        wait: Duration,
    ) -> CommandOutcome {
        let key = (device, id.clone());
        let reply = if wait.is_zero() {
            None
        } else {
            let (tx, rx) = oneshot::channel();
            self.lock().waiting.insert(key.clone(), tx);
            Some(rx)
        };
        if self.send(device, Downlink::Command { id, body }).await == Delivery::Offline {
            self.lock().waiting.remove(&key);
            return CommandOutcome::Offline;
        }
        let Some(rx) = reply else {
            return CommandOutcome::Sent;
        };
        let outcome = match tokio::time::timeout(wait, rx).await {
            Ok(Ok(body)) => CommandOutcome::Replied(body),
            _ => CommandOutcome::Sent,
        };
        self.lock().waiting.remove(&key);
        outcome
    }

    async fn replied(&self, device: DeviceId, id: &str, body: Value) {
        let waiter = self.lock().waiting.remove(&(device, id.to_owned()));
        if let Some(tx) = waiter {
            let _ = tx.send(body);
        }
    }

    async fn is_online(&self, device: DeviceId) -> bool {
        self.lock().connections.contains_key(&device)
    }
}
