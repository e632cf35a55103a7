//! Seed 003 设备数据: a device's current attributes, their history, and
//! removing attributes.

pub mod dto;
mod read;

use thingstead_http::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this part.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(read::attributes))
        .routes(routes!(read::attributes_raw))
        .routes(routes!(read::series))
        .routes(routes!(read::remove))
}
