//! What a device's publish on one of its topics does: the payload parsed,
//! the report handed to [`Telemetry`], and the result object published
//! back on the matching response topic.
//!
//! Result objects: `{"result":1}` on success, `{"result":0,"message":…}`
//! when the payload was refused; `attributes/get/response/<id>` carries
//! `{"result":1,"attributes":{…}}`; `provision/response` carries
//! `{"result":1,"device_id","customer_id"}`.

use bytes::Bytes;
use serde_json::{Map, Value, json};
use thingstead_core::living::ProvisionError;
use thingstead_core::telemetry::{Attributes, ConnectedDevice, ReportBody, ReportError, Telemetry};

use super::codec::Ack;
use super::topics::{Uplink, down};

/// What the connection does after a publish.
#[derive(Debug)]
pub struct Outcome {
    pub ack: Ack,
    /// A result object for the device: topic and payload.
    pub response: Option<(String, Bytes)>,
    /// Why the message was refused, to be logged (rate-limited).
    pub refused: Option<String>,
}

/// A parsed payload.
#[derive(Debug)]
pub enum Body {
    Report(ReportBody),
    /// `attributes/get/<id>`: all attributes, or these keys.
    Get(Option<Vec<String>>),
    /// `provision`: `{"code": "..."}`.
    Provision(String),
    /// A `gateway/...` topic: parts keyed by sub-device (see
    /// [`super::subdevices`]).
    Gateway,
}

pub(super) fn object(payload: &[u8]) -> Result<Map<String, Value>, String> {
    match serde_json::from_slice::<Value>(payload) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err("the payload is not a JSON object".into()),
        Err(_) => Err("the payload is not JSON".into()),
    }
}

/// `{"method": "...", "params": ...}` of events and command replies.
fn method_params(payload: &[u8]) -> Result<(String, Value), String> {
    method_params_of(object(payload)?)
}

/// The same, from an object already parsed.
pub(super) fn method_params_of(mut map: Map<String, Value>) -> Result<(String, Value), String> {
    let method = match map.remove("method") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s,
        Some(_) => return Err("method has the wrong type".into()),
    };
    let params = map
        .remove("params")
        .unwrap_or_else(|| Value::Object(Map::new()));
    Ok((method, params))
}

/// Parses the payload of a publish on `uplink`.
pub fn parse_body(uplink: &Uplink<'_>, payload: Bytes) -> Result<Body, String> {
    Ok(match *uplink {
        Uplink::Attributes => Body::Report(ReportBody::Attributes(object(&payload)?)),
        Uplink::AttributesGet(_) => {
            if payload.iter().all(u8::is_ascii_whitespace) {
                return Ok(Body::Get(None));
            }
            let mut map = object(&payload)?;
            match map.remove("keys") {
                None | Some(Value::Null) => Body::Get(None),
                Some(Value::Array(keys)) => Body::Get(Some(
                    keys.into_iter()
                        .map(|k| match k {
                            Value::String(s) => Ok(s),
                            _ => Err("keys must be strings".to_owned()),
                        })
                        .collect::<Result<_, _>>()?,
                )),
                Some(_) => return Err("keys must be an array".into()),
            }
        }
        Uplink::CommandReply(id) => {
            let (method, params) = method_params(&payload)?;
            Body::Report(ReportBody::CommandReply {
                id: id.to_owned(),
                method,
                params,
            })
        }
        Uplink::EventReport(id) => {
            let (method, params) = method_params(&payload)?;
            Body::Report(ReportBody::Event {
                id: id.to_owned(),
                method,
                params,
            })
        }
        Uplink::Provision => match object(&payload)?.remove("code") {
            Some(Value::String(code)) => Body::Provision(code),
            None | Some(Value::Null) => return Err("code is required".into()),
            Some(_) => return Err("code has the wrong type".into()),
        },
        Uplink::GatewayAttributes
        | Uplink::GatewayCommandReply(_)
        | Uplink::GatewayEventReport(_) => {
            object(&payload)?;
            Body::Gateway
        }
        Uplink::Data(identifier) => Body::Report(ReportBody::Data {
            identifier: identifier.to_owned(),
            // Its own allocation, not a view of the connection's buffer.
            payload: Bytes::copy_from_slice(&payload),
        }),
    })
}

