//! Seed 002's `{code, data, message, id}` answer and its codes. Every
//! answer is HTTP 200; the outcome is in `code`, and `id` echoes the
//! request's `id`.

use axum::Json;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::Value;
use thingstead_core::DomainError;
use thingstead_core::living::LivingError;
use utoipa::ToSchema;

pub const OK: i32 = 200;
/// The body is not a JSON object, or the method is not `POST`.
pub const BAD_REQUEST: i32 = 400;
/// `iotToken` missing, unknown or expired.
pub const AUTH: i32 = 401;
pub const FORBIDDEN: i32 = 403;
/// No such path.
pub const NOT_FOUND: i32 = 404;
pub const TOO_MANY: i32 = 429;
/// A parameter is missing or wrong; `message` names it.
pub const PARAMETER: i32 = 460;
pub const SERVICE_ERROR: i32 = 500;
pub const UNAVAILABLE: i32 = 503;
/// The caller is not bound to the device (or it does not exist).
pub const NOT_BOUND: i32 = 2065;
/// The caller is bound, but not as the owner.
pub const NOT_MANAGER: i32 = 2066;
/// The device's type does not allow sharing.
pub const SHARE_FORBIDDEN: i32 = 2073;

/// The answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Answer<T> {
    /// 200 on success; see docs/api/002-living.md for every code.
    pub code: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<T>,
    pub message: String,
    /// The request's `id`.
    #[schema(value_type = Object)]
    pub id: Value,
}

/// An answer without `data`.
pub type Plain = Answer<()>;

/// A successful answer with `data`.
pub fn ok<T: Serialize>(id: Value, data: T) -> Response {
    Json(Answer {
        code: OK,
        data: Some(data),
        message: "success".into(),
        id,
    })
    .into_response()
}

/// A successful answer without `data`.
pub fn done(id: Value) -> Response {
    Json(Answer::<()> {
        code: OK,
        data: None,
        message: "success".into(),
        id,
    })
    .into_response()
}

/// A refused call.
pub fn fail(id: Value, code: i32, message: impl Into<String>) -> Response {
    Json(Answer::<()> {
        code,
        data: None,
        message: message.into(),
        id,
    })
    .into_response()
}

/// A refusal before the request's `id` is known.
pub fn refusal(code: i32, message: impl Into<String>) -> Response {
    fail(Value::Null, code, message)
}

/// The code and message of a refused call.
pub fn code_of(e: &LivingError) -> (i32, String) {
    use DomainError as E;
    match e {
        LivingError::NotBound => (NOT_BOUND, e.to_string()),
        LivingError::NotManager => (NOT_MANAGER, e.to_string()),
        LivingError::ShareForbidden => (SHARE_FORBIDDEN, e.to_string()),
        LivingError::Domain(d) => match d {
            E::Invalid { message, .. } => (PARAMETER, message.clone()),
            E::NotFound(what) => (PARAMETER, format!("{what} not found")),
            E::Unauthenticated => (AUTH, "request auth error.".into()),
            E::Forbidden => (FORBIDDEN, "request forbidden.".into()),
            E::TooManyRequests => (TOO_MANY, "too many requests.".into()),
            E::Provider => (UNAVAILABLE, "service not available.".into()),
            E::Internal => (SERVICE_ERROR, "service error.".into()),
            other => (BAD_REQUEST, other.to_string()),
        },
    }
}
