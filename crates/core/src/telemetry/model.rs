//! What devices send and what the cloud sends them: attribute values and
//! their history, reports, presence, and downlink messages.

use bytes::Bytes;
use serde_json::{Map, Value};

use crate::Time;
use crate::model::ProjectId;
use crate::project::devices::{DeviceId, DeviceTypeId};

/// A JSON object of identifiers and values, as devices report them.
pub type Attributes = Map<String, Value>;

/// The value type of an attribute, learned from its first value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DataType {
    Number,
    Boolean,
    String,
    /// An object or an array.
    Json,
}

impl DataType {
    /// The type of a value; `None` for `null`, which has none.
    pub fn of(value: &Value) -> Option<DataType> {
        match value {
            Value::Null => None,
            Value::Bool(_) => Some(DataType::Boolean),
            Value::Number(_) => Some(DataType::Number),
            Value::String(_) => Some(DataType::String),
            Value::Array(_) | Value::Object(_) => Some(DataType::Json),
        }
    }

    /// `number`, `boolean`, `string` or `json`, as stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            DataType::Number => "number",
            DataType::Boolean => "boolean",
            DataType::String => "string",
            DataType::Json => "json",
        }
    }

    /// The type named by [`DataType::as_str`].
    pub fn parse(name: &str) -> Option<DataType> {
        match name {
            "number" => Some(DataType::Number),
            "boolean" => Some(DataType::Boolean),
            "string" => Some(DataType::String),
            "json" => Some(DataType::Json),
            _ => None,
        }
    }
}

/// Who writes an attribute: the device (`report`) or the cloud (`cloud`,
/// through `PUT control/device/<id>/attributes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AttrType {
    Report,
    Cloud,
}

impl AttrType {
    /// `report` or `cloud`, as stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            AttrType::Report => "report",
            AttrType::Cloud => "cloud",
        }
    }

    /// The type named by [`AttrType::as_str`].
    pub fn parse(name: &str) -> Option<AttrType> {
        match name {
            "report" => Some(AttrType::Report),
            "cloud" => Some(AttrType::Cloud),
            _ => None,
        }
    }
}

/// An attribute's definition on a device type.
#[derive(Debug, Clone, PartialEq)]
pub struct AttributeModel {
    pub identifier: String,
    pub name: String,
    pub attr_type: AttrType,
    pub data_type: DataType,
}

/// A device's current value of one attribute.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub identifier: String,
    pub value: Value,
    pub attr_type: AttrType,
    pub data_type: DataType,
    pub ts: Time,
}

/// A current value with the definition it has on the device's type.
#[derive(Debug, Clone, PartialEq)]
pub struct AttributeView {
    pub attribute: Attribute,
    pub model: Option<AttributeModel>,
}

/// One point of an attribute's history.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub ts: Time,
    pub identifier: String,
    pub value: Value,
    pub data_type: DataType,
}

/// A page of an attribute's history, newest first, in `[start, end]`.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesQuery {
    pub device: DeviceId,
    pub identifier: String,
    pub start: Time,
    pub end: Time,
    pub offset: u64,
    pub limit: u64,
}

/// The kinds of message a device sends; `active` on a device shows the
/// latest time of each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageKind {
    Attributes,
    Event,
    CommandReply,
    Data,
}

impl MessageKind {
    /// The key of the kind in a device's `active` object: `attributes`,
    /// `event`, `command_reply` or `data` (connections add `connect`).
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::Attributes => "attributes",
            MessageKind::Event => "event",
            MessageKind::CommandReply => "command_reply",
            MessageKind::Data => "data",
        }
    }
}

/// The key of a device's `active` object holding its last connect time.
pub const ACTIVE_CONNECT: &str = "connect";

/// How a device is connected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Transport {
    Mqtt,
    Tcp,
    Http,
}

impl Transport {
    /// `mqtt`, `tcp` or `http`, as stored in the presence log.
    pub fn as_str(self) -> &'static str {
        match self {
            Transport::Mqtt => "mqtt",
            Transport::Tcp => "tcp",
            Transport::Http => "http",
        }
    }
}

/// A device that has presented its certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectedDevice {
    pub device: DeviceId,
    pub project: ProjectId,
    pub type_id: Option<DeviceTypeId>,
    pub name: String,
    pub is_gateway: bool,
}

/// What a device sent, validated.
#[derive(Debug, Clone, PartialEq)]
pub enum ReportBody {
    /// `attributes`: current values and history.
    Attributes(Attributes),
    /// `event/report/<id>`.
    Event {
        id: String,
        method: String,
        params: Value,
    },
    /// `command/reply/<id>`.
    CommandReply {
        id: String,
        method: String,
        params: Value,
    },
    /// `data/<identifier>` or a TCP frame (identifier `stream`).
    Data { identifier: String, payload: Bytes },
}

impl ReportBody {
    pub fn kind(&self) -> MessageKind {
        match self {
            ReportBody::Attributes(_) => MessageKind::Attributes,
            ReportBody::Event { .. } => MessageKind::Event,
            ReportBody::CommandReply { .. } => MessageKind::CommandReply,
            ReportBody::Data { .. } => MessageKind::Data,
        }
    }
}

/// A report on its way to the store.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub device: DeviceId,
    pub project: ProjectId,
    pub type_id: Option<DeviceTypeId>,
    pub at: Time,
    pub body: ReportBody,
}

/// Which channel a custom data stream message goes down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PushMode {
    Mqtt,
    Tcp,
}

/// What the cloud sends a device.
#[derive(Debug, Clone, PartialEq)]
pub enum Downlink {
    /// `attributes/push`.
    AttributesPush(Attributes),
    /// `command/send/<id>`, body `{"method", "params"}` (and `id`).
    Command { id: String, body: Value },
    /// `data/<identifier>/set` over MQTT, or a raw frame over TCP.
    Data {
        identifier: String,
        payload: Bytes,
        mode: PushMode,
    },
    /// An attribute push or a command for sub-device `device`, handed to
    /// its gateway's connection (`gateway/attributes/push`,
    /// `gateway/command/send/<id>`, keyed by the sub-device).
    Sub {
        device: DeviceId,
        msg: Box<Downlink>,
    },
}

/// Whether a downlink reached a live connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Sent,
    /// No live connection (of the asked kind, for data streams).
    Offline,
}

/// How a command ended for its caller.
#[derive(Debug, Clone, PartialEq)]
pub enum CommandOutcome {
    /// The device is not connected; nothing was sent or queued.
    Offline,
    /// Sent; no reply was awaited, or none came in time.
    Sent,
    /// The device's reply on `command/reply/<id>`.
    Replied(Value),
}
