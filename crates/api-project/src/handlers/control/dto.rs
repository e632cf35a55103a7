//! Bodies and queries of the device control endpoints, and how a custom
//! data stream message becomes bytes. Identifiers, ids and values follow
//! the device protocol's limits (docs/device-protocol.md); the device data
//! service checks what it alone knows (attribute types, command ids).

use std::time::Duration;

use bytes::Bytes;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use thingstead_core::DomainError;
use thingstead_core::telemetry::validate::{METHOD_MAX, is_identifier};
use thingstead_core::telemetry::{Attributes, PushMode};
use thingstead_http::LooseInt;
use utoipa::ToSchema;

/// Longest `wait` of a command, in seconds.
pub const WAIT_MAX_SECS: i64 = 30;

/// `{"key1": value, …}`: the attributes to push or store.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(transparent)]
#[schema(value_type = Object)]
pub struct AttributesBody(pub Map<String, Value>);

impl AttributesBody {
    /// The attributes; the device data service checks their number (1 to
    /// 256), identifiers and values.
    pub fn attributes(self) -> Attributes {
        self.0
    }
}

/// `POST /control/device/{id}/command`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CommandBody {
    /// The command's name, 1 to 64 characters.
    pub method: Option<String>,
    /// A JSON object; `{}` when absent.
    #[schema(value_type = Option<Object>)]
    pub params: Option<Value>,
    /// The command id: a non-negative integer, or 1 to 64 letters, digits,
    /// `_`, `-` or `.`; the device replies on `command/reply/<id>`. A
    /// 9-digit number is chosen when absent.
    #[schema(value_type = Option<Object>)]
    pub id: Option<Value>,
}

impl CommandBody {
    /// The command as the device receives it: `{method, params}` and the
    /// `id` as sent.
    pub fn message(self) -> Result<Value, DomainError> {
        let method = self.method.ok_or(DomainError::required("method"))?;
        if method.is_empty()
            || method.chars().count() > METHOD_MAX
            || method.chars().any(char::is_control)
        {
            return Err(DomainError::invalid(
                "method",
                format!("method must be 1 to {METHOD_MAX} characters without control characters"),
            ));
        }
        let params = match self.params {
            None => Value::Object(Map::new()),
            Some(p @ Value::Object(_)) => p,
            Some(_) => {
                return Err(DomainError::invalid(
                    "params",
                    "params must be a JSON object",
                ));
            }
        };
        let mut message = json!({"method": method, "params": params});
        if let Some(id) = self.id.filter(|id| !id.is_null()) {
            message["id"] = id;
        }
        Ok(message)
    }
}

/// The query of the command endpoint.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CommandQuery {
    /// Seconds to wait for the device's reply, 0 to 30; 0 (the default)
    /// answers as soon as the command is sent.
    pub wait: Option<LooseInt>,
}

impl CommandQuery {
    /// How long to wait for the reply.
    pub fn wait(&self) -> Result<Duration, DomainError> {
        match self.wait {
            None => Ok(Duration::ZERO),
            Some(LooseInt(s)) if (0..=WAIT_MAX_SECS).contains(&s) => {
                Ok(Duration::from_secs(s.unsigned_abs()))
            }
            Some(_) => Err(DomainError::invalid(
                "wait",
                format!("wait must be a whole number of seconds from 0 to {WAIT_MAX_SECS}"),
            )),
        }
    }
}

/// The answer of a command: `{}` when not waiting; with `wait`, the
/// device's reply, or `null` when none came in time.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommandInfo {
    /// Present only with `wait` > 0: `{method, params}` as the device
    /// replied, or `null`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub reply: Option<Value>,
}

/// The query of the data stream endpoint.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DataQuery {
    /// `mqtt` (the default) or `tcp`.
    pub push_mode: Option<String>,
}

impl DataQuery {
    /// The channel to send on.
    pub fn mode(&self) -> Result<PushMode, DomainError> {
        match self.push_mode.as_deref().map(str::trim) {
            None | Some("") | Some("mqtt") => Ok(PushMode::Mqtt),
            Some("tcp") => Ok(PushMode::Tcp),
            Some(_) => Err(DomainError::invalid(
                "push_mode",
                "push_mode must be mqtt or tcp",
            )),
        }
    }
}

/// The data stream identifier of the path, checked: a letter or `_`, then
/// letters, digits or `_`, at most 64 characters.
pub fn stream_identifier(identifier: &str) -> Result<&str, DomainError> {
    if is_identifier(identifier) {
        Ok(identifier)
    } else {
        Err(DomainError::invalid(
            "identifier",
            "identifier must start with a letter or '_' and hold at most 64 letters, digits or '_'",
        ))
    }
}

/// `POST /control/device/{id}/data/{identifier}/set`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DataBody {
    /// `hex`, `text` or `json`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// The message: hex digits (spaces allowed), text, or any JSON value.
    #[schema(value_type = Option<Object>)]
    pub msg: Option<Value>,
    /// Another name of `msg`; send one of the two.
    #[schema(value_type = Option<Object>)]
    pub message: Option<Value>,
}

