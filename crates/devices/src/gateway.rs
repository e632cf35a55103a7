//! The gateway: listeners for MQTT and raw TCP, the state their
//! connections share (bus, sessions, the bad-input log limiter), and a
//! graceful stop that closes every device connection.

use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use thingstead_core::project::devices::DeviceId;
use thingstead_core::telemetry::Telemetry;
use tokio::net::{TcpListener, TcpStream};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::bus::LocalBus;
use crate::mqtt::session::Sessions;

/// The default largest MQTT packet accepted, in bytes (256 KiB).
pub const DEFAULT_MAX_PACKET_SIZE: u32 = 256 * 1024;
/// How often expired sessions and log marks are dropped.
const SWEEP_EVERY: Duration = Duration::from_secs(60);
/// Bad input of one device is logged at most once in this time.
pub const LOG_EVERY: Duration = Duration::from_secs(60);

/// The gateway's numbers.
#[derive(Debug, Clone)]
pub struct GatewayConfig {
    /// Largest MQTT packet accepted (advertised in the MQTT 5 CONNACK).
    pub max_packet_size: u32,
    /// Time from accepting a connection to its CONNECT (MQTT) or its
    /// credentials line (TCP).
    pub connect_timeout: Duration,
    /// The keep-alive used for an MQTT device that asks for none (0); MQTT
    /// 5 devices are told it in the CONNACK.
    pub default_keep_alive: u16,
    /// A raw TCP connection silent for this long is closed.
    pub tcp_idle_timeout: Duration,
}

impl Default for GatewayConfig {
    fn default() -> Self {
        GatewayConfig {
            max_packet_size: DEFAULT_MAX_PACKET_SIZE,
            connect_timeout: Duration::from_secs(10),
            default_keep_alive: 300,
            tcp_idle_timeout: Duration::from_secs(600),
        }
    }
}

/// Logs a device's bad input once per [`LOG_EVERY`], not per packet.
#[derive(Default)]
pub(crate) struct LogLimiter {
    last: Mutex<HashMap<DeviceId, Instant>>,
}

impl LogLimiter {
    /// Whether a refusal of `device` may be logged now.
    pub(crate) fn allow(&self, device: DeviceId) -> bool {
        let now = Instant::now();
        let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        match last.get(&device) {
            Some(t) if now.duration_since(*t) < LOG_EVERY => false,
            _ => {
                last.insert(device, now);
                true
            }
        }
    }

    fn sweep(&self) {
        let now = Instant::now();
        self.last
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|_, t| now.duration_since(*t) < LOG_EVERY);
    }
}

pub(crate) struct Shared {
    pub(crate) telemetry: Telemetry,
    pub(crate) bus: LocalBus,
    pub(crate) config: GatewayConfig,
    pub(crate) sessions: Sessions,
    pub(crate) log_limit: LogLimiter,
    pub(crate) stop: CancellationToken,
    tasks: TaskTracker,
}

impl Shared {
    /// Logs why a device's message was refused, at most once a minute.
    pub(crate) fn refused(&self, device: DeviceId, transport: &str, reason: &str) {
        if self.log_limit.allow(device) {
            tracing::warn!(
                device,
                transport,
                reason,
                "refused a device message (further ones of this device are not logged for a minute)"
            );
        }
    }
}

/// The device gateway. Cheap to clone.
#[derive(Clone)]
pub struct Gateway {
    shared: Arc<Shared>,
}

impl Gateway {
    pub fn new(telemetry: Telemetry, bus: LocalBus, config: GatewayConfig) -> Gateway {
        let gateway = Gateway {
            shared: Arc::new(Shared {
                telemetry,
                bus,
                config,
                sessions: Sessions::default(),
                log_limit: LogLimiter::default(),
                stop: CancellationToken::new(),
                tasks: TaskTracker::new(),
            }),
        };
        let shared = gateway.shared.clone();
        gateway.shared.tasks.spawn(async move {
            let mut every = tokio::time::interval(SWEEP_EVERY);
            loop {
                tokio::select! {
                    () = shared.stop.cancelled() => break,
                    _ = every.tick() => {
                        shared.sessions.sweep();
                        shared.log_limit.sweep();
                    }
                }
            }
        });
        gateway
    }

    /// Serves MQTT on `listener` until [`Gateway::shutdown`].
    pub fn serve_mqtt(&self, listener: TcpListener) {
        self.accept_loop(listener, "MQTT", crate::mqtt::serve);
    }

    /// Serves raw TCP devices on `listener` until [`Gateway::shutdown`].
    pub fn serve_tcp(&self, listener: TcpListener) {
        self.accept_loop(listener, "TCP", crate::tcp::serve);
    }

    fn accept_loop<F, Fut>(&self, listener: TcpListener, kind: &'static str, serve: F)
    where
        F: Fn(TcpStream, SocketAddr, Arc<Shared>) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let shared = self.shared.clone();
        self.shared.tasks.spawn(async move {
            loop {
                let accepted = tokio::select! {
                    () = shared.stop.cancelled() => break,
                    accepted = listener.accept() => accepted,
                };
                match accepted {
                    Ok((stream, peer)) => {
                        let _ = stream.set_nodelay(true);
                        shared.tasks.spawn(serve(stream, peer, shared.clone()));
                    }
                    Err(e) => {
                        // Out of file descriptors and the like: wait a
                        // little rather than spin.
                        tracing::warn!(listener = kind, error = %e, "cannot accept a device connection");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                }
            }
        });
    }

    /// Stops accepting, closes every device connection (MQTT 5 devices are
    /// told to use another server, 0x9C; 3.1.1 connections are closed) and
    /// waits for them at most `wait`.
    pub async fn shutdown(&self, wait: Duration) {
        self.shared.stop.cancel();
        self.shared.tasks.close();
        if tokio::time::timeout(wait, self.shared.tasks.wait())
            .await
            .is_err()
        {
            tracing::warn!(
                remaining = self.shared.tasks.len(),
                "device connections still closing after the drain timeout"
            );
        }
    }

    /// Stops the gateway when dropped (without waiting).
    pub fn stop_on_drop(&self) -> tokio_util::sync::DropGuard {
        self.shared.stop.clone().drop_guard()
    }

    /// Live device connection tasks (and the listeners).
    pub fn tasks(&self) -> usize {
        self.shared.tasks.len()
    }
}
