//! Device statistics of the project.

use axum::extract::State;
use axum::response::Response;
use thingstead_http::AppState;

use super::dto::{DevicesAlarmStat, DevicesStat};
use crate::auth::ProjectAuth;
use crate::envelope::{Result, Success, ok};

/// GET /api/v1/devices_stat — how many devices are online, active, in alarm.
#[utoipa::path(get, path = "/devices_stat", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>")),
    responses((status = 200, body = Success<DevicesStat>)))]
#[tracing::instrument(skip_all)]
pub async fn devices_stat(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
) -> Result<Response> {
    let stats = s.projects.device_stats(caller.project_id).await?;
    Ok(ok(DevicesStat::from(stats)))
}

/// GET /api/v1/devices_alarm_stat — how many devices are in each alarm level.
#[utoipa::path(get, path = "/devices_alarm_stat", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>")),
    responses((status = 200, body = Success<DevicesAlarmStat>)))]
#[tracing::instrument(skip_all)]
pub async fn devices_alarm_stat(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
) -> Result<Response> {
    let stats = s.projects.device_stats(caller.project_id).await?;
    Ok(ok(DevicesAlarmStat::from(stats)))
}
