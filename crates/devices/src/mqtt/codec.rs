//! The packet layer: version detection, the codec of each version, the
//! packets a device sends in one shape for both versions, and the packets
//! the server sends, built for the connection's version.

use std::num::NonZeroU16;

use bytes::{Bytes, BytesMut};
use bytestring::ByteString;
use rmqtt_codec::types::QoS;
use rmqtt_codec::version::{ProtocolVersion, VersionCodec};
use rmqtt_codec::{MqttCodec, MqttPacket, v3, v5};
use tokio_util::codec::Decoder as _;

/// The protocol version of a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// 3.1 and 3.1.1.
    V3,
    V5,
}

/// The codec a new connection starts with: it only tells the version.
pub fn detecting() -> MqttCodec {
    MqttCodec::Version(VersionCodec)
}

/// The codec of `version`, refusing packets larger than `max_packet_size`.
pub fn for_version(version: ProtocolVersion, max_packet_size: u32) -> (Version, MqttCodec) {
    match version {
        ProtocolVersion::MQTT3 => (Version::V3, MqttCodec::V3(v3::Codec::new(max_packet_size))),
        ProtocolVersion::MQTT5 => (
            Version::V5,
            MqttCodec::V5(v5::Codec::new(max_packet_size, 0)),
        ),
    }
}

/// What a device's CONNECT says, for either version.
#[derive(Debug)]
pub struct Connect {
    pub clean_start: bool,
    pub keep_alive: u16,
    /// MQTT 5 only; 3.1.1: 0 for a clean session, "never" otherwise.
    pub session_expiry_secs: u32,
    pub username: Option<ByteString>,
    pub password: Option<Bytes>,
    /// MQTT 5 extended authentication, which is not offered.
    pub auth_method: bool,
    /// MQTT 5: the largest packet the device accepts.
    pub max_packet_size: Option<u32>,
}

impl Connect {
    pub fn from_packet(packet: MqttPacket) -> Option<Connect> {
        match packet {
            MqttPacket::V3(v3::Packet::Connect(c)) => {
                let c = *c;
                Some(Connect {
                    clean_start: c.clean_session,
                    keep_alive: c.keep_alive,
                    session_expiry_secs: if c.clean_session { 0 } else { u32::MAX },
                    username: c.username,
                    password: c.password,
                    auth_method: false,
                    max_packet_size: None,
                })
            }
            MqttPacket::V5(v5::Packet::Connect(c)) => {
                let c = *c;
                Some(Connect {
                    clean_start: c.clean_start,
                    keep_alive: c.keep_alive,
                    session_expiry_secs: c.session_expiry_interval_secs,
                    username: c.username,
                    password: c.password,
                    auth_method: c.auth_method.is_some(),
                    max_packet_size: c.max_packet_size.map(|n| n.get()),
                })
            }
            _ => None,
        }
    }
}

/// A packet from a connected device, for either version.
#[derive(Debug)]
pub enum Inbound {
    Publish {
        topic: ByteString,
        qos: QoS,
        packet_id: Option<NonZeroU16>,
        payload: Bytes,
        /// MQTT 5 topic alias (none is offered, so any is an error).
        alias: bool,
    },
    /// The device acknowledged a QoS 1 downlink.
    PubAck,
    Subscribe {
        packet_id: NonZeroU16,
        filters: Vec<(ByteString, QoS)>,
    },
    Unsubscribe {
        packet_id: NonZeroU16,
        filters: Vec<ByteString>,
    },
    PingReq,
    Disconnect {
        /// MQTT 5: a new session expiry interval.
        session_expiry_secs: Option<u32>,
    },
    /// Anything a device must not send once connected (a second CONNECT,
    /// server packets, QoS 2 flow, AUTH).
    Unexpected,
}

