//! The in-process message bus: a registry of live device connections and
//! of callers waiting for command replies.
//!
//! A device may hold one MQTT connection and one raw TCP connection at the
//! same time. A newer connection of the same kind takes the place of the
//! older one (which then sees its downlink channel closed); the other kind
//! is untouched. Attribute pushes, commands and `push_mode=mqtt` data go to
//! the MQTT connection, `push_mode=tcp` data to the TCP connection.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use serde_json::Value;
use thingstead_core::project::devices::DeviceId;
use thingstead_core::telemetry::{
    CommandOutcome, Delivery, DeviceBus, Downlink, PushMode, Transport,
};
use tokio::sync::{mpsc, oneshot};

/// Downlinks a connection may have waiting before senders wait for room.
pub const DOWNLINK_QUEUE: usize = 16;
/// How long a downlink waits for room in a connection's queue before the
/// device counts as unreachable.
pub const SEND_WAIT: Duration = Duration::from_secs(5);

/// The kind of a live device connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Link {
    Mqtt,
    Tcp,
}

impl Link {
    /// The transport this kind of connection uses.
    pub fn transport(self) -> Transport {
        match self {
            Link::Mqtt => Transport::Mqtt,
            Link::Tcp => Transport::Tcp,
        }
    }

    /// The connection kind a downlink goes to.
    pub fn of(msg: &Downlink) -> Link {
        match msg {
            Downlink::Data {
                mode: PushMode::Tcp,
                ..
            } => Link::Tcp,
            _ => Link::Mqtt,
        }
    }
}

/// A connection's end of the bus. Downlinks are boxed so that an idle
/// connection's queue stays small.
pub struct Registration {
    pub downlinks: mpsc::Receiver<Box<Downlink>>,
    /// Identifies this connection for [`LocalBus::unregister`].
    pub generation: u64,
}

type Slot = Option<(u64, mpsc::Sender<Box<Downlink>>)>;

#[derive(Default)]
struct Links {
    mqtt: Slot,
    tcp: Slot,
}

impl Links {
    fn slot(&mut self, link: Link) -> &mut Slot {
        match link {
            Link::Mqtt => &mut self.mqtt,
            Link::Tcp => &mut self.tcp,
        }
    }

    fn is_empty(&self) -> bool {
        self.mqtt.is_none() && self.tcp.is_none()
    }
}

#[derive(Default)]
struct State {
    connections: HashMap<DeviceId, Links>,
    waiting: HashMap<(DeviceId, String), oneshot::Sender<Value>>,
    next_generation: u64,
}

/// A change of the connections a [`LocalBus`] holds, for whoever watches
/// them (the cluster bus).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BusChange {
    /// A connection of kind `link` registered (possibly taking over).
    Registered { device: DeviceId, link: Link },
    /// The device has no connection here any more.
    Gone(DeviceId),
}

/// The bus of one process. Cheap to clone.
#[derive(Clone, Default)]
pub struct LocalBus {
    state: Arc<Mutex<State>>,
    watch: Option<mpsc::UnboundedSender<BusChange>>,
}

impl LocalBus {
    /// A bus nobody watches.
    pub fn new() -> Self {
        Self::default()
    }

    /// A bus that reports every [`BusChange`], in order, on the receiver.
    pub fn watched() -> (Self, mpsc::UnboundedReceiver<BusChange>) {
        let (tx, rx) = mpsc::unbounded_channel();
        let bus = LocalBus {
            state: Arc::default(),
            watch: Some(tx),
        };
        (bus, rx)
    }

    fn tell(&self, change: BusChange) {
        if let Some(watch) = &self.watch {
            let _ = watch.send(change);
        }
    }

    /// How many devices have a live connection here.
    pub fn device_count(&self) -> usize {
        self.lock().connections.len()
    }

