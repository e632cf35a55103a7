//! Authentication (`access_token`, `admin_login`), the caller's project and
//! admin, and the app and admin extensions in [`manage`].

mod dto;
mod manage;

use axum::extract::State;
use axum::response::Response;
use thingstead_http::{AppState, DialectJson};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::ProjectAuth;
use crate::envelope::{Json, Result, Success, ok};
use dto::*;

/// The routes of this part.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(access_token))
        .routes(routes!(admin_login))
        .routes(routes!(project))
        .routes(routes!(admin))
        .routes(routes!(manage::apps, manage::create_app))
        .routes(routes!(manage::delete_app))
        .routes(routes!(manage::admins, manage::create_admin))
        .routes(routes!(manage::delete_admin))
        .routes(routes!(manage::admin_password))
}

/// POST /api/v1/access_token — an app token from app_id, access_key and secret_key, valid 86400 s.
#[utoipa::path(post, path = "/access_token", tag = "003 project",
    request_body = AccessTokenBody,
    responses((status = 200, description = "`{result:true, info}`; wrong credentials errcode 1001, too many 429",
        body = Success<AppToken>)))]
#[tracing::instrument(skip_all)]
pub async fn access_token(
    State(s): State<AppState>,
    DialectJson(body, _): Json<AccessTokenBody>,
) -> Result<Response> {
    let app_id = required("app_id", body.app_id)?;
    let access_key = required("access_key", body.access_key)?;
    let secret_key = required("secret_key", body.secret_key)?;
    let issued = s
        .projects
        .access_token(&app_id, &access_key, &secret_key)
        .await?;
    Ok(ok(AppToken {
        access_token: issued.token,
        expires_in: issued.expires_in,
    }))
}

/// POST /api/v1/admin_login — an admin token from app_id, account and password, valid 7 days.
#[utoipa::path(post, path = "/admin_login", tag = "003 project",
    request_body = AdminLoginBody,
    responses((status = 200, description = "`{result:true, info}`; wrong credentials errcode 1001, too many 429",
        body = Success<AdminToken>)))]
#[tracing::instrument(skip_all)]
pub async fn admin_login(
    State(s): State<AppState>,
    DialectJson(body, _): Json<AdminLoginBody>,
) -> Result<Response> {
    let app_id = required("app_id", body.app_id)?;
    let account = required("account", body.account)?;
    let password = required("password", body.password)?;
    let issued = s.projects.admin_login(&app_id, &account, &password).await?;
    Ok(ok(AdminToken {
        access_token: issued.token,
    }))
}

/// GET /api/v1/project — the caller's project.
#[utoipa::path(get, path = "/project", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>")),
    responses((status = 200, body = Success<ProjectInfo>)))]
#[tracing::instrument(skip_all)]
pub async fn project(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
) -> Result<Response> {
    let project = s.projects.project(&caller).await?;
    Ok(ok(ProjectInfo::from(project)))
}

/// GET /api/v1/admin — the admin of an admin token; an app token gets errcode 403.
#[utoipa::path(get, path = "/admin", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken> from admin_login")),
    responses((status = 200, description = "`{result:true, info}`; an app token errcode 403",
        body = Success<AdminInfo>)))]
#[tracing::instrument(skip_all)]
pub async fn admin(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
) -> Result<Response> {
    let admin = s.projects.admin(&caller).await?;
    Ok(ok(AdminInfo::from(admin)))
}