impl DataBody {
    /// The bytes to send: hex decoded, text as UTF-8, JSON serialized.
    pub fn payload(self) -> Result<Bytes, DomainError> {
        let kind = self.kind.ok_or(DomainError::required("type"))?;
        let (field, msg): (&'static str, Value) = match (self.msg, self.message) {
            (Some(_), Some(_)) => {
                return Err(DomainError::invalid(
                    "msg",
                    "msg and message cannot both be sent; send one of them",
                ));
            }
            (Some(m), None) => ("msg", m),
            (None, Some(m)) => ("message", m),
            (None, None) => return Err(DomainError::required("msg")),
        };
        match kind.trim() {
            "hex" => {
                let text = text_of(field, &msg, "a string of hex digits")?;
                let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
                let bytes = hex::decode(&digits).map_err(|_| {
                    DomainError::invalid(
                        field,
                        format!("{field} must be pairs of hex digits (spaces allowed)"),
                    )
                })?;
                non_empty(field, bytes)
            }
            "text" => {
                let text = text_of(field, &msg, "a string")?;
                non_empty(field, text.as_bytes().to_vec())
            }
            "json" => serde_json::to_vec(&msg)
                .map(Bytes::from)
                .map_err(|_| DomainError::invalid(field, format!("{field} is not valid JSON"))),
            _ => Err(DomainError::invalid(
                "type",
                "type must be hex, text or json",
            )),
        }
    }
}

fn text_of<'a>(field: &'static str, msg: &'a Value, what: &str) -> Result<&'a str, DomainError> {
    msg.as_str()
        .ok_or_else(|| DomainError::invalid(field, format!("{field} must be {what}")))
}

fn non_empty(field: &'static str, bytes: Vec<u8>) -> Result<Bytes, DomainError> {
    if bytes.is_empty() {
        Err(DomainError::invalid(
            field,
            format!("{field} must not be empty"),
        ))
    } else {
        Ok(Bytes::from(bytes))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn data(body: Value) -> Result<Bytes, DomainError> {
        serde_json::from_value::<DataBody>(body).unwrap().payload()
    }

    fn field<T: std::fmt::Debug>(r: Result<T, DomainError>) -> &'static str {
        match r {
            Err(DomainError::Invalid { field, .. }) => field,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn hex_text_and_json_become_bytes() {
        let b = data(json!({"type": "hex", "msg": "01 03 01 FF 00 0C 74 03"})).unwrap();
        assert_eq!(&b[..], &[1, 3, 1, 0xff, 0, 0x0c, 0x74, 3]);
        let b = data(json!({"type": "text", "message": "t:45,u=31"})).unwrap();
        assert_eq!(&b[..], b"t:45,u=31");
        let b = data(json!({"type": "json", "msg": {"led": "ON"}})).unwrap();
        assert_eq!(&b[..], br#"{"led":"ON"}"#);
        let b = data(json!({"type": "text", "msg": "温度"})).unwrap();
        assert_eq!(&b[..], "温度".as_bytes());
    }

    #[test]
    fn bad_messages_name_their_field() {
        assert_eq!(field(data(json!({"msg": "01"}))), "type");
        assert_eq!(field(data(json!({"type": "bin", "msg": "01"}))), "type");
        assert_eq!(field(data(json!({"type": "hex"}))), "msg");
        assert_eq!(field(data(json!({"type": "hex", "msg": "0"}))), "msg");
        assert_eq!(
            field(data(json!({"type": "hex", "message": "zz"}))),
            "message"
        );
        assert_eq!(field(data(json!({"type": "hex", "msg": " "}))), "msg");
        assert_eq!(field(data(json!({"type": "text", "msg": 5}))), "msg");
        assert_eq!(
            field(data(json!({"type": "text", "msg": "a", "message": "b"}))),
            "msg"
        );
    }

    #[test]
    fn commands_are_checked() {
        let c = |v: Value| serde_json::from_value::<CommandBody>(v).unwrap().message();
        assert_eq!(
            c(json!({"method": "open", "id": 7})).unwrap(),
            json!({"method": "open", "params": {}, "id": 7})
        );
        assert_eq!(
            c(json!({"method": "open", "params": {"a": 1}, "id": null})).unwrap(),
            json!({"method": "open", "params": {"a": 1}})
        );
        assert_eq!(field(c(json!({"params": {}}))), "method");
        assert_eq!(field(c(json!({"method": ""}))), "method");
        assert_eq!(field(c(json!({"method": "m".repeat(65)}))), "method");
        assert_eq!(field(c(json!({"method": "m", "params": [1]}))), "params");
    }

    #[test]
    fn wait_and_push_mode_are_bounded() {
        let w = |s: i64| {
            CommandQuery {
                wait: Some(LooseInt(s)),
            }
            .wait()
        };
        assert_eq!(w(30).unwrap(), Duration::from_secs(30));
        assert_eq!(field(w(31)), "wait");
        assert_eq!(field(w(-1)), "wait");
        let m = |s: &str| {
            DataQuery {
                push_mode: Some(s.into()),
            }
            .mode()
        };
        assert_eq!(m("tcp").unwrap(), PushMode::Tcp);
        assert_eq!(field(m("udp")), "push_mode");
        assert_eq!(field(stream_identifier("a+b")), "identifier");
        assert_eq!(field(stream_identifier("1st")), "identifier");
        assert_eq!(stream_identifier("stream").unwrap(), "stream");
    }
}
