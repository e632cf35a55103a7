//! Seed 003 用户管理: customers (the project's app users) and customer
//! roles. Role management beyond the list is an extension.

mod accounts;
pub mod dto;
mod roles;

use thingstead_http::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The routes of this part.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(accounts::list))
        .routes(routes!(accounts::read, accounts::delete))
        .routes(routes!(accounts::create))
        .routes(routes!(accounts::update_info))
        .routes(routes!(accounts::set_password))
        .routes(routes!(accounts::merge_tags))
        .routes(routes!(accounts::auth))
        .routes(routes!(roles::list))
        .routes(routes!(roles::create))
        .routes(routes!(roles::update, roles::delete))
}
