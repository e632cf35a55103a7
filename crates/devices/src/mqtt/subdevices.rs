//! A gateway's publishes for its sub-devices: `gateway/attributes`,
//! `gateway/event/report/<id>` and `gateway/command/reply/<id>` carry a JSON
//! object keyed by sub-device id, each value being what the sub-device
//! itself would publish on `attributes`, `event/report/<id>` or
//! `command/reply/<id>`. Each part goes through the report path as that
//! sub-device's report; the result object lists each part:
//! `{"result":1,"devices":{"<id>":{"result":1}}}`, with `"result":0` and a
//! `message` for refused parts (and at the top when any part was refused).

use bytes::Bytes;
use futures::future::join_all;
use serde_json::{Map, Value, json};
use thingstead_core::telemetry::{ConnectedDevice, ReportBody, ReportError, Telemetry};

use super::codec::Ack;
use super::topics::{Uplink, down};
use super::uplink::{Outcome, method_params_of, object};

/// Most sub-devices one publish may carry.
pub const MAX_PARTS: usize = 100;

/// The message for a key naming no sub-device of this gateway.
const NOT_A_SUB_DEVICE: &str = "not a sub-device of this gateway";

/// The response topic of a gateway uplink.
fn response_topic(uplink: &Uplink<'_>) -> Option<String> {
    match *uplink {
        Uplink::GatewayAttributes => Some(down::GATEWAY_ATTRIBUTES_RESPONSE.to_owned()),
        Uplink::GatewayCommandReply(id) => Some(down::gateway_command_reply_response(id)),
        Uplink::GatewayEventReport(id) => Some(down::gateway_event_response(id)),
        _ => None,
    }
}

/// One sub-device's part of the payload as its report body.
fn part_body(uplink: &Uplink<'_>, value: Value) -> Result<ReportBody, String> {
    let Value::Object(map) = value else {
        return Err("the sub-device's part is not a JSON object".into());
    };
    Ok(match *uplink {
        Uplink::GatewayCommandReply(id) => {
            let (method, params) = method_params_of(map)?;
            ReportBody::CommandReply {
                id: id.to_owned(),
                method,
                params,
            }
        }
        Uplink::GatewayEventReport(id) => {
            let (method, params) = method_params_of(map)?;
            ReportBody::Event {
                id: id.to_owned(),
                method,
                params,
            }
        }
        _ => ReportBody::Attributes(map),
    })
}

/// What became of one part.
enum Part {
    Taken,
    Refused(String),
    Unavailable,
}

async fn part(
    telemetry: &Telemetry,
    gateway: &ConnectedDevice,
    uplink: &Uplink<'_>,
    key: &str,
    value: Value,
    durable: bool,
) -> Part {
    let sub = match telemetry.sub_device(gateway, key).await {
        Ok(Some(sub)) => sub,
        Ok(None) => return Part::Refused(NOT_A_SUB_DEVICE.into()),
        Err(e) => {
            tracing::error!(error = %e, "a sub-device could not be read");
            return Part::Unavailable;
        }
    };
    let body = match part_body(uplink, value) {
        Ok(body) => body,
        Err(message) => return Part::Refused(message),
    };
    match telemetry.report(&sub, body, durable).await {
        Ok(()) => Part::Taken,
        Err(ReportError::Invalid(message)) => Part::Refused(message),
        Err(ReportError::Unavailable) => Part::Unavailable,
    }
}

/// Handles one publish of a gateway on a `gateway/...` topic.
pub async fn handle(
    telemetry: &Telemetry,
    gateway: &ConnectedDevice,
    uplink: Uplink<'_>,
    payload: &[u8],
    durable: bool,
) -> Outcome {
    let topic = response_topic(&uplink);
    let refuse = |message: String| Outcome {
        ack: Ack::PayloadInvalid,
        response: topic.clone().map(|t| {
            let body = json!({"result": 0, "message": message});
            (t, Bytes::from(body.to_string()))
        }),
        refused: Some(message),
    };
    let parts: Map<String, Value> = match object(payload) {
        Ok(map) => map,
        Err(message) => return refuse(message),
    };
    if parts.is_empty() {
        return refuse("the payload names no sub-device".into());
    }
    if parts.len() > MAX_PARTS {
        return refuse(format!("at most {MAX_PARTS} sub-devices a message"));
    }
    let results = join_all(parts.into_iter().map(|(key, value)| {
        let uplink = uplink.clone();
        async move {
            let done = part(telemetry, gateway, &uplink, &key, value, durable).await;
            (key, done)
        }
    }))
    .await;
    let (mut taken, mut refused, mut unavailable) = (0usize, None, false);
    let mut devices = Map::new();
    for (key, done) in results {
        let result = match done {
            Part::Taken => {
                taken += 1;
                json!({"result": 1})
            }
            Part::Refused(message) => {
                let result = json!({"result": 0, "message": message});
                refused.get_or_insert(format!("sub-device {key}: {message}"));
                result
            }
            Part::Unavailable => {
                unavailable = true;
                json!({"result": 0, "message": "the store is not available"})
            }
        };
        devices.insert(key, result);
    }
    if unavailable {
        return Outcome {
            ack: Ack::Unavailable,
            response: None,
            refused: Some("the store is not available".into()),
        };
    }
    let all = refused.is_none();
    let body = json!({"result": u8::from(all), "devices": devices});
    Outcome {
        ack: if taken == 0 {
            Ack::PayloadInvalid
        } else {
            Ack::Success
        },
        response: topic.map(|t| (t, Bytes::from(body.to_string()))),
        refused,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn parts_parse_per_topic() {
        assert!(matches!(
            part_body(&Uplink::GatewayAttributes, json!({"t": 1})),
            Ok(ReportBody::Attributes(m)) if m["t"] == 1
        ));
        assert!(part_body(&Uplink::GatewayAttributes, json!([1])).is_err());
        assert!(matches!(
            part_body(&Uplink::GatewayCommandReply("3"), json!({"method": "open", "params": {"ok": true}})),
            Ok(ReportBody::CommandReply { id, method, .. }) if id == "3" && method == "open"
        ));
        assert!(matches!(
            part_body(&Uplink::GatewayEventReport("4"), json!({"method": "alarm"})),
            Ok(ReportBody::Event { id, params, .. }) if id == "4" && params == json!({})
        ));
        assert!(part_body(&Uplink::GatewayEventReport("4"), json!({"method": 1})).is_err());
    }
}
