//! Seed 003's envelopes: `{result: true, info}` and
//! `{result: false, errcode, message, errors}`; the two documented 404s.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Value, json};
use thingstead_core::DomainError;
use thingstead_http::{Dialect, Refusal};
use utoipa::ToSchema;

/// A field is missing, malformed or of the wrong type.
pub const BAD_PARAM: i32 = 400;
/// No token, or one that is unknown, expired or not a project token.
pub const UNAUTHORIZED: i32 = 401;
/// The caller may not do this (`GET /admin` with an app token).
pub const FORBIDDEN: i32 = 403;
/// No such resource in the caller's project.
pub const NOT_FOUND: i32 = 404;
/// A duplicate: device key, customer account, mobile, e-mail, admin account.
pub const CONFLICT: i32 = 409;
/// The resource is still in use (a type with devices, a group with children).
pub const IN_USE: i32 = 423;
/// Too many wrong credentials; try later.
pub const TOO_MANY: i32 = 429;
/// Internal error; details only in the server log.
pub const INTERNAL: i32 = 500;
/// Wrong app credentials, admin account or password, or customer account or password.
pub const BAD_CREDENTIALS: i32 = 1001;
/// The device has no live connection (of the asked kind); nothing was sent
/// or queued.
pub const DEVICE_OFFLINE: i32 = 1002;

/// A successful answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Success<T> {
    /// Always `true`.
    pub result: bool,
    pub info: T,
}

/// A failed answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Failure {
    /// Always `false`.
    pub result: bool,
    /// See docs/api/003-project.md.
    pub errcode: i32,
    pub message: String,
    /// For parameter errors: `[{"field", "message"}]`.
    #[schema(value_type = Vec<Object>)]
    pub errors: Vec<Value>,
}

/// `{result: true, info}`.
pub fn ok<T: Serialize>(info: T) -> Response {
    axum::Json(Success { result: true, info }).into_response()
}

/// `{result: true, info: {}}`.
pub fn done() -> Response {
    ok(json!({}))
}

/// `{result: false, errcode: 1002, message}`: the device is not connected.
pub fn offline(message: impl Into<String>) -> Response {
    fail(DEVICE_OFFLINE, message, vec![])
}

fn fail(errcode: i32, message: impl Into<String>, errors: Vec<Value>) -> Response {
    let body = Failure {
        result: false,
        errcode,
        message: message.into(),
        errors,
    };
    (StatusCode::OK, axum::Json(body)).into_response()
}

/// A refused request, in this dialect.
#[derive(Debug)]
pub struct ApiError(pub DomainError);

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        use DomainError as E;
        let msg = self.0.to_string();
        match self.0 {
            E::Invalid { field, message } => fail(
                BAD_PARAM,
                message.clone(),
                vec![json!({"field": field, "message": message})],
            ),
            E::Unauthenticated => fail(UNAUTHORIZED, "invalid or expired access token", vec![]),
            E::Forbidden => fail(FORBIDDEN, msg, vec![]),
            // `device_type` reads "device type not found", like the other parts.
            E::NotFound(what) => fail(
                NOT_FOUND,
                format!("{} not found", what.replace('_', " ")),
                vec![],
            ),
            E::Conflict(_) | E::PhoneTaken | E::UsernameTaken | E::EmailTaken => {
                fail(CONFLICT, msg, vec![])
            }
            E::InUse(_) => fail(IN_USE, msg, vec![]),
            E::TooManyRequests => fail(TOO_MANY, msg, vec![]),
            E::BadCredentials | E::UnknownClient | E::NewTerminal => {
                fail(BAD_CREDENTIALS, msg, vec![])
            }
            E::WrongCode | E::BadTicket => fail(BAD_PARAM, msg, vec![]),
            E::TooLarge => fail(413, msg, vec![]),
            E::UnsupportedMedia => fail(415, msg, vec![]),
            E::Provider => fail(503, msg, vec![]),
            E::Internal => fail(INTERNAL, msg, vec![]),
        }
    }
}

/// The dialect marker for the shared extractors.
pub struct Project;

impl Dialect for Project {
    fn refuse(refusal: Refusal) -> Response {
        match refusal {
            Refusal::NotFound | Refusal::MethodNotAllowed => (
                StatusCode::NOT_FOUND,
                axum::Json(json!({"message": "Request invalid"})),
            )
                .into_response(),
            Refusal::BadJson => (
                StatusCode::NOT_FOUND,
                axum::Json(
                    json!({"result": false, "message": "Invalid JSON message", "errcode": 400}),
                ),
            )
                .into_response(),
            Refusal::BadRequest(m) => fail(BAD_PARAM, m, vec![]),
            Refusal::TooLarge => fail(413, Refusal::TooLarge.message(), vec![]),
            Refusal::Internal => fail(INTERNAL, "internal error", vec![]),
        }
    }
}

pub type Result<T> = std::result::Result<T, ApiError>;
/// JSON bodies of this dialect.
pub type Json<T> = thingstead_http::DialectJson<T, Project>;
/// Query strings of this dialect.
pub type Query<T> = thingstead_http::DialectQuery<T, Project>;
