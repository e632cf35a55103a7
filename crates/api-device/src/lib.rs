//! The HTTP device API, under `/device/v1`: devices report attributes and
//! events and read their attributes with their certificate
//! (`/device/v1/<AccessToken>/…` and the `Project-Key` header), and devices
//! of a type register themselves with `POST /device/v1/certificate`, and
//! a device presents its user's provisioning code with
//! `POST /device/v1/<AccessToken>/provision`.
//! Answers are `{"result": 1, …}` or `{"result": 0, "message"}` with an
//! HTTP status; see docs/api/device-http.md.

pub mod auth;
pub mod dto;
pub mod envelope;
mod handlers;

use thingstead_http::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of the HTTP device API, relative to `/device/v1`, with its
/// own 404, 405, body limit and error answers.
pub fn router() -> OpenApiRouter<AppState> {
    let routes = OpenApiRouter::new()
        .routes(routes!(
            handlers::report_attributes,
            handlers::read_attributes
        ))
        .routes(routes!(handlers::report_event))
        .routes(routes!(handlers::certificate))
        .routes(routes!(handlers::provision));
    thingstead_http::finish::<envelope::Device>(routes)
}