impl Inbound {
    pub fn from_packet(packet: MqttPacket) -> Inbound {
        match packet {
            MqttPacket::V3(p) => match p {
                v3::Packet::Publish(p) => Inbound::Publish {
                    topic: p.topic,
                    qos: p.qos,
                    packet_id: p.packet_id,
                    payload: p.payload,
                    alias: false,
                },
                v3::Packet::PublishAck { .. } => Inbound::PubAck,
                v3::Packet::Subscribe {
                    packet_id,
                    topic_filters,
                } => Inbound::Subscribe {
                    packet_id,
                    filters: topic_filters,
                },
                v3::Packet::Unsubscribe {
                    packet_id,
                    topic_filters,
                } => Inbound::Unsubscribe {
                    packet_id,
                    filters: topic_filters,
                },
                v3::Packet::PingRequest => Inbound::PingReq,
                v3::Packet::Disconnect => Inbound::Disconnect {
                    session_expiry_secs: None,
                },
                _ => Inbound::Unexpected,
            },
            MqttPacket::V5(p) => match p {
                v5::Packet::Publish(p) => {
                    let alias = p
                        .properties
                        .as_ref()
                        .is_some_and(|props| props.topic_alias.is_some());
                    Inbound::Publish {
                        topic: p.topic,
                        qos: p.qos,
                        packet_id: p.packet_id,
                        payload: p.payload,
                        alias,
                    }
                }
                v5::Packet::PublishAck(_) => Inbound::PubAck,
                v5::Packet::Subscribe(s) => Inbound::Subscribe {
                    packet_id: s.packet_id,
                    filters: s
                        .topic_filters
                        .into_iter()
                        .map(|(f, opts)| (f, opts.qos))
                        .collect(),
                },
                v5::Packet::Unsubscribe(u) => Inbound::Unsubscribe {
                    packet_id: u.packet_id,
                    filters: u.topic_filters,
                },
                v5::Packet::PingRequest => Inbound::PingReq,
                v5::Packet::Disconnect(d) => Inbound::Disconnect {
                    session_expiry_secs: d.session_expiry_interval_secs,
                },
                _ => Inbound::Unexpected,
            },
            MqttPacket::Version(_) => Inbound::Unexpected,
        }
    }
}

/// Why a connection is refused at CONNECT.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Unknown access token or wrong project key.
    BadCredentials,
    /// No user name or no password.
    NotAuthorized,
    /// The store could not be asked.
    Unavailable,
    /// MQTT 5 extended authentication was asked for.
    BadAuthMethod,
}

/// How a device's PUBLISH ends, as far as its acknowledgement says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ack {
    Success,
    /// The payload does not fit (MQTT 5: 0x99; 3.1.1: an ordinary PUBACK).
    PayloadInvalid,
    /// Not the device's topic (MQTT 5: 0x87).
    NotAuthorized,
    /// Nothing was taken (MQTT 5: 0x80; 3.1.1: no PUBACK at all).
    Unavailable,
}

/// The answer to one filter of a SUBSCRIBE.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grant {
    Qos(QoS),
    /// Not one of the device's topics (3.1.1: 0x80, MQTT 5: 0x87).
    Refused,
    /// Too many subscriptions (3.1.1: 0x80, MQTT 5: 0x97).
    Quota,
}

/// Why the server ends a connection (MQTT 5 DISCONNECT reason).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Close {
    NotAuthorized,
    ProtocolError,
    MalformedPacket,
    PacketTooLarge,
    KeepAliveTimeout,
    SessionTakenOver,
    /// The server is draining: the device should reconnect, through the
    /// load balancer to another node or to this one once it is back.
    UseAnotherServer,
    QosNotSupported,
    TopicAliasInvalid,
}

/// Builds the server's packets for one version.
#[derive(Debug, Clone, Copy)]
pub struct Out(pub Version);

impl Out {
    pub fn connack(
        self,
        session_present: bool,
        max_packet_size: u32,
        server_keep_alive: Option<u16>,
    ) -> MqttPacket {
        match self.0 {
            Version::V3 => MqttPacket::V3(v3::Packet::ConnectAck(v3::ConnectAck {
                return_code: v3::ConnectAckReason::ConnectionAccepted,
                session_present,
            })),
            Version::V5 => MqttPacket::V5(v5::Packet::ConnectAck(Box::new(v5::ConnectAck {
                session_present,
                reason_code: v5::ConnectAckReason::Success,
                max_qos: QoS::AtLeastOnce,
                max_packet_size: Some(max_packet_size),
                receive_max: RECEIVE_MAX,
                retain_available: false,
                wildcard_subscription_available: true,
                subscription_identifiers_available: false,
                shared_subscription_available: false,
                server_keepalive_sec: server_keep_alive,
                ..v5::ConnectAck::default()
            }))),
        }
    }

