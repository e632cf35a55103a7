//! Seed 003 device types, extend-info definitions, device groups, devices,
//! certificates, extend infos and device statistics.

pub mod dto;
mod groups;
mod infos;
mod manage;
mod stats;
mod types;

use std::convert::Infallible;

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use thingstead_http::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// One id in the path. Never refuses: a path that cannot be read names no
/// record, and the handler answers 404 like for any unknown id.
pub struct PathId(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PathId {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let id = Path::<String>::from_request_parts(parts, state)
            .await
            .map(|Path(id)| id)
            .unwrap_or_default();
        Ok(PathId(id))
    }
}

/// Two ids in the path, like [`PathId`].
pub struct PathIds(pub String, pub String);

impl<S: Send + Sync> FromRequestParts<S> for PathIds {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let (a, b) = Path::<(String, String)>::from_request_parts(parts, state)
            .await
            .map(|Path(ids)| ids)
            .unwrap_or_default();
        Ok(PathIds(a, b))
    }
}

/// The routes of this part.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(stats::devices_stat))
        .routes(routes!(stats::devices_alarm_stat))
        .routes(routes!(types::list))
        .routes(routes!(types::create))
        .routes(routes!(types::update, types::delete))
        .routes(routes!(types::infos))
        .routes(routes!(types::create_info))
        .routes(routes!(types::delete_info))
        .routes(routes!(groups::tree))
        .routes(routes!(groups::create))
        .routes(routes!(groups::update, groups::delete))
        .routes(routes!(manage::list))
        .routes(routes!(manage::create))
        .routes(routes!(manage::read, manage::delete))
        .routes(routes!(manage::update_info))
        .routes(routes!(manage::set_tags))
        .routes(routes!(manage::remove_tags))
        .routes(routes!(manage::set_groups))
        .routes(routes!(manage::certificate))
        .routes(routes!(manage::rotate_certificate))
        .routes(routes!(infos::extend_infos, infos::set_extend_infos))
        .routes(routes!(infos::set_standard_infos))
}
