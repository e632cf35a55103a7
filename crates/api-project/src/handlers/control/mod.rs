//! Seed 003 设备通信: attributes pushed to a device, cloud attributes,
//! commands and custom data streams.

pub mod dto;
mod send;

use thingstead_http::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this part.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(send::push_attributes, send::set_cloud_attributes))
        .routes(routes!(send::command))
        .routes(routes!(send::set_data))
}
