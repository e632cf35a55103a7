//! Extensions: the project's API apps and admins. Any project token (app or
//! admin) may manage them; ids of another project answer like missing ones.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::response::Response;
use thingstead_core::DomainError;
use thingstead_core::project::access::AdminInput;
use thingstead_http::{AppState, DialectJson};

use super::dto::*;
use crate::auth::ProjectAuth;
use crate::envelope::{Json, Result, Success, done, ok};

/// A path segment; one that cannot be read names nothing.
type Segment = std::result::Result<Path<String>, PathRejection>;

fn segment(raw: Segment, what: &'static str) -> std::result::Result<String, DomainError> {
    raw.map(|Path(s)| s)
        .map_err(|_| DomainError::NotFound(what))
}

/// An id from a path: anything but a number names nothing.
fn path_id(raw: Segment, what: &'static str) -> std::result::Result<i64, DomainError> {
    segment(raw, what)?
        .trim()
        .parse::<i64>()
        .map_err(|_| DomainError::NotFound(what))
}

/// GET /api/v1/apps — Extension: the project's API apps, without secret keys.
#[utoipa::path(get, path = "/apps", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>")),
    responses((status = 200, body = Success<Items<AppInfo>>)))]
#[tracing::instrument(skip_all)]
pub async fn apps(State(s): State<AppState>, ProjectAuth(caller): ProjectAuth) -> Result<Response> {
    let apps = s.projects.api_apps(caller.project_id).await?;
    Ok(ok(Items {
        items: apps.into_iter().map(AppInfo::from).collect::<Vec<_>>(),
    }))
}

/// POST /api/v1/apps — Extension: create an API app; its secret_key is shown only here.
#[utoipa::path(post, path = "/apps", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>")),
    request_body = NewAppBody, responses((status = 200, body = Success<NewAppInfo>)))]
#[tracing::instrument(skip_all)]
pub async fn create_app(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    DialectJson(body, _): Json<NewAppBody>,
) -> Result<Response> {
    let created = s
        .projects
        .create_api_app(caller.project_id, body.name.as_deref())
        .await?;
    Ok(ok(NewAppInfo {
        app: AppInfo::from(created.app),
        secret_key: created.secret_key,
    }))
}

/// DELETE /api/v1/app/{app_id} — Extension: delete an API app (by AppID) and end its tokens.
#[utoipa::path(delete, path = "/app/{app_id}", tag = "003 project",
    params(("app_id" = String, Path, description = "The app's AppID"),
        ("Authorization" = String, Header, description = "Bearer <AccessToken>")),
    responses((status = 200, description = "`{result:true, info:{}}`; unknown 404, the project's last app 423",
        body = Success<Object>)))]
#[tracing::instrument(skip_all)]
pub async fn delete_app(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    app_id: Segment,
) -> Result<Response> {
    let app_id = segment(app_id, "app")?;
    s.projects
        .delete_api_app(caller.project_id, &app_id)
        .await?;
    Ok(done())
}

/// GET /api/v1/admins — Extension: the project's admins.
#[utoipa::path(get, path = "/admins", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>")),
    responses((status = 200, body = Success<Items<AdminItem>>)))]
#[tracing::instrument(skip_all)]
pub async fn admins(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
) -> Result<Response> {
    let admins = s.projects.admins(caller.project_id).await?;
    Ok(ok(Items {
        items: admins.into_iter().map(AdminItem::from).collect::<Vec<_>>(),
    }))
}

/// POST /api/v1/admins — Extension: create an admin; a taken account gets errcode 409.
#[utoipa::path(post, path = "/admins", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>")),
    request_body = NewAdminBody, responses((status = 200, body = Success<AdminItem>)))]
#[tracing::instrument(skip_all)]
pub async fn create_admin(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    DialectJson(body, _): Json<NewAdminBody>,
) -> Result<Response> {
    let input = AdminInput {
        account: required("account", body.account)?,
        password: required("password", body.password)?,
        name: body.name,
        email: body.email,
        tags: body.tags,
    };
    let admin = s.projects.create_admin(caller.project_id, input).await?;
    Ok(ok(AdminItem::from(admin)))
}

/// DELETE /api/v1/admin/{admin_id} — Extension: delete an admin and end its tokens.
#[utoipa::path(delete, path = "/admin/{admin_id}", tag = "003 project",
    params(("admin_id" = String, Path, description = "The admin's id"),
        ("Authorization" = String, Header, description = "Bearer <AccessToken>")),
    responses((status = 200, description = "`{result:true, info:{}}`; unknown 404, the project's last admin 423",
        body = Success<Object>)))]
#[tracing::instrument(skip_all)]
pub async fn delete_admin(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    admin_id: Segment,
) -> Result<Response> {
    let id = path_id(admin_id, "admin")?;
    s.projects.delete_admin(caller.project_id, id).await?;
    Ok(done())
}

/// PUT /api/v1/admin/{admin_id}/pwd — Extension: set an admin's password and end its tokens.
#[utoipa::path(put, path = "/admin/{admin_id}/pwd", tag = "003 project",
    params(("admin_id" = String, Path, description = "The admin's id"),
        ("Authorization" = String, Header, description = "Bearer <AccessToken>")),
    request_body = PasswordBody,
    responses((status = 200, description = "`{result:true, info:{}}`", body = Success<Object>)))]
#[tracing::instrument(skip_all)]
pub async fn admin_password(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    admin_id: Segment,
    DialectJson(body, _): Json<PasswordBody>,
) -> Result<Response> {
    let id = path_id(admin_id, "admin")?;
    let password = required("password", body.password)?;
    s.projects
        .set_admin_password(caller.project_id, id, &password)
        .await?;
    Ok(done())
}
