//! A connected device: its packets, its downlinks, its keep-alive, and how
//! the connection ends.

use std::num::NonZeroU16;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use bytestring::ByteString;
use futures::StreamExt as _;
use futures::stream::FuturesOrdered;
use rmqtt_codec::error::DecodeError;
use rmqtt_codec::types::QoS;
use thingstead_core::telemetry::{
    Attributes, ConnectedDevice, Downlink, PushMode, Transport as Kind,
};
use tokio::time::Instant;

use super::codec::{Ack, Close, Grant, Inbound, Out, Version};
use super::session::Subscription;
use super::topics::{self, Uplink, down};
use super::{BUFFER, Transport, send, shrink_read, shrink_write, uplink};
use crate::bus::Registration;
use crate::gateway::Shared;

/// Subscriptions one connection may hold.
pub const MAX_SUBSCRIPTIONS: usize = 32;
/// QoS 1 attribute reports of one connection waiting for their commit;
/// while this many wait, the connection reads nothing more.
pub const MAX_PENDING: usize = 16;

/// A QoS 1 attribute report under way: its packet id and what it led to.
type Pending = Pin<Box<dyn Future<Output = (NonZeroU16, uplink::Outcome)> + Send>>;

pub(crate) struct Conn {
    pub(crate) framed: Transport,
    pub(crate) out: Out,
    pub(crate) device: ConnectedDevice,
    pub(crate) registration: Registration,
    pub(crate) subscriptions: Vec<Subscription>,
    /// 0: the session ends with the connection.
    pub(crate) session_expiry_secs: u32,
    /// Silence longer than this (1.5 × keep-alive) ends the connection.
    pub(crate) idle: Duration,
    pub(crate) next_packet_id: u16,
    /// Cloud attributes to push once the device subscribes to
    /// `attributes/push`.
    pub(crate) cloud: Option<Attributes>,
    /// QoS 1 attribute reports waiting for their commit, in arrival order:
    /// PUBACKs go out in that order.
    pub(crate) pending: FuturesOrdered<Pending>,
}

/// How a connection ends.
enum End {
    /// The device closed it, or it broke.
    Gone,
    /// The server closes it (MQTT 5: with this DISCONNECT reason).
    Close(Close),
}

/// What handling one packet leads to.
type Flow = Result<(), End>;

fn broken(_: ()) -> End {
    End::Gone
}

pub(crate) async fn run(mut conn: Conn, shared: &Arc<Shared>) {
    let idle = tokio::time::sleep(conn.idle);
    tokio::pin!(idle);
    let pushed = conn.push_cloud().await;
    let end = if let Err(end) = pushed {
        end
    } else {
        loop {
            tokio::select! {
                biased;
                () = shared.stop.cancelled() => break End::Close(Close::UseAnotherServer),
                downlink = conn.registration.downlinks.recv() => match downlink {
                    Some(msg) => {
                        if let Err(end) = conn.deliver(*msg).await {
                            break end;
                        }
                    }
                    None => break End::Close(Close::SessionTakenOver),
                },
                Some((id, outcome)) = conn.pending.next(), if !conn.pending.is_empty() => {
                    if let Err(end) = conn.settle(id, outcome, shared).await {
                        break end;
                    }
                }
                frame = conn.framed.next(), if conn.pending.len() < MAX_PENDING => {
                    idle.as_mut().reset(Instant::now() + conn.idle);
                    match frame {
                        Some(Ok((packet, size))) => {
                            if size as usize > BUFFER {
                                shrink_read(&mut conn.framed);
                            }
                            if let Err(end) = conn.handle(Inbound::from_packet(packet), shared).await {
                                break end;
                            }
                        }
                        Some(Err(e)) => break conn.bad_packet(&e, shared),
                        None => break End::Gone,
                    }
                }
                () = &mut idle => break End::Close(Close::KeepAliveTimeout),
            }
        }
    };
    if let End::Close(why) = end
        && let Some(packet) = conn.out.disconnect(why)
    {
        let _ = tokio::time::timeout(Duration::from_secs(1), send(&mut conn.framed, packet)).await;
    }
    conn.finish(shared, true).await;
}

impl Conn {
    /// Unregisters, settles the session and (if this was the device's
    /// current connection and it was announced) records the disconnect.
    pub(crate) async fn finish(self, shared: &Shared, announced: bool) {
        let Conn {
            framed,
            device,
            registration,
            session_expiry_secs,
            ..
        } = self;
        drop(framed);
        let current = shared
            .bus
            .unregister(device.device, registration.generation);
        shared
            .sessions
            .close(device.device, registration.generation, session_expiry_secs);
        if current
            && announced
            && let Err(e) = shared.telemetry.disconnected(&device, Kind::Mqtt).await
        {
            tracing::warn!(device = device.device, error = %e, "cannot record a device disconnect");
        }
    }

