//! Bodies, queries and answers of the HTTP device API.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use thingstead_core::DomainError;
use thingstead_core::project::devices::Certificate;
use thingstead_core::telemetry::ReportBody;
use thingstead_core::telemetry::validate::{
    ATTRIBUTES_MAX, MESSAGE_ID_MAX, METHOD_MAX, is_message_id,
};
use thingstead_http::LooseString;
use utoipa::ToSchema;

/// Most identifiers `?keys=` names.
pub const KEYS_MAX: usize = ATTRIBUTES_MAX;

/// `{"identifier": value, …}`, as on the MQTT topic `attributes`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(transparent)]
#[schema(value_type = Object)]
pub struct AttributesBody(pub Map<String, Value>);

/// `GET …/attributes?keys=a,b`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct KeysQuery {
    /// Identifiers separated by commas; all attributes when absent or empty.
    pub keys: Option<String>,
}

impl KeysQuery {
    /// The identifiers asked for, or `None` for all.
    pub fn keys(&self) -> Result<Option<Vec<String>>, DomainError> {
        let keys: Vec<String> = self
            .keys
            .as_deref()
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(str::to_owned)
            .collect();
        if keys.len() > KEYS_MAX {
            return Err(DomainError::invalid(
                "keys",
                format!("keys names at most {KEYS_MAX} identifiers"),
            ));
        }
        Ok((!keys.is_empty()).then_some(keys))
    }
}

/// `{"result": 1, "attributes": {…}}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttributesAnswer {
    /// Always `1`.
    pub result: u8,
    #[schema(value_type = Object)]
    pub attributes: Map<String, Value>,
}

/// `POST …/event/report`, as on the MQTT topic `event/report/<id>`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct EventBody {
    /// The event's name, 1 to 64 characters.
    pub method: Option<String>,
    /// Any JSON value; `{}` when absent.
    #[schema(value_type = Option<Object>)]
    pub params: Option<Value>,
    /// The event id (a number, or 1 to 64 letters, digits, `_`, `-` or
    /// `.`); the time of arrival in unix milliseconds when absent.
    pub id: Option<LooseString>,
}

impl EventBody {
    /// The report, checked; `now_ms` names an event sent without an id.
    pub fn report(self, now_ms: i64) -> Result<(String, ReportBody), DomainError> {
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
        let id = match self.id {
            None => now_ms.to_string(),
            Some(LooseString(id)) if is_message_id(&id) => id,
            Some(_) => {
                return Err(DomainError::invalid(
                    "id",
                    format!("id must be 1 to {MESSAGE_ID_MAX} letters, digits, '_', '-' or '.'"),
                ));
            }
        };
        let params = self.params.unwrap_or_else(|| Value::Object(Map::new()));
        let body = ReportBody::Event {
            id: id.clone(),
            method,
            params,
        };
        Ok((id, body))
    }
}

/// `{"result": 1, "id": "<event id>"}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventAnswer {
    /// Always `1`.
    pub result: u8,
    /// The event's id (the one sent, or the one chosen).
    pub id: String,
}

/// `POST /device/v1/certificate`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CertificateBody {
    /// The device's key in its project (1 to 128 characters, no spaces);
    /// the same key always names the same device.
    pub device_key: Option<LooseString>,
    /// The `type_key` of a device type of the project; the project's
    /// default type when absent.
    pub type_key: Option<String>,
    /// A customer of the project to give a new device to.
    pub customer_id: Option<LooseString>,
}

/// A blank optional field counts as absent.
pub fn present(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

/// The device of a certificate answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct CertificateDevice {
    pub id: String,
    pub name: String,
    pub access_token: String,
}

/// `{"result": 1, "device": {id, name, access_token}}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct CertificateAnswer {
    /// Always `1`.
    pub result: u8,
    pub device: CertificateDevice,
}

impl From<Certificate> for CertificateAnswer {
    fn from(c: Certificate) -> Self {
        CertificateAnswer {
            result: 1,
            device: CertificateDevice {
                id: c.device_id.to_string(),
                name: c.name,
                access_token: c.access_token,
            },
        }
    }
}

/// `POST /device/v1/<AccessToken>/provision`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ProvisionBody {
    /// The provisioning code the device's user got from
    /// `/user/customer/user/provision`.
    pub code: Option<LooseString>,
}

/// The device of a provisioning answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProvisionedDevice {
    pub id: String,
    pub name: String,
}

/// `{"result": 1, "device": {id, name}, "customer_id"}`: the device now
/// belongs to that customer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProvisionAnswer {
    /// Always `1`.
    pub result: u8,
    pub device: ProvisionedDevice,
    /// The user the device is bound to as owner.
    pub customer_id: String,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use serde_json::json;

    use super::*;

    #[test]
    fn keys_split_on_commas() {
        let q = |k: &str| {
            KeysQuery {
                keys: Some(k.into()),
            }
            .keys()
            .unwrap()
        };
        assert_eq!(q("a, b,,c"), Some(vec!["a".into(), "b".into(), "c".into()]));
        assert_eq!(q(" , "), None);
        assert_eq!(KeysQuery { keys: None }.keys().unwrap(), None);
    }

    #[test]
    fn events_need_a_method_and_get_an_id() {
        let e = |v: Value| serde_json::from_value::<EventBody>(v).unwrap().report(42);
        let (id, body) = e(json!({"method": "alarm", "params": {"level": 2}})).unwrap();
        assert_eq!(id, "42");
        assert_eq!(
            body,
            ReportBody::Event {
                id: "42".into(),
                method: "alarm".into(),
                params: json!({"level": 2})
            }
        );
        assert_eq!(e(json!({"method": "m", "id": 7})).unwrap().0, "7");
        assert!(matches!(
            e(json!({"params": {}})),
            Err(DomainError::Invalid {
                field: "method",
                ..
            })
        ));
        assert!(matches!(
            e(json!({"method": "m", "id": "a/b"})),
            Err(DomainError::Invalid { field: "id", .. })
        ));
    }
}