    pub fn refuse(self, why: Refusal) -> MqttPacket {
        match self.0 {
            Version::V3 => {
                let return_code = match why {
                    Refusal::BadCredentials => v3::ConnectAckReason::BadUserNameOrPassword,
                    Refusal::NotAuthorized | Refusal::BadAuthMethod => {
                        v3::ConnectAckReason::NotAuthorized
                    }
                    Refusal::Unavailable => v3::ConnectAckReason::ServiceUnavailable,
                };
                MqttPacket::V3(v3::Packet::ConnectAck(v3::ConnectAck {
                    return_code,
                    session_present: false,
                }))
            }
            Version::V5 => {
                let reason_code = match why {
                    Refusal::BadCredentials => v5::ConnectAckReason::BadUserNameOrPassword,
                    Refusal::NotAuthorized => v5::ConnectAckReason::NotAuthorized,
                    Refusal::Unavailable => v5::ConnectAckReason::ServerUnavailable,
                    Refusal::BadAuthMethod => v5::ConnectAckReason::BadAuthenticationMethod,
                };
                MqttPacket::V5(v5::Packet::ConnectAck(Box::new(v5::ConnectAck {
                    reason_code,
                    ..v5::ConnectAck::default()
                })))
            }
        }
    }

    /// `None`: 3.1.1 sends nothing for [`Ack::Unavailable`].
    pub fn puback(self, packet_id: NonZeroU16, ack: Ack) -> Option<MqttPacket> {
        match self.0 {
            Version::V3 => (ack != Ack::Unavailable)
                .then_some(MqttPacket::V3(v3::Packet::PublishAck { packet_id })),
            Version::V5 => {
                let reason_code = match ack {
                    Ack::Success => v5::PublishAckReason::Success,
                    Ack::PayloadInvalid => v5::PublishAckReason::PayloadFormatInvalid,
                    Ack::NotAuthorized => v5::PublishAckReason::NotAuthorized,
                    Ack::Unavailable => v5::PublishAckReason::UnspecifiedError,
                };
                Some(MqttPacket::V5(v5::Packet::PublishAck(v5::PublishAck {
                    packet_id,
                    reason_code,
                    properties: Vec::new(),
                    reason_string: None,
                })))
            }
        }
    }

    pub fn publish(
        self,
        topic: ByteString,
        payload: Bytes,
        packet_id: Option<NonZeroU16>,
    ) -> MqttPacket {
        let qos = if packet_id.is_some() {
            QoS::AtLeastOnce
        } else {
            QoS::AtMostOnce
        };
        let publish = rmqtt_codec::types::Publish {
            dup: false,
            retain: false,
            qos,
            topic,
            packet_id,
            payload,
            properties: match self.0 {
                Version::V3 => None,
                Version::V5 => Some(v5::PublishProperties::default()),
            },
        };
        match self.0 {
            Version::V3 => MqttPacket::V3(v3::Packet::Publish(Box::new(publish))),
            Version::V5 => MqttPacket::V5(v5::Packet::Publish(Box::new(publish))),
        }
    }

    pub fn suback(self, packet_id: NonZeroU16, grants: &[Grant]) -> MqttPacket {
        match self.0 {
            Version::V3 => MqttPacket::V3(v3::Packet::SubscribeAck {
                packet_id,
                status: grants
                    .iter()
                    .map(|g| match g {
                        Grant::Qos(q) => v3::SubscribeReturnCode::Success(*q),
                        Grant::Refused | Grant::Quota => v3::SubscribeReturnCode::Failure,
                    })
                    .collect(),
            }),
            Version::V5 => MqttPacket::V5(v5::Packet::SubscribeAck(v5::SubscribeAck {
                packet_id,
                properties: Vec::new(),
                reason_string: None,
                status: grants
                    .iter()
                    .map(|g| match g {
                        Grant::Qos(QoS::AtMostOnce) => v5::SubscribeAckReason::GrantedQos0,
                        Grant::Qos(_) => v5::SubscribeAckReason::GrantedQos1,
                        Grant::Refused => v5::SubscribeAckReason::NotAuthorized,
                        Grant::Quota => v5::SubscribeAckReason::QuotaExceeded,
                    })
                    .collect(),
            })),
        }
    }

