//! Customer roles.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::response::Response;
use thingstead_core::project::customers::{Descr, NewRole, RoleName, RoleUpdate};
use thingstead_http::{AppState, DialectJson};

use super::dto::*;
use crate::auth::ProjectAuth;
use crate::envelope::{Json, Result, Success, done, ok};

const ROLE: &str = "customer role";

/// GET /api/v1/customer_roles — the project's roles with how many customers hold each.
#[utoipa::path(get, path = "/customer_roles", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>")),
    responses((status = 200, body = Success<RoleList>)))]
#[tracing::instrument(skip_all)]
pub async fn list(State(s): State<AppState>, ProjectAuth(caller): ProjectAuth) -> Result<Response> {
    let roles = s.projects.customer_roles(&caller).await?;
    Ok(ok(RoleList {
        items: roles.into_iter().map(RoleInfo::from).collect(),
    }))
}

/// POST /api/v1/customer_role — create a role (extension).
#[utoipa::path(post, path = "/customer_role", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>")),
    request_body = CreateRoleBody, responses((status = 200, body = Success<IdName>)))]
#[tracing::instrument(skip_all)]
pub async fn create(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    DialectJson(body, _): Json<CreateRoleBody>,
) -> Result<Response> {
    let new = NewRole {
        name: RoleName::parse("name", &required("name", body.name)?)?,
        descr: Descr::parse("descr", body.descr.as_deref().unwrap_or_default())?,
        allow_operate_device: body.allow_operate_device.unwrap_or(false),
        allow_alarm_msg_maintain: body.allow_alarm_msg_maintain.unwrap_or(false),
        allow_add_device: body.allow_add_device.unwrap_or(false),
    };
    let role = s.projects.create_customer_role(&caller, new).await?;
    Ok(ok(IdName {
        id: role.id.to_string(),
        name: role.name,
    }))
}

/// PUT /api/v1/customer_role/{role_id} — change a role (extension).
#[utoipa::path(put, path = "/customer_role/{role_id}", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("role_id" = String, Path, description = "role id")),
    request_body = UpdateRoleBody, responses((status = 200, body = Success<Empty>)))]
#[tracing::instrument(skip_all)]
pub async fn update(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    path: std::result::Result<Path<String>, PathRejection>,
    DialectJson(body, _): Json<UpdateRoleBody>,
) -> Result<Response> {
    let id = path_id(ROLE, path)?;
    let update = RoleUpdate {
        name: body.name.map(|n| RoleName::parse("name", &n)).transpose()?,
        descr: body.descr.map(|d| Descr::parse("descr", &d)).transpose()?,
        allow_operate_device: body.allow_operate_device,
        allow_alarm_msg_maintain: body.allow_alarm_msg_maintain,
        allow_add_device: body.allow_add_device,
    };
    s.projects.update_customer_role(&caller, id, update).await?;
    Ok(done())
}

/// DELETE /api/v1/customer_role/{role_id} — delete a role no customer holds (extension).
#[utoipa::path(delete, path = "/customer_role/{role_id}", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("role_id" = String, Path, description = "role id")),
    responses((status = 200, body = Success<Empty>)))]
#[tracing::instrument(skip_all)]
pub async fn delete(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    path: std::result::Result<Path<String>, PathRejection>,
) -> Result<Response> {
    let id = path_id(ROLE, path)?;
    s.projects.delete_customer_role(&caller, id).await?;
    Ok(done())
}
