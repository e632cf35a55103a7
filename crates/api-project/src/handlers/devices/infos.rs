//! A device's extend infos: custom values and standard infos.

use axum::extract::State;
use axum::response::Response;
use serde_json::{Map, Value};
use thingstead_core::DomainError;
use thingstead_http::{AppState, DialectJson};

use super::PathId;
use super::dto::{ExtendInfoItem, ExtendInfosBody, Items, StandardInfoBody};
use crate::auth::ProjectAuth;
use crate::envelope::{Json, Result, Success, ok};

/// GET /api/v1/device/{device_id}/extend_infos — the type's extend infos with this device's values.
#[utoipa::path(get, path = "/device/{device_id}/extend_infos", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("device_id" = String, Path, description = "device ID")),
    responses((status = 200, body = Success<Items<ExtendInfoItem>>)))]
#[tracing::instrument(skip_all)]
pub async fn extend_infos(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    PathId(id): PathId,
) -> Result<Response> {
    let infos = s
        .projects
        .device_extend_infos(caller.project_id, &id)
        .await?;
    Ok(ok(Items::new(
        infos.into_iter().map(ExtendInfoItem::from).collect(),
    )))
}

/// POST /api/v1/device/{device_id}/extend_infos — set custom extend-info values.
#[utoipa::path(post, path = "/device/{device_id}/extend_infos", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("device_id" = String, Path, description = "device ID")),
    request_body = ExtendInfosBody, responses((status = 200, body = Success<Object>)))]
#[tracing::instrument(skip_all)]
pub async fn set_extend_infos(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    PathId(id): PathId,
    DialectJson(body, _): Json<ExtendInfosBody>,
) -> Result<Response> {
    let infos = body.infos.ok_or(DomainError::required("infos"))?;
    let written = s
        .projects
        .set_device_extend_infos(caller.project_id, &id, infos)
        .await?;
    let info: Map<String, Value> = written
        .into_iter()
        .map(|(id, value)| (id.to_string(), value))
        .collect();
    Ok(ok(info))
}

/// POST /api/v1/device/{device_id}/standard_infos — set one standard extend info.
#[utoipa::path(post, path = "/device/{device_id}/standard_infos", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("device_id" = String, Path, description = "device ID")),
    request_body = StandardInfoBody, responses((status = 200, body = Success<Object>)))]
#[tracing::instrument(skip_all)]
pub async fn set_standard_infos(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    PathId(id): PathId,
    DialectJson(body, _): Json<StandardInfoBody>,
) -> Result<Response> {
    let (kind, value) = s
        .projects
        .set_device_standard_info(caller.project_id, &id, body.info_type, body.value)
        .await?;
    let mut info = Map::new();
    info.insert(kind.as_str().to_owned(), value);
    Ok(ok(info))
}
