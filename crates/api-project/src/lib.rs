//! Seed 003: the ThingsCloud project HTTP API, under `/api/v1`, in the
//! `{result, info}` envelope. Error codes are listed in
//! docs/api/003-project.md.

pub mod auth;
pub mod envelope;
mod handlers;

/// The alarm rule as the project API shows it, for the command line.
pub use handlers::alarms::dto::{RuleBody, RuleItem};

use thingstead_http::AppState;
use utoipa_axum::router::OpenApiRouter;

/// The routes of seed 003, relative to `/api/v1`, with this dialect's
/// `404 {"message": "Request invalid"}` and JSON error answers.
pub fn router() -> OpenApiRouter<AppState> {
    let routes = OpenApiRouter::new()
        .merge(handlers::access::routes())
        .merge(handlers::devices::routes())
        .merge(handlers::data::routes())
        .merge(handlers::control::routes())
        .merge(handlers::customers::routes())
        .merge(handlers::bindings::routes())
        .merge(handlers::gateways::routes())
        .merge(handlers::alarms::routes());
    thingstead_http::finish::<envelope::Project>(routes)
}
