//! Driving a device: pushed attributes, cloud attributes, commands and
//! custom data streams. A device without a live connection answers errcode
//! 1002 and nothing is sent or queued (cloud attributes excepted: they are
//! stored for the device's next connection).

use axum::extract::State;
use axum::response::Response;
use thingstead_core::telemetry::{CommandOutcome, Delivery, PushMode};
use thingstead_http::{AppState, DialectJson, DialectQuery};

use super::dto::{
    AttributesBody, CommandBody, CommandInfo, CommandQuery, DataBody, DataQuery, stream_identifier,
};
use crate::auth::ProjectAuth;
use crate::envelope::{Json, Query, Result, Success, done, offline, ok};
use crate::handlers::devices::dto::Empty;
use crate::handlers::devices::{PathId, PathIds};

const OFFLINE: &str = "device is offline";

/// POST /api/v1/control/device/{device_id}/attributes — push attributes to the connected device.
#[utoipa::path(post, path = "/control/device/{device_id}/attributes", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("device_id" = String, Path, description = "device ID")),
    request_body = AttributesBody,
    responses((status = 200, description = "sent; or errcode 1002 when the device is offline",
        body = Success<Empty>)))]
#[tracing::instrument(skip_all)]
pub async fn push_attributes(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    PathId(id): PathId,
    DialectJson(body, _): Json<AttributesBody>,
) -> Result<Response> {
    let attrs = body.attributes();
    let delivery = s
        .telemetry
        .push_attributes(caller.project_id, &id, attrs)
        .await?;
    Ok(match delivery {
        Delivery::Sent => done(),
        Delivery::Offline => offline(OFFLINE),
    })
}

/// PUT /api/v1/control/device/{device_id}/attributes — store cloud attributes, pushed when the device next connects or asks.
#[utoipa::path(put, path = "/control/device/{device_id}/attributes", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("device_id" = String, Path, description = "device ID")),
    request_body = AttributesBody, responses((status = 200, body = Success<Empty>)))]
#[tracing::instrument(skip_all)]
pub async fn set_cloud_attributes(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    PathId(id): PathId,
    DialectJson(body, _): Json<AttributesBody>,
) -> Result<Response> {
    let attrs = body.attributes();
    s.telemetry
        .set_cloud_attributes(caller.project_id, &id, attrs)
        .await?;
    Ok(done())
}

/// POST /api/v1/control/device/{device_id}/command — send a command; with `?wait=<s>` await the reply.
#[utoipa::path(post, path = "/control/device/{device_id}/command", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("device_id" = String, Path, description = "device ID"),
        ("wait" = Option<i64>, Query, description = "seconds to wait for the reply, 0-30, default 0")),
    request_body = CommandBody,
    responses((status = 200, description = "sent (with `wait`: `reply` is the device's reply or null); \
        errcode 1002 when the device is offline", body = Success<CommandInfo>)))]
#[tracing::instrument(skip_all)]
pub async fn command(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    PathId(id): PathId,
    DialectQuery(q, _): Query<CommandQuery>,
    DialectJson(body, _): Json<CommandBody>,
) -> Result<Response> {
    let wait = q.wait()?;
    let message = body.message()?;
    let outcome = s
        .telemetry
        .command(caller.project_id, &id, message, wait)
        .await?;
    let waited = !wait.is_zero();
    Ok(match outcome {
        CommandOutcome::Offline => offline(OFFLINE),
        CommandOutcome::Sent => ok(CommandInfo {
            reply: waited.then_some(serde_json::Value::Null),
        }),
        CommandOutcome::Replied(reply) => ok(CommandInfo { reply: Some(reply) }),
    })
}

/// POST /api/v1/control/device/{device_id}/data/{identifier}/set — send a custom data stream message (`?push_mode=mqtt|tcp`).
#[utoipa::path(post, path = "/control/device/{device_id}/data/{identifier}/set", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("device_id" = String, Path, description = "device ID"),
        ("identifier" = String, Path, description = "data stream identifier, e.g. stream"),
        ("push_mode" = Option<String>, Query, description = "mqtt (default) or tcp")),
    request_body = DataBody,
    responses((status = 200, description = "sent; or errcode 1002 when the device has no \
        connection of that kind", body = Success<Empty>)))]
#[tracing::instrument(skip_all)]
pub async fn set_data(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    PathIds(id, identifier): PathIds,
    DialectQuery(q, _): Query<DataQuery>,
    DialectJson(body, _): Json<DataBody>,
) -> Result<Response> {
    let mode = q.mode()?;
    let identifier = stream_identifier(&identifier)?;
    let payload = body.payload()?;
    let delivery = s
        .telemetry
        .send_data(caller.project_id, &id, identifier, mode, payload)
        .await?;
    Ok(match (delivery, mode) {
        (Delivery::Sent, _) => done(),
        (Delivery::Offline, PushMode::Mqtt) => offline("device is offline (no MQTT connection)"),
        (Delivery::Offline, PushMode::Tcp) => offline("device is offline (no TCP connection)"),
    })
}
