//! Calls of a logged-in user: detail, alarm switch, nickname, provisioning code.

use axum::extract::State;
use axum::response::Response;
use thingstead_core::DomainError;
use thingstead_core::identity::ProfileUpdate;
use thingstead_core::values::Nickname;
use thingstead_http::{AppState, DialectJson, LooseInt};

use crate::auth::Authed;
use crate::dto::*;
use crate::envelope::{Consumer, Envelope, Plain, Result, done, ok};

type Json<T> = thingstead_http::DialectJson<T, Consumer>;

/// GET /user/customer/user/detail — the logged-in user.
#[utoipa::path(get, path = "/customer/user/detail", tag = "000 consumer",
    params(("token" = String, Header, description = "session token")),
    responses((status = 200, body = Envelope<UserDetail>)))]
#[tracing::instrument(skip_all)]
pub async fn detail(State(s): State<AppState>, Authed(_session, user): Authed) -> Result<Response> {
    let created = user.created_at.with_timezone(&s.display_offset);
    Ok(ok(UserDetail {
        id: user.id,
        tenant_id: user.project_id,
        username: user.username.unwrap_or_default(),
        nick_name: user.nickname,
        phone: user.phone.unwrap_or_default(),
        create_time: created.format("%Y-%m-%d %H:%M:%S").to_string(),
    }))
}

/// GET /user/user/property/alarm-switch — whether alarm notifications are on.
#[utoipa::path(get, path = "/user/property/alarm-switch", tag = "000 consumer",
    params(("token" = String, Header, description = "session token")),
    responses((status = 200, body = Envelope<String>)))]
#[tracing::instrument(skip_all)]
pub async fn alarm_switch(Authed(_session, user): Authed) -> Result<Response> {
    Ok(ok(if user.alarm_switch { "on" } else { "off" }))
}

/// PUT /user/user/property/alarm-switch — turn alarm notifications on or off.
#[utoipa::path(put, path = "/user/property/alarm-switch", tag = "000 consumer",
    params(("token" = String, Header, description = "session token")),
    request_body = AlarmSwitchBody, responses((status = 200, body = Plain)))]
#[tracing::instrument(skip_all)]
pub async fn set_alarm_switch(
    State(s): State<AppState>,
    Authed(session, _user): Authed,
    DialectJson(body, _): Json<AlarmSwitchBody>,
) -> Result<Response> {
    let on = match required("value", body.value)?.trim() {
        "on" => true,
        "off" => false,
        _ => return Err(DomainError::invalid("value", "value must be on or off").into()),
    };
    s.identity.set_alarm_switch(&session, on).await?;
    Ok(done())
}

/// PUT /user/customer/user/update — change the nickname.
#[utoipa::path(put, path = "/customer/user/update", tag = "000 consumer",
    params(("token" = String, Header, description = "session token")),
    request_body = UpdateBody, responses((status = 200, body = Plain)))]
#[tracing::instrument(skip_all)]
pub async fn update(
    State(s): State<AppState>,
    Authed(session, _user): Authed,
    DialectJson(body, _): Json<UpdateBody>,
) -> Result<Response> {
    let nickname = Nickname::parse("nickName", &required("nickName", body.nick_name)?)?;
    s.identity
        .update_profile(
            &session,
            ProfileUpdate {
                nickname: Some(nickname),
                head_url: None,
            },
        )
        .await?;
    Ok(done())
}

/// POST /user/customer/user/provision — a single-use code that onboards a device.
#[utoipa::path(post, path = "/customer/user/provision", tag = "000 consumer",
    params(("token" = String, Header, description = "session token")),
    request_body = ProvisionBody, responses((status = 200, body = Envelope<String>)))]
#[tracing::instrument(skip_all)]
pub async fn provision(
    State(s): State<AppState>,
    Authed(session, _user): Authed,
    DialectJson(body, _): Json<ProvisionBody>,
) -> Result<Response> {
    let LooseInt(kind) = required("provisionType", body.provision_type)?;
    if kind != 1 {
        return Err(DomainError::invalid("provisionType", "provisionType must be 1").into());
    }
    let code = s
        .identity
        .create_provision_code(&session, kind as i32)
        .await?;
    Ok(ok(code))
}
