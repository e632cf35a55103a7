//! Seed 001's `{errorCode, errorMsg, description, data}` envelope and its codes.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{Value, json};
use thingstead_core::DomainError;
use thingstead_http::{Dialect, Refusal};
use utoipa::ToSchema;

/// Success.
pub const OK: i32 = 0;
/// Password login from a new terminal; the app must switch to code login.
pub const NEW_TERMINAL: i32 = 441;
/// The errorMsg of 441, word for word as the document has it.
pub const NEW_TERMINAL_MSG: &str = "您正在一台新设备登录互联,为了您的账号安全,请进行安全验证";
/// The verification code is wrong, expired, used, or dead after 5 wrong tries.
pub const WRONG_CODE: i32 = 1001;
/// Account or password wrong (the same for an unknown account).
pub const BAD_CREDENTIALS: i32 = 1002;
/// The phone number belongs to another account.
pub const PHONE_TAKEN: i32 = 1003;
/// The upload ticket is unknown, expired or used.
pub const BAD_TICKET: i32 = 1004;
/// The e-mail address or user name belongs to another account.
pub const ACCOUNT_TAKEN: i32 = 1005;

/// The envelope of every answer.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Envelope<T> {
    /// 0 on success; see docs/api/001-lock.md for every code.
    pub error_code: i32,
    pub error_msg: String,
    pub description: String,
    pub data: T,
}

/// An empty `data` object.
#[derive(Debug, Serialize, ToSchema)]
pub struct Empty {}

/// A successful answer carrying `data`.
pub fn ok<T: Serialize>(data: T) -> Response {
    axum::Json(Envelope {
        error_code: OK,
        error_msg: "success".into(),
        description: "success".into(),
        data,
    })
    .into_response()
}

/// A successful answer with `data: {}`.
pub fn done() -> Response {
    ok(json!({}))
}

fn fail(status: StatusCode, code: i32, msg: impl Into<String>) -> Response {
    let body = Envelope::<Value> {
        error_code: code,
        error_msg: msg.into(),
        description: String::new(),
        data: json!({}),
    };
    (status, axum::Json(body)).into_response()
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
            E::Invalid { .. } | E::UnknownClient => fail(StatusCode::BAD_REQUEST, 400, msg),
            E::Unauthenticated => fail(StatusCode::UNAUTHORIZED, 401, msg),
            E::Forbidden => fail(StatusCode::FORBIDDEN, 403, msg),
            E::NotFound(_) => fail(StatusCode::NOT_FOUND, 404, msg),
            E::TooLarge => fail(StatusCode::PAYLOAD_TOO_LARGE, 413, msg),
            E::UnsupportedMedia => fail(StatusCode::UNSUPPORTED_MEDIA_TYPE, 415, msg),
            E::TooManyRequests => fail(StatusCode::TOO_MANY_REQUESTS, 429, msg),
            E::NewTerminal => fail(StatusCode::OK, NEW_TERMINAL, NEW_TERMINAL_MSG),
            E::WrongCode => fail(StatusCode::OK, WRONG_CODE, msg),
            E::BadCredentials => fail(StatusCode::OK, BAD_CREDENTIALS, msg),
            E::PhoneTaken => fail(StatusCode::OK, PHONE_TAKEN, msg),
            E::Conflict(_) | E::InUse(_) => fail(StatusCode::CONFLICT, 409, msg),
            E::BadTicket => fail(StatusCode::OK, BAD_TICKET, msg),
            E::EmailTaken | E::UsernameTaken => fail(StatusCode::OK, ACCOUNT_TAKEN, msg),
            E::Provider => fail(StatusCode::SERVICE_UNAVAILABLE, 503, msg),
            E::Internal => fail(StatusCode::INTERNAL_SERVER_ERROR, 500, msg),
        }
    }
}

/// The dialect marker for the shared extractors.
pub struct Lock;

impl Dialect for Lock {
    fn refuse(refusal: Refusal) -> Response {
        fail(
            refusal.status(),
            refusal.status().as_u16() as i32,
            refusal.message(),
        )
    }
}

pub type Result<T> = std::result::Result<T, ApiError>;
pub type Json<T> = thingstead_http::DialectJson<T, Lock>;
