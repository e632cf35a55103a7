//! Devices: list, read, create, change, delete, certificate.

use axum::extract::State;
use axum::response::Response;
use thingstead_core::DomainError;
use thingstead_http::{AppState, DialectJson, DialectQuery, LooseInt};

use super::PathId;
use super::dto::{
    CertificateInfo, Created, DeviceBody, DeviceInfo, DeviceInfoBody, DeviceList, DevicesQuery,
    Empty, GroupsBody, TagsBody, TagsRemoveBody,
};
use crate::auth::ProjectAuth;
use crate::envelope::{Json, Query, Result, Success, done, ok};

/// A query filter; an empty value counts as absent.
fn filter(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// GET /api/v1/devices — one page of 20 devices, optionally of one type and/or group.
#[utoipa::path(get, path = "/devices", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("page" = Option<i64>, Query, description = "page number from 1, default 1"),
        ("type" = Option<String>, Query, description = "device type ID"),
        ("group" = Option<String>, Query, description = "device group ID")),
    responses((status = 200, body = Success<DeviceList>)))]
#[tracing::instrument(skip_all)]
pub async fn list(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    DialectQuery(q, _): Query<DevicesQuery>,
) -> Result<Response> {
    let page = q.page.map(|LooseInt(p)| p);
    let devices = s
        .projects
        .devices(
            caller.project_id,
            page,
            filter(&q.type_id),
            filter(&q.group),
        )
        .await?;
    Ok(ok(DeviceList::from(devices)))
}

/// GET /api/v1/device/{device_id} — one device with its type, groups and tokens.
#[utoipa::path(get, path = "/device/{device_id}", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("device_id" = String, Path, description = "device ID")),
    responses((status = 200, body = Success<DeviceInfo>)))]
#[tracing::instrument(skip_all)]
pub async fn read(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    PathId(id): PathId,
) -> Result<Response> {
    let device = s.projects.device(caller.project_id, &id).await?;
    Ok(ok(DeviceInfo::from(device)))
}

/// DELETE /api/v1/device/{device_id} — remove a device.
#[utoipa::path(delete, path = "/device/{device_id}", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("device_id" = String, Path, description = "device ID")),
    responses((status = 200, body = Success<Empty>)))]
#[tracing::instrument(skip_all)]
pub async fn delete(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    PathId(id): PathId,
) -> Result<Response> {
    s.projects.delete_device(caller.project_id, &id).await?;
    Ok(done())
}

/// POST /api/v1/device — create a device.
#[utoipa::path(post, path = "/device", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>")),
    request_body = DeviceBody, responses((status = 200, body = Success<Created>)))]
#[tracing::instrument(skip_all)]
pub async fn create(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    DialectJson(body, _): Json<DeviceBody>,
) -> Result<Response> {
    let device = s
        .projects
        .create_device(caller.project_id, body.into())
        .await?;
    Ok(ok(Created {
        id: device.id.to_string(),
        name: device.name,
    }))
}

/// PUT /api/v1/device/{device_id}/info — change name, descr and/or device_key.
#[utoipa::path(put, path = "/device/{device_id}/info", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("device_id" = String, Path, description = "device ID")),
    request_body = DeviceInfoBody, responses((status = 200, body = Success<Empty>)))]
#[tracing::instrument(skip_all)]
pub async fn update_info(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    PathId(id): PathId,
    DialectJson(body, _): Json<DeviceInfoBody>,
) -> Result<Response> {
    s.projects
        .update_device_info(caller.project_id, &id, body.into())
        .await?;
    Ok(done())
}

/// PUT /api/v1/device/{device_id}/tags — add or overwrite tags.
#[utoipa::path(put, path = "/device/{device_id}/tags", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("device_id" = String, Path, description = "device ID")),
    request_body = TagsBody, responses((status = 200, body = Success<Empty>)))]
#[tracing::instrument(skip_all)]
pub async fn set_tags(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    PathId(id): PathId,
    DialectJson(body, _): Json<TagsBody>,
) -> Result<Response> {
    let tags = body.tags.ok_or(DomainError::required("tags"))?;
    s.projects
        .set_device_tags(caller.project_id, &id, tags)
        .await?;
    Ok(done())
}

/// POST /api/v1/device/{device_id}/tags_remove — remove tags by key.
#[utoipa::path(post, path = "/device/{device_id}/tags_remove", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("device_id" = String, Path, description = "device ID")),
    request_body = TagsRemoveBody, responses((status = 200, body = Success<Empty>)))]
#[tracing::instrument(skip_all)]
pub async fn remove_tags(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    PathId(id): PathId,
    DialectJson(body, _): Json<TagsRemoveBody>,
) -> Result<Response> {
    let keys = body.keys.ok_or(DomainError::required("keys"))?;
    s.projects
        .remove_device_tags(caller.project_id, &id, keys)
        .await?;
    Ok(done())
}

/// PUT /api/v1/device/{device_id}/groups — the device's groups become exactly these.
#[utoipa::path(put, path = "/device/{device_id}/groups", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("device_id" = String, Path, description = "device ID")),
    request_body = GroupsBody, responses((status = 200, body = Success<Empty>)))]
#[tracing::instrument(skip_all)]
pub async fn set_groups(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    PathId(id): PathId,
    DialectJson(body, _): Json<GroupsBody>,
) -> Result<Response> {
    let groups: Vec<String> = body
        .groups
        .ok_or(DomainError::required("groups"))?
        .into_iter()
        .map(|g| g.0)
        .collect();
    s.projects
        .set_device_groups(caller.project_id, &id, &groups)
        .await?;
    Ok(done())
}

/// GET /api/v1/device/{device_id}/certificate — the device's access token and the project key.
#[utoipa::path(get, path = "/device/{device_id}/certificate", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("device_id" = String, Path, description = "device ID")),
    responses((status = 200, body = Success<CertificateInfo>)))]
#[tracing::instrument(skip_all)]
pub async fn certificate(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    PathId(id): PathId,
) -> Result<Response> {
    let cert = s
        .projects
        .device_certificate(caller.project_id, &id)
        .await?;
    Ok(ok(CertificateInfo::from(cert)))
}

/// POST /api/v1/device/{device_id}/certificate/rotate — Extension: a new access token for the device.
#[utoipa::path(post, path = "/device/{device_id}/certificate/rotate", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("device_id" = String, Path, description = "device ID")),
    responses((status = 200, body = Success<CertificateInfo>)))]
#[tracing::instrument(skip_all)]
pub async fn rotate_certificate(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    PathId(id): PathId,
) -> Result<Response> {
    let cert = s
        .projects
        .rotate_device_token(caller.project_id, &id)
        .await?;
    Ok(ok(CertificateInfo::from(cert)))
}
