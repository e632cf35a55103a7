//! Device groups.

use axum::extract::State;
use axum::response::Response;
use thingstead_http::{AppState, DialectJson};

use super::PathId;
use super::dto::{Empty, GroupBody, GroupItem, Items};
use crate::auth::ProjectAuth;
use crate::envelope::{Json, Result, Success, done, ok};

/// GET /api/v1/device_groups_tree — every group, nested under its parent.
#[utoipa::path(get, path = "/device_groups_tree", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>")),
    responses((status = 200, body = Success<Items<GroupItem>>)))]
#[tracing::instrument(skip_all)]
pub async fn tree(State(s): State<AppState>, ProjectAuth(caller): ProjectAuth) -> Result<Response> {
    let forest = s.projects.device_group_tree(caller.project_id).await?;
    Ok(ok(Items::new(
        forest.into_iter().map(GroupItem::from).collect(),
    )))
}

/// POST /api/v1/device_group — Extension: create a group, at the top level or under `parent`.
#[utoipa::path(post, path = "/device_group", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>")),
    request_body = GroupBody, responses((status = 200, body = Success<GroupItem>)))]
#[tracing::instrument(skip_all)]
pub async fn create(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    DialectJson(body, _): Json<GroupBody>,
) -> Result<Response> {
    let group = s
        .projects
        .create_device_group(caller.project_id, body.into())
        .await?;
    Ok(ok(GroupItem::from(group)))
}

/// PUT /api/v1/device_group/{group_id} — Extension: rename, retag or move a group.
#[utoipa::path(put, path = "/device_group/{group_id}", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("group_id" = String, Path, description = "device group ID")),
    request_body = GroupBody, responses((status = 200, body = Success<Empty>)))]
#[tracing::instrument(skip_all)]
pub async fn update(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    PathId(id): PathId,
    DialectJson(body, _): Json<GroupBody>,
) -> Result<Response> {
    s.projects
        .update_device_group(caller.project_id, &id, body.into())
        .await?;
    Ok(done())
}

/// DELETE /api/v1/device_group/{group_id} — Extension: delete a group without sub-groups.
#[utoipa::path(delete, path = "/device_group/{group_id}", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("group_id" = String, Path, description = "device group ID")),
    responses((status = 200, body = Success<Empty>)))]
#[tracing::instrument(skip_all)]
pub async fn delete(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    PathId(id): PathId,
) -> Result<Response> {
    s.projects
        .delete_device_group(caller.project_id, &id)
        .await?;
    Ok(done())
}