    /// Closes the device's connection of kind `link`, as a takeover does
    /// (the connection sees its downlink channel closed). Returns whether
    /// there was one.
    pub fn close(&self, device: DeviceId, link: Link) -> bool {
        let mut state = self.lock();
        let Some(links) = state.connections.get_mut(&device) else {
            return false;
        };
        let closed = links.slot(link).take().is_some();
        if links.is_empty() {
            state.connections.remove(&device);
            self.tell(BusChange::Gone(device));
        }
        closed
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Registers a device's new connection of kind `link`; an earlier one of
    /// the same device and kind loses its channel (and so learns it was
    /// taken over).
    pub fn register(&self, device: DeviceId, link: Link) -> Registration {
        let (tx, rx) = mpsc::channel(DOWNLINK_QUEUE);
        let mut state = self.lock();
        state.next_generation += 1;
        let generation = state.next_generation;
        *state.connections.entry(device).or_default().slot(link) = Some((generation, tx));
        self.tell(BusChange::Registered { device, link });
        Registration {
            downlinks: rx,
            generation,
        }
    }

    /// Forgets the connection. Returns whether it was the device's current
    /// one of its kind (`false`: a newer connection took over, and presence
    /// must not change).
    pub fn unregister(&self, device: DeviceId, generation: u64) -> bool {
        let mut state = self.lock();
        let Some(links) = state.connections.get_mut(&device) else {
            return false;
        };
        let mut current = false;
        for link in [Link::Mqtt, Link::Tcp] {
            let slot = links.slot(link);
            if slot.as_ref().is_some_and(|(g, _)| *g == generation) {
                *slot = None;
                current = true;
            }
        }
        if links.is_empty() {
            state.connections.remove(&device);
            self.tell(BusChange::Gone(device));
        }
        current
    }

    /// Whether the device has a live connection of kind `link`.
    pub fn has_link(&self, device: DeviceId, link: Link) -> bool {
        self.lock()
            .connections
            .get_mut(&device)
            .is_some_and(|links| links.slot(link).is_some())
    }

    /// Sends command `id` of `device` to the connection of `target` (the
    /// device itself, or its gateway) and waits for the device's reply.
    async fn command_to(
        &self,
        target: DeviceId,
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
        let mut msg = Downlink::Command { id, body };
        if target != device {
            msg = Downlink::Sub {
                device,
                msg: Box::new(msg),
            };
        }
        if self.send(target, msg).await == Delivery::Offline {
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

    fn sender(&self, device: DeviceId, link: Link) -> Option<mpsc::Sender<Box<Downlink>>> {
        self.lock()
            .connections
            .get_mut(&device)
            .and_then(|links| links.slot(link).as_ref().map(|(_, tx)| tx.clone()))
    }
}

#[async_trait]
impl DeviceBus for LocalBus {
    async fn send(&self, device: DeviceId, msg: Downlink) -> Delivery {
        let Some(tx) = self.sender(device, Link::of(&msg)) else {
            return Delivery::Offline;
        };
        match tokio::time::timeout(SEND_WAIT, tx.send(Box::new(msg))).await {
            Ok(Ok(())) => Delivery::Sent,
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
        self.command_to(device, device, id, body, wait).await
    }

    async fn command_via(
        &self,
        gateway: DeviceId,
        device: DeviceId,
        id: String,
        body: Value,
        wait: Duration,
    ) -> CommandOutcome {
        self.command_to(gateway, device, id, body, wait).await
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use bytes::Bytes;

    fn data(mode: PushMode) -> Downlink {
        Downlink::Data {
            identifier: "stream".into(),
            payload: Bytes::from_static(b"x"),
            mode,
        }
    }

    #[tokio::test]
    async fn a_newer_connection_takes_over_only_its_own_kind() {
        let bus = LocalBus::new();
        let d: DeviceId = 7;
        let mut first = bus.register(d, Link::Mqtt);
        let mut tcp = bus.register(d, Link::Tcp);
        let mut second = bus.register(d, Link::Mqtt);
        assert!(first.downlinks.recv().await.is_none(), "taken over");
        assert!(!bus.unregister(d, first.generation), "not the current one");
        assert!(bus.is_online(d).await);

        assert_eq!(bus.send(d, data(PushMode::Tcp)).await, Delivery::Sent);
        assert!(matches!(
            tcp.downlinks.recv().await.map(|b| *b),
            Some(Downlink::Data { .. })
        ));
        assert_eq!(
            bus.send(d, Downlink::AttributesPush(Default::default()))
                .await,
            Delivery::Sent
        );
        assert!(matches!(
            second.downlinks.recv().await.map(|b| *b),
            Some(Downlink::AttributesPush(_))
        ));

        assert!(bus.unregister(d, tcp.generation));
        assert_eq!(bus.send(d, data(PushMode::Tcp)).await, Delivery::Offline);
        assert_eq!(bus.send(d, data(PushMode::Mqtt)).await, Delivery::Sent);
        assert!(bus.unregister(d, second.generation));
        assert!(!bus.is_online(d).await);
        assert_eq!(bus.send(d, data(PushMode::Mqtt)).await, Delivery::Offline);
    }

    #[tokio::test]
    async fn a_tcp_only_device_gets_no_mqtt_downlinks() {
        let bus = LocalBus::new();
        let d: DeviceId = 8;
        let _tcp = bus.register(d, Link::Tcp);
        assert!(bus.has_link(d, Link::Tcp));
        assert!(!bus.has_link(d, Link::Mqtt));
        assert_eq!(
            bus.command(d, "1".into(), Value::Null, Duration::from_millis(10))
                .await,
            CommandOutcome::Offline
        );
        assert_eq!(bus.send(d, data(PushMode::Mqtt)).await, Delivery::Offline);
    }

    #[tokio::test]
    async fn a_watched_bus_reports_registrations_and_closes_on_request() {
        let (bus, mut changes) = LocalBus::watched();
        let d: DeviceId = 10;
        let mut conn = bus.register(d, Link::Mqtt);
        assert_eq!(
            changes.recv().await,
            Some(BusChange::Registered {
                device: d,
                link: Link::Mqtt
            })
        );
        assert_eq!(bus.device_count(), 1);
        assert!(!bus.close(d, Link::Tcp), "no TCP connection");
        assert!(bus.close(d, Link::Mqtt));
        assert!(
            conn.downlinks.recv().await.is_none(),
            "closed as a takeover"
        );
        assert_eq!(changes.recv().await, Some(BusChange::Gone(d)));
        assert!(!bus.unregister(d, conn.generation), "not current any more");
        assert_eq!(bus.device_count(), 0);
        assert!(changes.try_recv().is_err(), "gone only once");
    }

    #[tokio::test]
    async fn a_reply_wakes_the_waiting_caller() {
        let bus = LocalBus::new();
        let d: DeviceId = 9;
        let mut conn = bus.register(d, Link::Mqtt);
        let caller = {
            let bus = bus.clone();
            tokio::spawn(async move {
                bus.command(d, "5".into(), Value::Null, Duration::from_secs(5))
                    .await
            })
        };
        let Some(Downlink::Command { id, .. }) = conn.downlinks.recv().await.map(|b| *b) else {
            panic!("no command")
        };
        bus.replied(d, &id, serde_json::json!({"ok": true})).await;
        assert_eq!(
            caller.await.unwrap(),
            CommandOutcome::Replied(serde_json::json!({"ok": true}))
        );
    }
}
