//! The request envelope `{id, version, request: {iotToken, apiVer},
//! params}`: read whatever the `Content-Type`, checked in order (JSON
//! object, `request`, `apiVer`, `iotToken`, `params`, then the params'
//! fields), every refusal echoing the `id`.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::response::Response;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use thingstead_core::DomainError;
use thingstead_core::identity::Principal;
use thingstead_core::living::LivingError;
use thingstead_http::{AppState, Refusal};

use crate::envelope::{self, AUTH, BAD_REQUEST, PARAMETER, fail};

/// Longest `iotToken` looked up.
const TOKEN_MAX: usize = 256;

/// One call: the echoed `id`, the caller and the params.
pub struct Call<P> {
    pub id: Value,
    pub caller: Principal,
    pub params: P,
}

impl<P> Call<P> {
    /// The answer: `data` on success, the code of the refusal otherwise.
    pub fn answer<T: Serialize>(self, result: Result<T, LivingError>) -> Response {
        match result {
            Ok(data) => envelope::ok(self.id, data),
            Err(e) => self.refuse(e),
        }
    }

    /// The answer of a call without `data`.
    pub fn done(self, result: Result<(), LivingError>) -> Response {
        match result {
            Ok(()) => envelope::done(self.id),
            Err(e) => self.refuse(e),
        }
    }

    fn refuse(self, e: LivingError) -> Response {
        let (code, message) = envelope::code_of(&e);
        fail(self.id, code, message)
    }
}

/// The `id` of a body, if it is a JSON object with a string or number `id`.
pub fn id_of(bytes: &[u8]) -> Value {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(mut m)) => match m.remove("id") {
            Some(id @ (Value::String(_) | Value::Number(_))) => id,
            _ => Value::Null,
        },
        _ => Value::Null,
    }
}

/// `major.minor.patch`, digits only.
fn is_version(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
}

fn param_error(id: &Value, message: impl Into<String>) -> Response {
    fail(id.clone(), PARAMETER, message)
}

/// Checks the envelope; the `request` object on success, else the 460
/// message.
fn envelope(id: &Value, map: &mut Map<String, Value>) -> Result<Map<String, Value>, &'static str> {
    if !matches!(id, Value::Null | Value::String(_) | Value::Number(_)) {
        return Err("id must be a string or a number");
    }
    let request = match map.remove("request") {
        None | Some(Value::Null) => return Err("request is required"),
        Some(Value::Object(r)) => r,
        Some(_) => return Err("request must be an object"),
    };
    match request.get("apiVer") {
        None | Some(Value::Null) => Err("request.apiVer is required"),
        Some(Value::String(v)) if is_version(v.trim()) => Ok(request),
        Some(_) => Err("request.apiVer must be a version such as 1.0.2"),
    }
}

impl<P: DeserializeOwned + Send> FromRequest<AppState> for Call<P> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                envelope::refusal(BAD_REQUEST, Refusal::TooLarge.message())
            } else {
                envelope::refusal(BAD_REQUEST, "request body could not be read")
            }
        })?;
        let mut map = match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(m)) => m,
            Ok(_) => {
                return Err(envelope::refusal(
                    BAD_REQUEST,
                    "request body must be a JSON object",
                ));
            }
            Err(_) => {
                return Err(envelope::refusal(
                    BAD_REQUEST,
                    "request body is not valid JSON",
                ));
            }
        };
        let id = map.remove("id").unwrap_or(Value::Null);
        let request = match envelope(&id, &mut map) {
            Ok(r) => r,
            Err(message) if message.starts_with("id ") => {
                return Err(param_error(&Value::Null, message));
            }
            Err(message) => return Err(param_error(&id, message)),
        };
        let token = match request.get("iotToken") {
            Some(Value::String(t)) if !t.trim().is_empty() && t.len() <= TOKEN_MAX => t.trim(),
            Some(Value::String(_)) | None | Some(Value::Null) => {
                return Err(fail(id, AUTH, "request auth error."));
            }
            Some(_) => return Err(param_error(&id, "request.iotToken must be a string")),
        };
        let caller = match state.identity.authenticate(token).await {
            Ok(p) => p,
            Err(DomainError::Unauthenticated) => return Err(fail(id, AUTH, "request auth error.")),
            Err(e) => {
                let (code, message) = envelope::code_of(&LivingError::Domain(e));
                return Err(fail(id, code, message));
            }
        };
        let params = match map.remove("params") {
            None | Some(Value::Null) => return Err(param_error(&id, "params is required")),
            Some(p @ Value::Object(_)) => p,
            Some(_) => return Err(param_error(&id, "params must be an object")),
        };
        let text = params.to_string();
        let params = match thingstead_http::extract::parse_json::<P>(text.as_bytes()) {
            Ok(p) => p,
            Err(r) => {
                let message = r.message();
                let message = message
                    .strip_prefix("request body is not a JSON object: ")
                    .map(|m| format!("params: {m}"))
                    .unwrap_or_else(|| format!("params.{message}"));
                return Err(param_error(&id, message));
            }
        };
        Ok(Call { id, caller, params })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert!(is_version("1.0.2"));
        assert!(is_version("10.20.30"));
        assert!(!is_version("1.0"));
        assert!(!is_version("1.0.x"));
        assert!(!is_version("1..2"));
    }

    #[test]
    fn ids_are_found() {
        assert_eq!(id_of(br#"{"id": 5}"#), Value::from(5));
        assert_eq!(id_of(br#"{"id": "a"}"#), Value::from("a"));
        assert_eq!(id_of(br#"{"id": []}"#), Value::Null);
        assert_eq!(id_of(b"nope"), Value::Null);
    }
}
