//! Seed 000: the consumer-app user center, under `/user`, in the
//! `{code, msg, data}` envelope. Codes are listed in docs/api/000-consumer.md.

mod auth;
pub mod dto;
pub mod envelope;
mod handlers;

use thingstead_http::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use handlers::{account, events, profile};

/// The routes of seed 000, relative to `/user`, with this dialect's 404,
/// 405 and panic answers.
pub fn router() -> OpenApiRouter<AppState> {
    let routes = OpenApiRouter::new()
        .routes(routes!(account::register))
        .routes(routes!(account::send_code))
        .routes(routes!(account::reset_password))
        .routes(routes!(account::login))
        .routes(routes!(profile::detail))
        .routes(routes!(profile::alarm_switch, profile::set_alarm_switch))
        .routes(routes!(profile::update))
        .routes(routes!(profile::provision))
        .routes(routes!(events::events));
    thingstead_http::finish::<envelope::Consumer>(routes)
}
