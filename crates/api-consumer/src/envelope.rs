//! Seed 000's `{code, msg, data}` envelope and its codes.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use thingstead_core::DomainError;
use thingstead_http::{Dialect, Refusal};
use utoipa::ToSchema;

/// Success.
pub const OK: i32 = 200;
/// The `clientKey` names no app.
pub const UNKNOWN_CLIENT: i32 = 1001;
/// The verification code is wrong, expired, used, or dead after 5 wrong tries.
pub const WRONG_CODE: i32 = 1002;
/// The phone number is already registered.
pub const PHONE_TAKEN: i32 = 1003;
/// The user name is already taken.
pub const USERNAME_TAKEN: i32 = 1004;
/// The e-mail address is already registered.
pub const EMAIL_TAKEN: i32 = 1005;
/// Account or password wrong (the same for an unknown account).
pub const BAD_CREDENTIALS: i32 = 1006;

/// `{code, msg}` with `data` when there is some.
#[derive(Debug, Serialize, ToSchema)]
pub struct Envelope<T> {
    pub code: i32,
    pub msg: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<T>,
}

/// A reply without `data`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Plain {
    /// 200 on success; see docs/api/000-consumer.md for every code.
    pub code: i32,
    pub msg: String,
}

/// A successful reply carrying `data`.
pub fn ok<T: Serialize>(data: T) -> Response {
    Json(Envelope {
        code: OK,
        msg: "success".into(),
        data: Some(data),
    })
    .into_response()
}

/// A successful reply without `data`.
pub fn done() -> Response {
    Json(Plain {
        code: OK,
        msg: "success".into(),
    })
    .into_response()
}

fn fail(status: StatusCode, code: i32, msg: impl Into<String>) -> Response {
    (
        status,
        Json(Plain {
            code,
            msg: msg.into(),
        }),
    )
        .into_response()
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
            E::Invalid { .. } => fail(StatusCode::BAD_REQUEST, 400, msg),
            E::Unauthenticated => fail(StatusCode::UNAUTHORIZED, 401, msg),
            E::Forbidden => fail(StatusCode::FORBIDDEN, 403, msg),
            E::NotFound(_) => fail(StatusCode::NOT_FOUND, 404, msg),
            E::TooManyRequests => fail(StatusCode::TOO_MANY_REQUESTS, 429, msg),
            E::Provider => fail(StatusCode::SERVICE_UNAVAILABLE, 503, msg),
            E::TooLarge => fail(StatusCode::PAYLOAD_TOO_LARGE, 413, msg),
            E::UnsupportedMedia => fail(StatusCode::UNSUPPORTED_MEDIA_TYPE, 415, msg),
            E::UnknownClient => fail(StatusCode::OK, UNKNOWN_CLIENT, msg),
            E::WrongCode | E::BadTicket => fail(StatusCode::OK, WRONG_CODE, msg),
            E::PhoneTaken => fail(StatusCode::OK, PHONE_TAKEN, msg),
            E::Conflict(_) | E::InUse(_) => fail(StatusCode::CONFLICT, 409, msg),
            E::UsernameTaken => fail(StatusCode::OK, USERNAME_TAKEN, msg),
            E::EmailTaken => fail(StatusCode::OK, EMAIL_TAKEN, msg),
            E::BadCredentials | E::NewTerminal => fail(StatusCode::OK, BAD_CREDENTIALS, msg),
            E::Internal => fail(StatusCode::INTERNAL_SERVER_ERROR, 500, msg),
        }
    }
}

/// The dialect marker for the shared extractors.
pub struct Consumer;

impl Dialect for Consumer {
    fn refuse(refusal: Refusal) -> Response {
        let code = refusal.status().as_u16() as i32;
        fail(refusal.status(), code, refusal.message())
    }
}

pub type Result<T> = std::result::Result<T, ApiError>;
