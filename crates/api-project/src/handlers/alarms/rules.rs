//! **Extension.** The alarm rules of a device type.

use axum::extract::State;
use axum::response::Response;
use thingstead_http::{AppState, DialectJson};

use super::dto::{RuleBody, RuleItem};
use crate::auth::ProjectAuth;
use crate::envelope::{Json, Result, Success, done, ok};
use crate::handlers::devices::dto::Empty;
use crate::handlers::devices::{PathId, PathIds};

/// GET /api/v1/device_type/{device_type_id}/alarm_rules — Extension: the type's alarm rules, oldest first.
#[utoipa::path(get, path = "/device_type/{device_type_id}/alarm_rules", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("device_type_id" = String, Path, description = "device type ID")),
    responses((status = 200, body = Success<Vec<RuleItem>>)))]
#[tracing::instrument(skip_all)]
pub async fn list(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    PathId(type_id): PathId,
) -> Result<Response> {
    let rules = s.alarms.rules(caller.project_id, &type_id).await?;
    let items: Vec<RuleItem> = rules.into_iter().map(RuleItem::from).collect();
    Ok(ok(items))
}

/// POST /api/v1/device_type/{device_type_id}/alarm_rules — Extension: add an alarm rule to the type.
#[utoipa::path(post, path = "/device_type/{device_type_id}/alarm_rules", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("device_type_id" = String, Path, description = "device type ID")),
    request_body = RuleBody, responses((status = 200, body = Success<RuleItem>)))]
#[tracing::instrument(skip_all)]
pub async fn create(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    PathId(type_id): PathId,
    DialectJson(body, _): Json<RuleBody>,
) -> Result<Response> {
    let input = body.input()?;
    let rule = s
        .alarms
        .create_rule(caller.project_id, &type_id, input)
        .await?;
    Ok(ok(RuleItem::from(rule)))
}

/// PUT /api/v1/device_type/{device_type_id}/alarm_rule/{rule_id} — Extension: replace an alarm rule.
#[utoipa::path(put, path = "/device_type/{device_type_id}/alarm_rule/{rule_id}", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("device_type_id" = String, Path, description = "device type ID"),
        ("rule_id" = String, Path, description = "alarm rule ID")),
    request_body = RuleBody, responses((status = 200, body = Success<RuleItem>)))]
#[tracing::instrument(skip_all)]
pub async fn update(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    PathIds(type_id, rule_id): PathIds,
    DialectJson(body, _): Json<RuleBody>,
) -> Result<Response> {
    let input = body.input()?;
    let rule = s
        .alarms
        .update_rule(caller.project_id, &type_id, &rule_id, input)
        .await?;
    Ok(ok(RuleItem::from(rule)))
}

/// DELETE /api/v1/device_type/{device_type_id}/alarm_rule/{rule_id} — Extension: remove an alarm rule and clear its open alarms.
#[utoipa::path(delete, path = "/device_type/{device_type_id}/alarm_rule/{rule_id}", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("device_type_id" = String, Path, description = "device type ID"),
        ("rule_id" = String, Path, description = "alarm rule ID")),
    responses((status = 200, body = Success<Empty>)))]
#[tracing::instrument(skip_all)]
pub async fn delete(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    PathIds(type_id, rule_id): PathIds,
) -> Result<Response> {
    s.alarms
        .delete_rule(caller.project_id, &type_id, &rule_id)
        .await?;
    Ok(done())
}
