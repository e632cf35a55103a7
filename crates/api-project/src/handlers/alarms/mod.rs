//! Seed 003 设备告警: alarm logs of the project and of one device; and,
//! as extensions, the alarm rules of device types and an operator
//! acknowledging or clearing an alarm.

pub mod dto;
mod logs;
mod rules;

use thingstead_http::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this part.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(logs::project_logs))
        .routes(routes!(logs::device_logs))
        .routes(routes!(logs::acknowledge))
        .routes(routes!(logs::clear))
        .routes(routes!(rules::list, rules::create))
        .routes(routes!(rules::update, rules::delete))
}