fn result_ok() -> Bytes {
    Bytes::from_static(br#"{"result":1}"#)
}

fn result_refused(message: &str) -> Bytes {
    Bytes::from(json!({"result": 0, "message": message}).to_string())
}

fn attributes_result(attrs: Attributes) -> Bytes {
    Bytes::from(json!({"result": 1, "attributes": attrs}).to_string())
}

/// The topic a result for `uplink` goes to, if it has one.
fn response_topic(uplink: &Uplink<'_>) -> Option<String> {
    match *uplink {
        Uplink::Attributes => Some(down::ATTRIBUTES_RESPONSE.to_owned()),
        Uplink::AttributesGet(id) => Some(down::attributes_get_response(id)),
        Uplink::CommandReply(id) => Some(down::command_reply_response(id)),
        Uplink::EventReport(id) => Some(down::event_response(id)),
        Uplink::Provision => Some(down::PROVISION_RESPONSE.to_owned()),
        Uplink::Data(_)
        | Uplink::GatewayAttributes
        | Uplink::GatewayCommandReply(_)
        | Uplink::GatewayEventReport(_) => None,
    }
}

/// Handles one publish; `durable` (QoS 1) returns once the report is
/// committed.
pub async fn handle(
    telemetry: &Telemetry,
    device: &ConnectedDevice,
    uplink: Uplink<'_>,
    payload: Bytes,
    durable: bool,
) -> Outcome {
    if uplink.gateway_only() {
        return super::subdevices::handle(telemetry, device, uplink, &payload, durable).await;
    }
    let topic = response_topic(&uplink);
    let refuse = |message: String| Outcome {
        ack: Ack::PayloadInvalid,
        response: topic.clone().map(|t| (t, result_refused(&message))),
        refused: Some(message),
    };
    let body = match parse_body(&uplink, payload) {
        Ok(body) => body,
        Err(message) => return refuse(message),
    };
    match body {
        Body::Gateway => refuse("a gateway topic".into()),
        Body::Provision(code) => match telemetry.provision(device, &code).await {
            Ok(user) => Outcome {
                ack: Ack::Success,
                response: topic.map(|t| {
                    let answer = json!({"result": 1, "device_id": device.device.to_string(),
                        "customer_id": user.to_string()});
                    (t, Bytes::from(answer.to_string()))
                }),
                refused: None,
            },
            Err(ProvisionError::Unavailable) => Outcome {
                ack: Ack::Unavailable,
                response: topic
                    .map(|t| (t, result_refused(&ProvisionError::Unavailable.to_string()))),
                refused: Some("the store is not available".into()),
            },
            Err(e) => refuse(e.to_string()),
        },
        Body::Get(keys) => match telemetry
            .attributes_for_device(device, keys.as_deref())
            .await
        {
            Ok(attrs) => Outcome {
                ack: Ack::Success,
                response: topic.map(|t| (t, attributes_result(attrs))),
                refused: None,
            },
            Err(e) => Outcome {
                ack: Ack::Unavailable,
                response: None,
                refused: Some(format!("attributes could not be read: {e}")),
            },
        },
        Body::Report(report) => match telemetry.report(device, report, durable).await {
            Ok(()) => Outcome {
                ack: Ack::Success,
                response: topic.map(|t| (t, result_ok())),
                refused: None,
            },
            Err(ReportError::Invalid(message)) => refuse(message),
            Err(ReportError::Unavailable) => Outcome {
                ack: Ack::Unavailable,
                response: None,
                refused: Some("the store is not available".into()),
            },
        },
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn parse(uplink: Uplink<'_>, payload: &'static [u8]) -> Result<Body, String> {
        parse_body(&uplink, Bytes::from_static(payload))
    }

    #[test]
    fn payloads_parse_per_topic() {
        assert!(matches!(
            parse(Uplink::Attributes, br#"{"t": 21.5}"#),
            Ok(Body::Report(ReportBody::Attributes(m))) if m["t"] == 21.5
        ));
        assert!(parse(Uplink::Attributes, b"[1]").is_err());
        assert!(parse(Uplink::Attributes, b"\xff").is_err());
        assert!(matches!(
            parse(Uplink::AttributesGet("1"), b""),
            Ok(Body::Get(None))
        ));
        assert!(matches!(
            parse(Uplink::AttributesGet("1"), b"{}"),
            Ok(Body::Get(None))
        ));
        assert!(matches!(
            parse(Uplink::AttributesGet("1"), br#"{"keys":["a","b"]}"#),
            Ok(Body::Get(Some(k))) if k == ["a", "b"]
        ));
        assert!(parse(Uplink::AttributesGet("1"), br#"{"keys":[1]}"#).is_err());
        assert!(matches!(
            parse(Uplink::CommandReply("9"), br#"{"method":"open","params":{"ok":true}}"#),
            Ok(Body::Report(ReportBody::CommandReply { id, method, params }))
                if id == "9" && method == "open" && params["ok"] == true
        ));
        assert!(parse(Uplink::EventReport("9"), br#"{"method":1}"#).is_err());
        assert!(matches!(
            parse(Uplink::Data("raw"), b"\x00\x01"),
            Ok(Body::Report(ReportBody::Data { identifier, payload }))
                if identifier == "raw" && payload.as_ref() == b"\x00\x01"
        ));
    }
}
