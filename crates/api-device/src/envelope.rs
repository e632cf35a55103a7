//! The HTTP device API's envelope: `{"result": 1, …}` on success (HTTP 200),
//! `{"result": 0, "message"}` with an HTTP status on failure.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::json;
use thingstead_core::DomainError;
use thingstead_core::living::ProvisionError;
use thingstead_core::telemetry::ReportError;
use thingstead_http::{Dialect, Refusal};
use utoipa::ToSchema;

/// The answer to a wrong or missing access token or `Project-Key`.
pub const BAD_CERTIFICATE: &str = "access token or project key is wrong";

/// A failed answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Failure {
    /// Always `0`.
    pub result: u8,
    pub message: String,
}

/// `{"result": 1}` alone.
#[derive(Debug, Serialize, ToSchema)]
pub struct Done {
    /// Always `1`.
    pub result: u8,
}

/// `{"result": 1}`.
pub fn done() -> Response {
    axum::Json(Done { result: 1 }).into_response()
}

/// A refused request: an HTTP status and a message.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
        }
    }

    /// 401: the certificate or the project key is wrong or missing.
    pub fn unauthorized() -> Self {
        ApiError::new(StatusCode::UNAUTHORIZED, BAD_CERTIFICATE)
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        use DomainError as E;
        let msg = e.to_string();
        let status = match e {
            E::Invalid { .. } | E::WrongCode | E::BadTicket | E::NewTerminal => {
                StatusCode::BAD_REQUEST
            }
            E::Unauthenticated | E::BadCredentials | E::UnknownClient | E::Forbidden => {
                return ApiError::unauthorized();
            }
            E::NotFound(_) => StatusCode::NOT_FOUND,
            E::Conflict(_) | E::PhoneTaken | E::UsernameTaken | E::EmailTaken => {
                StatusCode::CONFLICT
            }
            E::InUse(_) => StatusCode::LOCKED,
            E::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            E::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            E::UnsupportedMedia => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            E::Provider => StatusCode::SERVICE_UNAVAILABLE,
            E::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        };
        ApiError::new(status, msg)
    }
}

impl From<ProvisionError> for ApiError {
    fn from(e: ProvisionError) -> Self {
        let status = match e {
            ProvisionError::Missing
            | ProvisionError::Wrong
            | ProvisionError::Expired
            | ProvisionError::Used => StatusCode::BAD_REQUEST,
            ProvisionError::Owned => StatusCode::CONFLICT,
            ProvisionError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        };
        ApiError::new(status, e.to_string())
    }
}

impl From<ReportError> for ApiError {
    fn from(e: ReportError) -> Self {
        match e {
            ReportError::Invalid(m) => ApiError::new(StatusCode::BAD_REQUEST, m),
            ReportError::Unavailable => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "the report could not be stored, try again later",
            ),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Failure {
            result: 0,
            message: self.message,
        };
        (self.status, axum::Json(body)).into_response()
    }
}

/// The dialect marker for the shared extractors and refusals.
pub struct Device;

impl Dialect for Device {
    fn refuse(refusal: Refusal) -> Response {
        let status = refusal.status();
        (
            status,
            axum::Json(json!({"result": 0, "message": refusal.message()})),
        )
            .into_response()
    }
}

pub type Result<T> = std::result::Result<T, ApiError>;
/// JSON bodies of this dialect.
pub type Json<T> = thingstead_http::DialectJson<T, Device>;
/// Query strings of this dialect.
pub type Query<T> = thingstead_http::DialectQuery<T, Device>;
