//! (being written)

use thingstead_http::AppState;
use utoipa_axum::router::OpenApiRouter;

/// The routes of this part.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}