    fn bad_packet(&self, e: &DecodeError, shared: &Shared) -> End {
        let (why, reason) = match e {
            DecodeError::MaxSizeExceeded { .. } => (Close::PacketTooLarge, "packet too large"),
            DecodeError::Io(_) => return End::Gone,
            DecodeError::Utf8Error => (Close::MalformedPacket, "a string is not UTF-8"),
            _ => (Close::MalformedPacket, "malformed packet"),
        };
        shared.refused(self.device.device, "mqtt", reason);
        End::Close(why)
    }

    fn granted(&self, topic: &str) -> Option<QoS> {
        self.subscriptions
            .iter()
            .filter(|(f, _)| topics::matches(f, topic))
            .map(|(_, q)| *q)
            .max()
    }

    fn packet_id(&mut self) -> NonZeroU16 {
        self.next_packet_id = self.next_packet_id.wrapping_add(1);
        NonZeroU16::new(self.next_packet_id).unwrap_or(NonZeroU16::MIN)
    }

    /// Publishes to the device if it subscribed to `topic` (at the QoS
    /// granted); otherwise the message is dropped, as a broker would.
    async fn publish(&mut self, topic: String, payload: Bytes) -> Flow {
        let Some(qos) = self.granted(&topic) else {
            return Ok(());
        };
        let packet_id = (qos != QoS::AtMostOnce).then(|| self.packet_id());
        let large = payload.len() > BUFFER;
        let packet = self
            .out
            .publish(ByteString::from(topic), payload, packet_id);
        let sent = send(&mut self.framed, packet).await;
        if large {
            shrink_write(&mut self.framed);
        }
        sent.map_err(broken)
    }

    async fn push_cloud(&mut self) -> Flow {
        if self.granted(down::ATTRIBUTES_PUSH).is_none() {
            return Ok(());
        }
        let Some(cloud) = self.cloud.take() else {
            return Ok(());
        };
        self.publish(down::ATTRIBUTES_PUSH.to_owned(), json_bytes(&cloud))
            .await
    }

    async fn deliver(&mut self, msg: Downlink) -> Flow {
        let (topic, payload) = match msg {
            Downlink::AttributesPush(attrs) => {
                (down::ATTRIBUTES_PUSH.to_owned(), json_bytes(&attrs))
            }
            Downlink::Command { id, body } => (down::command_send(&id), json_bytes(&body)),
            Downlink::Data {
                identifier,
                payload,
                mode: PushMode::Mqtt,
            } => (down::data_set(&identifier), payload),
            Downlink::Data {
                mode: PushMode::Tcp,
                ..
            } => return Ok(()),
            Downlink::Sub { device, msg } => {
                let key = device.to_string();
                match *msg {
                    Downlink::AttributesPush(attrs) => (
                        down::GATEWAY_ATTRIBUTES_PUSH.to_owned(),
                        json_bytes(&serde_json::json!({ key: attrs })),
                    ),
                    Downlink::Command { id, body } => (
                        down::gateway_command_send(&id),
                        json_bytes(&serde_json::json!({ key: body })),
                    ),
                    Downlink::Data { .. } | Downlink::Sub { .. } => return Ok(()),
                }
            }
        };
        self.publish(topic, payload).await
    }

    async fn handle(&mut self, packet: Inbound, shared: &Arc<Shared>) -> Flow {
        match packet {
            Inbound::Publish {
                topic,
                qos,
                packet_id,
                payload,
                alias,
            } => {
                if alias {
                    return Err(End::Close(Close::TopicAliasInvalid));
                }
                if qos == QoS::ExactlyOnce {
                    shared.refused(self.device.device, "mqtt", "QoS 2 is not supported");
                    return Err(End::Close(Close::QosNotSupported));
                }
                Box::pin(self.on_publish(&topic, packet_id, payload, shared)).await
            }
            Inbound::PubAck => Ok(()),
            Inbound::Subscribe { packet_id, filters } => {
                self.on_subscribe(packet_id, filters, shared).await
            }
            Inbound::Unsubscribe { packet_id, filters } => {
                let removed: Vec<bool> = filters
                    .iter()
                    .map(|f| {
                        let before = self.subscriptions.len();
                        self.subscriptions.retain(|(s, _)| **s != **f);
                        self.subscriptions.len() != before
                    })
                    .collect();
                self.save_session(shared);
                send(&mut self.framed, self.out.unsuback(packet_id, &removed))
                    .await
                    .map_err(broken)
            }
            Inbound::PingReq => send(&mut self.framed, self.out.pingresp())
                .await
                .map_err(broken),
            Inbound::Disconnect {
                session_expiry_secs,
            } => {
                if let Some(secs) = session_expiry_secs {
                    self.session_expiry_secs = secs;
                }
                Err(End::Gone)
            }
            Inbound::Unexpected => {
                shared.refused(self.device.device, "mqtt", "unexpected packet type");
                Err(End::Close(Close::ProtocolError))
            }
        }
    }