    /// `removed[i]`: whether filter `i` was subscribed.
    pub fn unsuback(self, packet_id: NonZeroU16, removed: &[bool]) -> MqttPacket {
        match self.0 {
            Version::V3 => MqttPacket::V3(v3::Packet::UnsubscribeAck { packet_id }),
            Version::V5 => MqttPacket::V5(v5::Packet::UnsubscribeAck(v5::UnsubscribeAck {
                packet_id,
                properties: Vec::new(),
                reason_string: None,
                status: removed
                    .iter()
                    .map(|r| {
                        if *r {
                            v5::UnsubscribeAckReason::Success
                        } else {
                            v5::UnsubscribeAckReason::NoSubscriptionExisted
                        }
                    })
                    .collect(),
            })),
        }
    }

    pub fn pingresp(self) -> MqttPacket {
        match self.0 {
            Version::V3 => MqttPacket::V3(v3::Packet::PingResponse),
            Version::V5 => MqttPacket::V5(v5::Packet::PingResponse),
        }
    }

    /// `None` for 3.1.1, which has no server DISCONNECT: the connection is
    /// just closed.
    pub fn disconnect(self, why: Close) -> Option<MqttPacket> {
        use v5::DisconnectReasonCode as R;
        match self.0 {
            Version::V3 => None,
            Version::V5 => Some(MqttPacket::V5(v5::Packet::Disconnect(v5::Disconnect::new(
                match why {
                    Close::NotAuthorized => R::NotAuthorized,
                    Close::ProtocolError => R::ProtocolError,
                    Close::MalformedPacket => R::MalformedPacket,
                    Close::PacketTooLarge => R::PacketTooLarge,
                    Close::KeepAliveTimeout => R::KeepAliveTimeout,
                    Close::SessionTakenOver => R::SessionTakenOver,
                    Close::UseAnotherServer => R::UseAnotherServer,
                    Close::QosNotSupported => R::QosNotSupported,
                    Close::TopicAliasInvalid => R::TopicAliasInvalid,
                },
            )))),
        }
    }
}

/// QoS 1 publishes a device may have unacknowledged (MQTT 5 Receive Maximum).
pub const RECEIVE_MAX: NonZeroU16 = match NonZeroU16::new(32) {
    Some(n) => n,
    None => NonZeroU16::MIN,
};

/// Runs the server's decoding path on arbitrary bytes: version detection,
/// then that version's codec, then the packets' translation and topic
/// checks, until the bytes run out or a packet is refused. Never panics;
/// the entry point of the packet fuzz target.
#[doc(hidden)]
pub fn fuzz_decode(data: &[u8]) {
    let mut buf = BytesMut::from(data);
    let mut codec = detecting();
    let mut rounds = 0usize;
    while rounds < 4096 {
        rounds += 1;
        match codec.decode(&mut buf) {
            Ok(Some((MqttPacket::Version(v), _))) => {
                codec = for_version(v, crate::DEFAULT_MAX_PACKET_SIZE).1;
            }
            Ok(Some((packet, _))) => match Inbound::from_packet(packet) {
                Inbound::Publish { topic, payload, .. } => {
                    if let Some(uplink) = super::topics::Uplink::parse(&topic) {
                        let _ = super::uplink::parse_body(&uplink, payload);
                    }
                }
                Inbound::Subscribe { filters, .. } => {
                    for (f, _) in filters {
                        let _ = super::topics::allowed_filter(&f, true);
                    }
                }
                _ => {}
            },
            Ok(None) | Err(_) => break,
        }
    }
}
