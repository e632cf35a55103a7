//! What every API dialect shares: the application state, the client
//! address, body and query extractors that answer in the dialect's own
//! envelope, and the finishing layers (fallbacks, panics, body limit).

pub mod extract;
pub mod loose;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::Response;
use thingstead_core::Identity;
use thingstead_core::uploads::Uploads;
use utoipa_axum::router::OpenApiRouter;

pub use extract::{DialectJson, DialectQuery};
pub use loose::{LooseInt, LooseString};

/// Largest request body outside uploads.
pub const BODY_LIMIT: usize = 64 * 1024;

/// Shared by every handler of every dialect.
#[derive(Clone)]
pub struct AppState {
    pub identity: Identity,
    pub projects: thingstead_core::Projects,
    /// Bindings, sharing and push channels (seed 002).
    pub living: thingstead_core::Living,
    /// Device data and control.
    pub telemetry: thingstead_core::Telemetry,
    /// Alarm rules, alarm logs, acknowledging and clearing alarms.
    pub alarms: thingstead_core::Alarms,
    pub uploads: Uploads,
    /// Base URL put into links, without a trailing slash.
    pub public_url: Arc<str>,
    /// Display offset for dates the dialects show as local time strings.
    pub display_offset: chrono::FixedOffset,
}

/// Why a request was refused before its handler ran.
#[derive(Debug, Clone)]
pub enum Refusal {
    /// The body or query could not be read; the message names the field.
    BadRequest(String),
    /// The body is not JSON at all.
    BadJson,
    /// No such route.
    NotFound,
    /// The route exists, but not with this method.
    MethodNotAllowed,
    /// The body is over the limit.
    TooLarge,
    /// The handler panicked.
    Internal,
}

impl Refusal {
    pub fn status(&self) -> StatusCode {
        match self {
            Refusal::BadRequest(_) | Refusal::BadJson => StatusCode::BAD_REQUEST,
            Refusal::NotFound => StatusCode::NOT_FOUND,
            Refusal::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Refusal::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Refusal::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn message(&self) -> String {
        match self {
            Refusal::BadRequest(m) => m.clone(),
            Refusal::BadJson => "request body is not valid JSON".into(),
            Refusal::NotFound => "no such endpoint".into(),
            Refusal::MethodNotAllowed => "method not allowed for this endpoint".into(),
            Refusal::TooLarge => format!("request body is larger than {} KiB", BODY_LIMIT / 1024),
            Refusal::Internal => "internal error".into(),
        }
    }
}

/// An API dialect: how it answers a refused request.
pub trait Dialect: Send + Sync + 'static {
    fn refuse(refusal: Refusal) -> Response;
}

/// Gives a dialect's router its own 404, 405, panic answer and body limit.
pub fn finish<D: Dialect>(router: OpenApiRouter<AppState>) -> OpenApiRouter<AppState> {
    let router = router.fallback(|| async { D::refuse(Refusal::NotFound) });
    let (router, api) = router.split_for_parts();
    let router = router
        .method_not_allowed_fallback(|| async { D::refuse(Refusal::MethodNotAllowed) })
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            |_: Box<dyn std::any::Any + Send>| D::refuse(Refusal::Internal),
        ))
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT));
    OpenApiRouter::with_openapi(api).merge(router.into())
}

/// The client's network address, for per-address throttles.
#[derive(Debug, Clone)]
pub struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let addr = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(a)| a.ip().to_string())
            .unwrap_or_else(|| "unknown".into());
        Ok(ClientAddr(addr))
    }
}

/// The value of a header, trimmed, if present and not empty.
pub fn header<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// The token of an `Authorization: Bearer <token>` header.
pub fn bearer(parts: &Parts) -> Option<&str> {
    let value = header(parts, "authorization")?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}
