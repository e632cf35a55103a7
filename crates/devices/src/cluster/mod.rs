//! Cluster mode: several nodes share one NATS. [`NatsBus`] wraps the
//! node's [`LocalBus`]: a device connected here is served locally, any
//! other over NATS request/reply by the node holding it.
//!
//! Subjects, under the deployment's prefix `<p>`:
//! - `<p>.device.<id>`: requests for a device, answered by the node that
//!   holds its connection (subscribed while it does);
//! - `<p>.takeover.<id>`: a node registered the device; the others close
//!   their connection of the same kind;
//! - `<p>.live`: live events, relayed into every other node's hub.

mod live;
mod serve;
mod wire;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use serde_json::Value;
use thingstead_core::project::devices::DeviceId;
use thingstead_core::telemetry::{CommandOutcome, Delivery, DeviceBus, Downlink};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::bus::{BusChange, Link, LocalBus, SEND_WAIT};
pub use live::relay_live_events;
use wire::{Outcome, Reply, Request};

/// How long connecting to NATS may take at start.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Added to a request's own wait for the way there and back.
const MARGIN: Duration = Duration::from_secs(2);
/// How long a health check waits for NATS.
const HEALTH_TIMEOUT: Duration = Duration::from_secs(2);

/// A NATS connection with the deployment's subject prefix and this node's
/// id. Cheap to clone.
#[derive(Clone)]
pub struct Cluster {
    client: async_nats::Client,
    prefix: Arc<str>,
    node_id: Arc<str>,
}

impl std::fmt::Debug for Cluster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cluster")
            .field("prefix", &self.prefix)
            .field("node_id", &self.node_id)
            .finish()
    }
}

impl Cluster {
    /// Connects to the NATS server at `url`; the error says why not.
    pub async fn connect(url: &str, prefix: &str, node_id: &str) -> Result<Cluster, String> {
        let options = async_nats::ConnectOptions::new()
            .name(format!("thingstead-{node_id}"))
            .connection_timeout(CONNECT_TIMEOUT);
        let client = match tokio::time::timeout(CONNECT_TIMEOUT, options.connect(url)).await {
            Ok(Ok(client)) => client,
            Ok(Err(e)) => return Err(e.to_string()),
            Err(_) => {
                return Err(format!(
                    "no answer within {} seconds",
                    CONNECT_TIMEOUT.as_secs()
                ));
            }
        };
        Ok(Cluster {
            client,
            prefix: prefix.into(),
            node_id: node_id.into(),
        })
    }

    /// This node's id.
    pub fn node_id(&self) -> &str {
        &self.node_id
    }

    /// Whether the NATS server answers (a round trip within 2 seconds).
    pub async fn healthy(&self) -> bool {
        matches!(
            tokio::time::timeout(HEALTH_TIMEOUT, self.client.flush()).await,
            Ok(Ok(()))
        ) && self.client.connection_state() == async_nats::connection::State::Connected
    }

    fn subject(&self, rest: &str) -> String {
        format!("{}.{rest}", self.prefix)
    }

    fn device_subject(&self, device: DeviceId) -> String {
        self.subject(&format!("device.{device}"))
    }
}

/// Why a request to another node got no answer.
enum Unanswered {
    /// No node holds the device.
    Nobody,
    TimedOut,
    Failed,
}

/// The [`DeviceBus`] of a node in cluster mode. Cheap to clone.
#[derive(Clone)]
pub struct NatsBus {
    local: LocalBus,
    cluster: Cluster,
    stop: CancellationToken,
}

impl NatsBus {
    /// Starts answering for this node's devices and following takeovers.
    /// `local` must be the bus `changes` reports on
    /// ([`LocalBus::watched`]); the tasks end with [`NatsBus::stop`].
    pub async fn start(
        local: LocalBus,
        changes: mpsc::UnboundedReceiver<BusChange>,
        cluster: Cluster,
    ) -> Result<NatsBus, String> {
        let stop = CancellationToken::new();
        let takeovers = cluster
            .client
            .subscribe(cluster.subject("takeover.*"))
            .await
            .map_err(|e| e.to_string())?;
        tokio::spawn(serve::takeovers(
            local.clone(),
            cluster.clone(),
            takeovers,
            stop.clone(),
        ));
        tokio::spawn(serve::registrations(
            local.clone(),
            cluster.clone(),
            changes,
            stop.clone(),
        ));
        Ok(NatsBus {
            local,
            cluster,
            stop,
        })
    }