    async fn on_publish(
        &mut self,
        topic: &str,
        packet_id: Option<NonZeroU16>,
        payload: Bytes,
        shared: &Arc<Shared>,
    ) -> Flow {
        let uplink = Uplink::parse(topic).filter(|u| self.device.is_gateway || !u.gateway_only());
        let Some(uplink) = uplink else {
            shared.refused(
                self.device.device,
                "mqtt",
                "publish outside the device's topics",
            );
            return match (self.out.0, packet_id) {
                (Version::V5, Some(id)) => self.ack(id, Ack::NotAuthorized).await,
                _ => Err(End::Close(Close::NotAuthorized)),
            };
        };
        if let (Some(id), Uplink::Attributes) = (packet_id, &uplink) {
            // Reports of one connection are committed together: the next
            // is read while this one waits for its batch.
            let (shared, device) = (Arc::clone(shared), self.device.clone());
            self.pending.push_back(Box::pin(async move {
                let outcome = uplink::handle(
                    &shared.telemetry,
                    &device,
                    Uplink::Attributes,
                    payload,
                    true,
                )
                .await;
                (id, outcome)
            }));
            return Ok(());
        }
        // Anything else answers after what is under way, in order.
        while let Some((id, outcome)) = self.pending.next().await {
            self.settle(id, outcome, shared).await?;
        }
        let durable = packet_id.is_some();
        let outcome =
            uplink::handle(&shared.telemetry, &self.device, uplink, payload, durable).await;
        match packet_id {
            Some(id) => self.settle(id, outcome, shared).await,
            None => self.answer(outcome, shared).await,
        }
    }

    /// Acknowledges a QoS 1 publish, then answers it.
    async fn settle(&mut self, id: NonZeroU16, outcome: uplink::Outcome, shared: &Shared) -> Flow {
        self.ack(id, outcome.ack).await?;
        self.answer(outcome, shared).await
    }

    /// Logs a refusal and publishes the result object, if any.
    async fn answer(&mut self, outcome: uplink::Outcome, shared: &Shared) -> Flow {
        if let Some(reason) = &outcome.refused {
            shared.refused(self.device.device, "mqtt", reason);
        }
        if let Some((topic, body)) = outcome.response {
            self.publish(topic, body).await?;
        }
        Ok(())
    }

    async fn ack(&mut self, packet_id: NonZeroU16, ack: Ack) -> Flow {
        match self.out.puback(packet_id, ack) {
            Some(packet) => send(&mut self.framed, packet).await.map_err(broken),
            None => Ok(()),
        }
    }

    async fn on_subscribe(
        &mut self,
        packet_id: NonZeroU16,
        filters: Vec<(ByteString, QoS)>,
        shared: &Shared,
    ) -> Flow {
        let mut grants = Vec::with_capacity(filters.len());
        for (filter, qos) in filters {
            if !topics::allowed_filter(&filter, self.device.is_gateway) {
                shared.refused(
                    self.device.device,
                    "mqtt",
                    "subscription outside the device's topics",
                );
                grants.push(Grant::Refused);
                continue;
            }
            let qos = qos.less_value(QoS::AtLeastOnce);
            if let Some(existing) = self.subscriptions.iter_mut().find(|(f, _)| **f == *filter) {
                existing.1 = qos;
            } else if self.subscriptions.len() >= MAX_SUBSCRIPTIONS {
                grants.push(Grant::Quota);
                continue;
            } else {
                self.subscriptions.push((Box::from(&*filter), qos));
            }
            grants.push(Grant::Qos(qos));
        }
        self.save_session(shared);
        send(&mut self.framed, self.out.suback(packet_id, &grants))
            .await
            .map_err(broken)?;
        self.push_cloud().await
    }

    fn save_session(&self, shared: &Shared) {
        if self.session_expiry_secs > 0 {
            shared.sessions.save(
                self.device.device,
                self.registration.generation,
                &self.subscriptions,
            );
        }
    }
}

fn json_bytes<T: serde::Serialize>(value: &T) -> Bytes {
    serde_json::to_vec(value)
        .map(Bytes::from)
        .unwrap_or_default()
}
