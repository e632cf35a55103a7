//! From an accepted socket to a connected device: the version, the
//! CONNECT, the certificate check, the bus registration, the session and
//! the CONNACK.
//!
//! Refusals: no user name or password → 3.1.1 0x05 / MQTT 5 0x87; an
//! unknown access token or a wrong project key → 0x04 / 0x86; the store
//! failing → 0x03 / 0x88; MQTT 5 extended authentication → 0x8C; an empty
//! client id without a clean session → 0x02 / 0x85; an unsupported protocol
//! level → 3.1.1 CONNACK 0x01. Each refusal is logged with the peer address
//! and at most the first characters of the access token, never the project
//! key.

use std::net::SocketAddr;
use std::time::Duration;

use futures::StreamExt as _;
use futures::stream::FuturesOrdered;
use rmqtt_codec::error::DecodeError;
use rmqtt_codec::{MqttPacket, v3, v5};
use thingstead_core::telemetry::{ConnectedDevice, Transport as Kind};
use tokio::io::AsyncWriteExt as _;
use tokio::time::Instant;

use super::codec::{self, Connect, Out, Refusal, Version};
use super::connection::Conn;
use super::session::Subscription;
use super::{Transport, send};
use crate::bus::Link;
use crate::gateway::Shared;

/// At most this many characters of an access token appear in logs.
const TOKEN_HINT: usize = 4;

/// The first characters of a token, for logs.
pub fn token_hint(token: &str) -> String {
    let hint: String = token.chars().take(TOKEN_HINT).collect();
    format!("{hint}…")
}

/// Reads the next packet before `deadline`; `None` when the peer left,
/// timed out or sent something undecodable (`Some(Err)`).
async fn next_before(
    framed: &mut Transport,
    deadline: Instant,
) -> Option<Result<MqttPacket, DecodeError>> {
    match tokio::time::timeout_at(deadline, framed.next()).await {
        Ok(Some(Ok((packet, _)))) => Some(Ok(packet)),
        Ok(Some(Err(e))) => Some(Err(e)),
        _ => None,
    }
}

async fn refuse(mut framed: Transport, out: Out, why: Refusal) {
    let _ = send(&mut framed, out.refuse(why)).await;
}

/// Runs the handshake; `None` when the connection was refused or lost.
pub(crate) async fn handshake(
    mut framed: Transport,
    peer: SocketAddr,
    shared: &Shared,
) -> Option<Conn> {
    let deadline = Instant::now() + shared.config.connect_timeout;
    let version = match next_before(&mut framed, deadline).await? {
        Ok(MqttPacket::Version(v)) => v,
        Err(DecodeError::InvalidProtocol) => {
            // A level this server does not speak: the 3.1.1 answer
            // "unacceptable protocol version", then close.
            let _ = framed.get_mut().write_all(&[0x20, 0x02, 0x00, 0x01]).await;
            tracing::debug!(%peer, "MQTT connection refused: unsupported protocol");
            return None;
        }
        _ => {
            tracing::debug!(%peer, "MQTT connection closed: the first packet is not a CONNECT");
            return None;
        }
    };
    let (version, codec) = codec::for_version(version, shared.config.max_packet_size);
    *framed.codec_mut() = codec;
    let out = Out(version);

    let connect = match next_before(&mut framed, deadline).await? {
        Ok(packet) => Connect::from_packet(packet)?,
        Err(DecodeError::InvalidClientId) => {
            let packet = match version {
                Version::V3 => MqttPacket::V3(v3::Packet::ConnectAck(v3::ConnectAck {
                    return_code: v3::ConnectAckReason::IdentifierRejected,
                    session_present: false,
                })),
                Version::V5 => MqttPacket::V5(v5::Packet::ConnectAck(Box::new(v5::ConnectAck {
                    reason_code: v5::ConnectAckReason::ClientIdentifierNotValid,
                    ..v5::ConnectAck::default()
                }))),
            };
            let _ = send(&mut framed, packet).await;
            return None;
        }
        Err(e) => {
            tracing::debug!(%peer, error = %e, "MQTT connection closed: malformed CONNECT");
            return None;
        }
    };

    let device = match authenticate(shared, &connect).await {
        Ok(device) => device,
        Err((why, hint)) => {
            tracing::info!(%peer, token = %hint, reason = ?why, "MQTT connection refused");
            refuse(framed, out, why).await;
            return None;
        }
    };

    if let Some(max) = connect.max_packet_size
        && let rmqtt_codec::MqttCodec::V5(c) = framed.codec_mut()
    {
        c.set_max_outbound_size(max);
    }

    let registration = shared.bus.register(device.device, Link::Mqtt);
    let keeps_session = connect.session_expiry_secs > 0;
    let resumed = shared.sessions.open(
        device.device,
        registration.generation,
        connect.clean_start,
        keeps_session,
    );
    let session_present = resumed.is_some();
    let subscriptions: Vec<Subscription> = resumed.unwrap_or_default();

    let asked = connect.keep_alive;
    let keep_alive = if asked == 0 {
        shared.config.default_keep_alive
    } else {
        asked
    };
    let server_keep_alive = (asked == 0 && version == Version::V5).then_some(keep_alive);
    let connack = out.connack(
        session_present,
        shared.config.max_packet_size,
        server_keep_alive,
    );
    let conn = Conn {
        framed,
        out,
        device,
        registration,
        subscriptions,
        session_expiry_secs: connect.session_expiry_secs,
        // 1.5 times the keep-alive.
        idle: Duration::from_millis(u64::from(keep_alive) * 1500),
        next_packet_id: 0,
        cloud: None,
        pending: FuturesOrdered::new(),
    };
    conn.connected(connack, shared).await
}

/// The device behind the CONNECT's user name and password.
async fn authenticate(
    shared: &Shared,
    connect: &Connect,
) -> Result<ConnectedDevice, (Refusal, String)> {
    let token = connect.username.as_deref().unwrap_or_default();
    let hint = token_hint(token);
    if connect.auth_method {
        return Err((Refusal::BadAuthMethod, hint));
    }
    let (Some(_), Some(password)) = (&connect.username, &connect.password) else {
        return Err((Refusal::NotAuthorized, hint));
    };
    let Ok(project_key) = std::str::from_utf8(password) else {
        return Err((Refusal::BadCredentials, hint));
    };
    match shared.telemetry.authenticate(token, project_key).await {
        Ok(Some(device)) => Ok(device),
        Ok(None) => Err((Refusal::BadCredentials, hint)),
        Err(e) => {
            tracing::warn!(error = %e, "cannot check a device certificate");
            Err((Refusal::Unavailable, hint))
        }
    }
}

impl Conn {
    /// Sends the CONNACK and records the connection; `None` if the device
    /// left meanwhile (everything undone).
    async fn connected(mut self, connack: MqttPacket, shared: &Shared) -> Option<Conn> {
        if send(&mut self.framed, connack).await.is_err() {
            self.finish(shared, false).await;
            return None;
        }
        // The codec's write buffer starts at 8 KiB; most devices idle.
        super::shrink_write(&mut self.framed);
        match shared.telemetry.connected(&self.device, Kind::Mqtt).await {
            Ok(cloud) if !cloud.is_empty() => self.cloud = Some(cloud),
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(device = self.device.device, error = %e, "cannot record a device connection");
            }
        }
        Some(self)
    }
}