    /// Stops answering for this node's devices.
    pub fn stop(&self) {
        self.stop.cancel();
    }

    /// The token that [`NatsBus::stop`] cancels.
    pub fn stop_token(&self) -> CancellationToken {
        self.stop.clone()
    }

    /// The node's connection to NATS.
    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    /// Asks the node holding `device` and reads its reply.
    async fn ask(
        &self,
        device: DeviceId,
        request: &Request,
        timeout: Duration,
    ) -> Result<Reply, Unanswered> {
        let payload = serde_json::to_vec(request).map_err(|_| Unanswered::Failed)?;
        let request = async_nats::Request::new()
            .payload(payload.into())
            .timeout(Some(timeout));
        let answer = self
            .cluster
            .client
            .send_request(self.cluster.device_subject(device), request)
            .await;
        match answer {
            Ok(msg) => serde_json::from_slice(&msg.payload).map_err(|e| {
                tracing::warn!(device, error = %e, "unreadable answer from another node");
                Unanswered::Failed
            }),
            Err(e) => Err(match e.kind() {
                async_nats::client::RequestErrorKind::NoResponders => Unanswered::Nobody,
                async_nats::client::RequestErrorKind::TimedOut => Unanswered::TimedOut,
                _ => {
                    tracing::warn!(device, error = %e, "a request to another node failed");
                    Unanswered::Failed
                }
            }),
        }
    }

    async fn remote_command(
        &self,
        target: DeviceId,
        sub: Option<DeviceId>,
        id: String,
        body: Value,
        wait: Duration,
    ) -> CommandOutcome {
        let request = Request::Command {
            id,
            body,
            wait_ms: u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
            sub,
        };
        match self.ask(target, &request, wait + SEND_WAIT + MARGIN).await {
            Ok(Reply::Command { outcome, body }) => match outcome {
                Outcome::Offline => CommandOutcome::Offline,
                Outcome::Sent => CommandOutcome::Sent,
                Outcome::Replied => CommandOutcome::Replied(body),
            },
            // Handed over, but whether it reached the device is unknown.
            Err(Unanswered::TimedOut) => CommandOutcome::Sent,
            Ok(_) | Err(Unanswered::Nobody | Unanswered::Failed) => CommandOutcome::Offline,
        }
    }
}

#[async_trait]
impl DeviceBus for NatsBus {
    async fn send(&self, device: DeviceId, msg: Downlink) -> Delivery {
        if self.local.has_link(device, Link::of(&msg)) {
            return self.local.send(device, msg).await;
        }
        let request = Request::Send { msg: msg.into() };
        match self.ask(device, &request, SEND_WAIT + MARGIN).await {
            Ok(Reply::Delivery { sent: true }) => Delivery::Sent,
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
        if self.local.has_link(device, Link::Mqtt) {
            return self.local.command(device, id, body, wait).await;
        }
        self.remote_command(device, None, id, body, wait).await
    }

    async fn command_via(
        &self,
        gateway: DeviceId,
        device: DeviceId,
        id: String,
        body: Value,
        wait: Duration,
    ) -> CommandOutcome {
        if self.local.has_link(gateway, Link::Mqtt) {
            return self
                .local
                .command_via(gateway, device, id, body, wait)
                .await;
        }
        self.remote_command(gateway, Some(device), id, body, wait)
            .await
    }

    async fn replied(&self, device: DeviceId, id: &str, body: Value) {
        // The node holding the connection is the one that waits.
        self.local.replied(device, id, body).await;
    }

    async fn is_online(&self, device: DeviceId) -> bool {
        if self.local.is_online(device).await {
            return true;
        }
        matches!(
            self.ask(device, &Request::Online, MARGIN).await,
            Ok(Reply::Online { online: true })
        )
    }
}
