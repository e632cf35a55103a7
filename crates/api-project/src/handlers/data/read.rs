//! Reading and removing a device's attributes.

use axum::extract::State;
use axum::response::Response;
use thingstead_http::{AppState, DialectJson, DialectQuery};

use super::dto::{AttributeItem, PointItem, RemoveBody, SeriesParams};
use crate::auth::ProjectAuth;
use crate::envelope::{Json, Query, Result, Success, done, ok};
use crate::handlers::devices::dto::Empty;
use crate::handlers::devices::{PathId, PathIds};

/// GET /api/v1/device/{device_id}/attributes — current attributes with their definitions.
#[utoipa::path(get, path = "/device/{device_id}/attributes", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("device_id" = String, Path, description = "device ID")),
    responses((status = 200, body = Success<Vec<AttributeItem>>)))]
#[tracing::instrument(skip_all)]
pub async fn attributes(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    PathId(id): PathId,
) -> Result<Response> {
    let views = s.telemetry.attributes(caller.project_id, &id).await?;
    let items: Vec<AttributeItem> = views.into_iter().map(AttributeItem::from).collect();
    Ok(ok(items))
}

/// GET /api/v1/device/{device_id}/attributes_raw — current values by identifier.
#[utoipa::path(get, path = "/device/{device_id}/attributes_raw", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("device_id" = String, Path, description = "device ID")),
    responses((status = 200, body = Success<Object>)))]
#[tracing::instrument(skip_all)]
pub async fn attributes_raw(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    PathId(id): PathId,
) -> Result<Response> {
    let values = s.telemetry.attributes_raw(caller.project_id, &id).await?;
    Ok(ok(values))
}

/// GET /api/v1/device/{device_id}/attribute/{identifier}/series — one page of an attribute's history, newest first.
#[utoipa::path(get, path = "/device/{device_id}/attribute/{identifier}/series", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("device_id" = String, Path, description = "device ID"),
        ("identifier" = String, Path, description = "attribute identifier"),
        ("page" = Option<i64>, Query, description = "page number from 1, default 1"),
        ("page_records" = Option<i64>, Query, description = "points per page, 1-100, default 20"),
        ("start_time" = Option<i64>, Query, description = "window start, unix ms"),
        ("end_time" = Option<i64>, Query, description = "window end, unix ms; at most 30 days after start_time")),
    responses((status = 200, body = Success<Vec<PointItem>>)))]
#[tracing::instrument(skip_all)]
pub async fn series(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    PathIds(id, identifier): PathIds,
    DialectQuery(q, _): Query<SeriesParams>,
) -> Result<Response> {
    let read = q.read()?;
    let points = s
        .telemetry
        .series(
            caller.project_id,
            &id,
            &identifier,
            read.page,
            read.page_records,
            read.window,
        )
        .await?;
    let items: Vec<PointItem> = points.into_iter().map(PointItem::from).collect();
    Ok(ok(items))
}

/// POST /api/v1/device/{device_id}/attributes_remove — remove current attributes by identifier.
#[utoipa::path(post, path = "/device/{device_id}/attributes_remove", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("device_id" = String, Path, description = "device ID")),
    request_body = RemoveBody, responses((status = 200, body = Success<Empty>)))]
#[tracing::instrument(skip_all)]
pub async fn remove(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    PathId(id): PathId,
    DialectJson(body, _): Json<RemoveBody>,
) -> Result<Response> {
    let keys = body.keys()?;
    s.telemetry
        .remove_attributes(caller.project_id, &id, &keys)
        .await?;
    Ok(done())
}
