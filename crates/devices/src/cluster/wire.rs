//! What crosses nodes, as JSON: requests to the node holding a device,
//! their replies, takeover notices and live events.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use thingstead_core::project::devices::DeviceId;
use thingstead_core::telemetry::{Attributes, CommandOutcome, Delivery, Downlink, PushMode};

use crate::bus::Link;

/// A request to the node holding a device's connection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub(super) enum Request {
    /// Hand a downlink to the connection.
    Send { msg: WireDownlink },
    /// Send a command and wait there for the reply; `sub`: the sub-device
    /// the command is for, through this gateway.
    Command {
        id: String,
        body: Value,
        wait_ms: u64,
        #[serde(default)]
        sub: Option<DeviceId>,
    },
    /// Whether the device has a live connection there.
    Online,
}

/// The answer of the holding node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "reply", rename_all = "snake_case")]
pub(super) enum Reply {
    Delivery {
        sent: bool,
    },
    Command {
        outcome: Outcome,
        #[serde(default)]
        body: Value,
    },
    Online {
        online: bool,
    },
}

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum Outcome {
    Offline,
    Sent,
    Replied,
}

/// A [`Downlink`] on the wire; a data stream's bytes as a JSON array.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(super) enum WireDownlink {
    AttributesPush {
        attributes: Attributes,
    },
    Command {
        id: String,
        body: Value,
    },
    Data {
        identifier: String,
        payload: Vec<u8>,
        tcp: bool,
    },
    Sub {
        device: DeviceId,
        msg: Box<WireDownlink>,
    },
}

impl From<Downlink> for WireDownlink {
    fn from(msg: Downlink) -> Self {
        match msg {
            Downlink::AttributesPush(attributes) => WireDownlink::AttributesPush { attributes },
            Downlink::Command { id, body } => WireDownlink::Command { id, body },
            Downlink::Data {
                identifier,
                payload,
                mode,
            } => WireDownlink::Data {
                identifier,
                payload: payload.to_vec(),
                tcp: mode == PushMode::Tcp,
            },
            Downlink::Sub { device, msg } => WireDownlink::Sub {
                device,
                msg: Box::new((*msg).into()),
            },
        }
    }
}

impl From<WireDownlink> for Downlink {
    fn from(msg: WireDownlink) -> Self {
        match msg {
            WireDownlink::AttributesPush { attributes } => Downlink::AttributesPush(attributes),
            WireDownlink::Command { id, body } => Downlink::Command { id, body },
            WireDownlink::Data {
                identifier,
                payload,
                tcp,
            } => Downlink::Data {
                identifier,
                payload: payload.into(),
                mode: if tcp { PushMode::Tcp } else { PushMode::Mqtt },
            },
            WireDownlink::Sub { device, msg } => Downlink::Sub {
                device,
                msg: Box::new((*msg).into()),
            },
        }
    }
}

impl Reply {
    pub(super) fn delivery(d: Delivery) -> Reply {
        Reply::Delivery {
            sent: d == Delivery::Sent,
        }
    }

    pub(super) fn command(outcome: CommandOutcome) -> Reply {
        match outcome {
            CommandOutcome::Offline => Reply::Command {
                outcome: Outcome::Offline,
                body: Value::Null,
            },
            CommandOutcome::Sent => Reply::Command {
                outcome: Outcome::Sent,
                body: Value::Null,
            },
            CommandOutcome::Replied(body) => Reply::Command {
                outcome: Outcome::Replied,
                body,
            },
        }
    }
}

/// A node took a device's connection of kind `link` over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Takeover {
    pub node: String,
    pub link: WireLink,
}

/// A [`Link`] on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum WireLink {
    Mqtt,
    Tcp,
}

impl From<Link> for WireLink {
    fn from(link: Link) -> Self {
        match link {
            Link::Mqtt => WireLink::Mqtt,
            Link::Tcp => WireLink::Tcp,
        }
    }
}

impl From<WireLink> for Link {
    fn from(link: WireLink) -> Self {
        match link {
            WireLink::Mqtt => Link::Mqtt,
            WireLink::Tcp => Link::Tcp,
        }
    }
}

/// A live event of one node, for the others.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct LiveWire {
    pub node: String,
    pub project_id: i64,
    pub device_id: DeviceId,
    pub kind: String,
    pub data: Value,
    pub at_ms: i64,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use bytes::Bytes;

    #[test]
    fn downlinks_survive_the_wire() {
        let msg = Downlink::Sub {
            device: 5,
            msg: Box::new(Downlink::Data {
                identifier: "s".into(),
                payload: Bytes::from_static(b"\x00\xffab"),
                mode: PushMode::Tcp,
            }),
        };
        let req = Request::Send {
            msg: msg.clone().into(),
        };
        let json = serde_json::to_vec(&req).unwrap();
        let Request::Send { msg: back } = serde_json::from_slice(&json).unwrap() else {
            panic!("not a send")
        };
        assert_eq!(Downlink::from(back), msg);
    }
}
