//! Bodies and queries of the device control endpoints, and how a custom
//! data stream message becomes bytes.

use std::time::Duration;

use bytes::Bytes;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use thingstead_core::DomainError;
use thingstead_core::telemetry::{Attributes, PushMode};
use thingstead_http::{LooseInt, LooseString};
use utoipa::ToSchema;

/// Most identifiers one push or cloud-attribute update carries.
pub const ATTRIBUTES_MAX: usize = 100;
/// Longest `wait` of a command, in seconds.
pub const WAIT_MAX_SECS: i64 = 30;
/// Longest command id, data stream identifier and command method.
pub const NAME_MAX: usize = 64;
pub const METHOD_MAX: usize = 128;

/// `{"key1": value, …}`: the attributes to push or store.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(transparent)]
pub struct AttributesBody(#[schema(value_type = Object)] pub Map<String, Value>);

impl AttributesBody {
    /// The attributes, checked: 1 to 100 identifiers, none blank.
    pub fn attributes(self) -> Result<Attributes, DomainError> {
        let attrs = self.0;
        if attrs.is_empty() || attrs.len() > ATTRIBUTES_MAX {
            return Err(DomainError::invalid(
                "attributes",
                format!("the body must name 1 to {ATTRIBUTES_MAX} attributes"),
            ));
        }
        if attrs.keys().any(|k| k.trim().is_empty()) {
            return Err(DomainError::invalid(
                "attributes",
                "attribute identifiers must not be blank",
            ));
        }
        Ok(attrs)
    }
}

/// Whether `name` may stand in a topic level: 1 to 64 characters, no `/`,
/// `+`, `#`, white space or control characters.
fn topic_safe(name: &str) -> bool {
    !name.is_empty()
        && name.chars().count() <= NAME_MAX
        && !name
            .chars()
            .any(|c| matches!(c, '/' | '+' | '#') || c.is_whitespace() || c.is_control())
}

/// `POST /control/device/{id}/command`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CommandBody {
    /// The command's name, 1 to 128 characters.
    pub method: Option<String>,
    /// A JSON object; `{}` when absent.
    #[schema(value_type = Option<Object>)]
    pub params: Option<Value>,
    /// The command id (a number or a string of at most 64 characters
    /// without `/`, `+`, `#` or spaces); the device replies on
    /// `command/reply/<id>`. One is chosen when absent.
    pub id: Option<LooseString>,
}

impl CommandBody {
    /// The command as the device receives it: `{method, params}` and the
    /// `id` when given.
    pub fn message(self) -> Result<Value, DomainError> {
        let method = self.method.ok_or(DomainError::required("method"))?;
        let method = method.trim();
        if method.is_empty() || method.chars().count() > METHOD_MAX {
            return Err(DomainError::invalid(
                "method",
                format!("method must be 1 to {METHOD_MAX} characters"),
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
        if let Some(LooseString(id)) = self.id {
            if !topic_safe(&id) {
                return Err(DomainError::invalid(
                    "id",
                    format!(
                        "id must be 1 to {NAME_MAX} characters without /, +, # or spaces"
                    ),
                ));
            }
            message["id"] = json!(id);
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

/// The data stream identifier of the path, checked.
pub fn stream_identifier(identifier: &str) -> Result<&str, DomainError> {
    if topic_safe(identifier) {
        Ok(identifier)
    } else {
        Err(DomainError::invalid(
            "identifier",
            format!("identifier must be 1 to {NAME_MAX} characters without /, +, # or spaces"),
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
                    "send msg or message, not both",
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
        Err(DomainError::invalid(field, format!("{field} must not be empty")))
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
        assert_eq!(field(data(json!({"type": "hex", "message": "zz"}))), "message");
        assert_eq!(field(data(json!({"type": "hex", "msg": " "}))), "msg");
        assert_eq!(field(data(json!({"type": "text", "msg": 5}))), "msg");
        assert_eq!(field(data(json!({"type": "text", "msg": "a", "message": "b"}))), "msg");
    }

    #[test]
    fn commands_are_checked() {
        let c = |v: Value| serde_json::from_value::<CommandBody>(v).unwrap().message();
        assert_eq!(
            c(json!({"method": "open", "id": 7})).unwrap(),
            json!({"method": "open", "params": {}, "id": "7"})
        );
        assert_eq!(field(c(json!({"params": {}}))), "method");
        assert_eq!(field(c(json!({"method": " "}))), "method");
        assert_eq!(field(c(json!({"method": "m", "params": [1]}))), "params");
        assert_eq!(field(c(json!({"method": "m", "id": "a/b"}))), "id");
        assert_eq!(field(c(json!({"method": "m", "id": ""}))), "id");
    }

    #[test]
    fn wait_and_push_mode_are_bounded() {
        let w = |s: i64| CommandQuery { wait: Some(LooseInt(s)) }.wait();
        assert_eq!(w(30).unwrap(), Duration::from_secs(30));
        assert_eq!(field(w(31)), "wait");
        assert_eq!(field(w(-1)), "wait");
        let m = |s: &str| DataQuery { push_mode: Some(s.into()) }.mode();
        assert_eq!(m("tcp").unwrap(), PushMode::Tcp);
        assert_eq!(field(m("udp")), "push_mode");
        assert_eq!(field(stream_identifier("a+b")), "identifier");
    }
}
