//! Alarm logs, and an operator acknowledging or clearing an alarm.

use axum::extract::State;
use axum::response::Response;
use thingstead_http::{AppState, DialectQuery};

use super::dto::AlarmItem;
use crate::auth::ProjectAuth;
use crate::envelope::{Query, Result, Success, ok};
use crate::handlers::data::dto::SeriesParams;
use crate::handlers::devices::PathId;
use crate::handlers::devices::dto::Items;

/// GET /api/v1/alarm_logs — one page of the project's alarms, newest first.
#[utoipa::path(get, path = "/alarm_logs", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("page" = Option<i64>, Query, description = "page number from 1, default 1"),
        ("page_records" = Option<i64>, Query, description = "alarms per page, 1-100, default 20"),
        ("start_time" = Option<i64>, Query, description = "window start, unix ms"),
        ("end_time" = Option<i64>, Query, description = "window end, unix ms; at most 30 days after start_time")),
    responses((status = 200, body = Success<Items<AlarmItem>>)))]
#[tracing::instrument(skip_all)]
pub async fn project_logs(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    DialectQuery(q, _): Query<SeriesParams>,
) -> Result<Response> {
    let read = q.read()?;
    let alarms = s
        .alarms
        .logs(
            caller.project_id,
            None,
            read.page,
            read.page_records,
            read.window,
        )
        .await?;
    Ok(ok(Items::new(
        alarms.into_iter().map(AlarmItem::from).collect(),
    )))
}

/// GET /api/v1/device/{device_id}/alarm_logs — one page of a device's alarms, newest first.
#[utoipa::path(get, path = "/device/{device_id}/alarm_logs", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("device_id" = String, Path, description = "device ID"),
        ("page" = Option<i64>, Query, description = "page number from 1, default 1"),
        ("page_records" = Option<i64>, Query, description = "alarms per page, 1-100, default 20"),
        ("start_time" = Option<i64>, Query, description = "window start, unix ms"),
        ("end_time" = Option<i64>, Query, description = "window end, unix ms; at most 30 days after start_time")),
    responses((status = 200, body = Success<Items<AlarmItem>>)))]
#[tracing::instrument(skip_all)]
pub async fn device_logs(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    PathId(id): PathId,
    DialectQuery(q, _): Query<SeriesParams>,
) -> Result<Response> {
    let read = q.read()?;
    let alarms = s
        .alarms
        .logs(
            caller.project_id,
            Some(&id),
            read.page,
            read.page_records,
            read.window,
        )
        .await?;
    Ok(ok(Items::new(
        alarms.into_iter().map(AlarmItem::from).collect(),
    )))
}

/// POST /api/v1/alarm/{alarm_id}/acknowledge — Extension: an operator has seen the alarm; it stays open.
#[utoipa::path(post, path = "/alarm/{alarm_id}/acknowledge", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("alarm_id" = String, Path, description = "alarm ID")),
    responses((status = 200, body = Success<AlarmItem>)))]
#[tracing::instrument(skip_all)]
pub async fn acknowledge(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    PathId(id): PathId,
) -> Result<Response> {
    let alarm = s.alarms.acknowledge(caller.project_id, &id).await?;
    Ok(ok(AlarmItem::from(alarm)))
}

/// POST /api/v1/alarm/{alarm_id}/clear — Extension: an operator closes the alarm.
#[utoipa::path(post, path = "/alarm/{alarm_id}/clear", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("alarm_id" = String, Path, description = "alarm ID")),
    responses((status = 200, body = Success<AlarmItem>)))]
#[tracing::instrument(skip_all)]
pub async fn clear(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    PathId(id): PathId,
) -> Result<Response> {
    let alarm = s.alarms.clear(caller.project_id, &id).await?;
    Ok(ok(AlarmItem::from(alarm)))
}
