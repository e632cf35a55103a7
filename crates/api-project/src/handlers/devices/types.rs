//! Device types and their extend-info definitions.

use axum::extract::State;
use axum::response::Response;
use thingstead_http::{AppState, DialectJson};

use super::dto::{DeviceTypeBody, DeviceTypeItem, Empty, InfoDefBody, InfoDefItem, Items};
use super::{PathId, PathIds};
use crate::auth::ProjectAuth;
use crate::envelope::{Json, Result, Success, done, ok};

/// GET /api/v1/device_types — the project's device types with their device counts.
#[utoipa::path(get, path = "/device_types", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>")),
    responses((status = 200, body = Success<Items<DeviceTypeItem>>)))]
#[tracing::instrument(skip_all)]
pub async fn list(State(s): State<AppState>, ProjectAuth(caller): ProjectAuth) -> Result<Response> {
    let types = s.projects.device_types(caller.project_id).await?;
    Ok(ok(Items::new(
        types.into_iter().map(DeviceTypeItem::from).collect(),
    )))
}

/// POST /api/v1/device_type — Extension: create a device type.
#[utoipa::path(post, path = "/device_type", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>")),
    request_body = DeviceTypeBody, responses((status = 200, body = Success<DeviceTypeItem>)))]
#[tracing::instrument(skip_all)]
pub async fn create(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    DialectJson(body, _): Json<DeviceTypeBody>,
) -> Result<Response> {
    let t = s
        .projects
        .create_device_type(caller.project_id, body.into())
        .await?;
    Ok(ok(DeviceTypeItem::new(t, 0)))
}

/// PUT /api/v1/device_type/{device_type_id} — Extension: change a device type.
#[utoipa::path(put, path = "/device_type/{device_type_id}", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("device_type_id" = String, Path, description = "device type ID")),
    request_body = DeviceTypeBody, responses((status = 200, body = Success<Empty>)))]
#[tracing::instrument(skip_all)]
pub async fn update(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    PathId(id): PathId,
    DialectJson(body, _): Json<DeviceTypeBody>,
) -> Result<Response> {
    s.projects
        .update_device_type(caller.project_id, &id, body.into())
        .await?;
    Ok(done())
}

/// DELETE /api/v1/device_type/{device_type_id} — Extension: delete a device type without devices.
#[utoipa::path(delete, path = "/device_type/{device_type_id}", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("device_type_id" = String, Path, description = "device type ID")),
    responses((status = 200, body = Success<Empty>)))]
#[tracing::instrument(skip_all)]
pub async fn delete(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    PathId(id): PathId,
) -> Result<Response> {
    s.projects
        .delete_device_type(caller.project_id, &id)
        .await?;
    Ok(done())
}

/// GET /api/v1/device_type/{device_type_id}/extend_infos — the type's extend-info definitions.
#[utoipa::path(get, path = "/device_type/{device_type_id}/extend_infos", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("device_type_id" = String, Path, description = "device type ID")),
    responses((status = 200, body = Success<Items<InfoDefItem>>)))]
#[tracing::instrument(skip_all)]
pub async fn infos(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    PathId(id): PathId,
) -> Result<Response> {
    let defs = s.projects.device_type_infos(caller.project_id, &id).await?;
    Ok(ok(Items::new(
        defs.into_iter().map(InfoDefItem::from).collect(),
    )))
}

/// POST /api/v1/device_type/{device_type_id}/extend_info — Extension: define a custom extend info.
#[utoipa::path(post, path = "/device_type/{device_type_id}/extend_info", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("device_type_id" = String, Path, description = "device type ID")),
    request_body = InfoDefBody, responses((status = 200, body = Success<InfoDefItem>)))]
#[tracing::instrument(skip_all)]
pub async fn create_info(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    PathId(id): PathId,
    DialectJson(body, _): Json<InfoDefBody>,
) -> Result<Response> {
    let def = s
        .projects
        .create_type_info(caller.project_id, &id, body.into())
        .await?;
    Ok(ok(InfoDefItem::from(def)))
}

/// DELETE /api/v1/device_type/{device_type_id}/extend_info/{info_id} — Extension: delete a custom extend info.
#[utoipa::path(delete, path = "/device_type/{device_type_id}/extend_info/{info_id}", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("device_type_id" = String, Path, description = "device type ID"),
        ("info_id" = String, Path, description = "extend info ID")),
    responses((status = 200, body = Success<Empty>)))]
#[tracing::instrument(skip_all)]
pub async fn delete_info(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    PathIds(id, info_id): PathIds,
) -> Result<Response> {
    s.projects
        .delete_type_info(caller.project_id, &id, &info_id)
        .await?;
    Ok(done())
}
