//! Seed 001: the smart-lock vendor's user system, under `/v1`, in the
//! `{errorCode, errorMsg, description, data}` envelope. Codes are listed in
//! docs/api/001-lock.md.

mod auth;
pub mod dto;
pub mod envelope;
mod handlers;

use axum::extract::DefaultBodyLimit;
use thingstead_http::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use handlers::{codes, files, login, terminals, user};

/// The routes of seed 001, relative to `/v1`, with this dialect's 404, 405
/// and panic answers.
pub fn router() -> OpenApiRouter<AppState> {
    let uploads = OpenApiRouter::new()
        .routes(routes!(files::local_upload))
        .layer(DefaultBodyLimit::disable());
    let routes = OpenApiRouter::new()
        .routes(routes!(files::upload_params))
        .routes(routes!(files::file))
        .routes(routes!(codes::send))
        .routes(routes!(codes::send_auth))
        .routes(routes!(login::pwd_login))
        .routes(routes!(login::code_login))
        .routes(routes!(login::reset_password))
        .routes(routes!(user::detail))
        .routes(routes!(user::change_password))
        .routes(routes!(user::update_user_info))
        .routes(routes!(terminals::list))
        .routes(routes!(terminals::unbind))
        .merge(uploads);
    thingstead_http::finish::<envelope::Lock>(routes)
}
