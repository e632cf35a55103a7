//! Calls of a logged-in user: detail, profile, phone, password.

use axum::extract::State;
use axum::response::Response;
use thingstead_core::DomainError;
use thingstead_core::identity::ProfileUpdate;
use thingstead_core::values::{CountryCode, HeadUrl, Nickname, Password, Phone};
use thingstead_http::{AppState, DialectJson};

use crate::auth::Authed;
use crate::dto::*;
use crate::envelope::{Empty, Envelope, Json, Result, done, ok};

/// POST /v1/user/detail — the logged-in user.
#[utoipa::path(post, path = "/user/detail", tag = "001 lock",
    params(("Authorization" = String, Header, description = "Bearer <token>")),
    responses((status = 200, body = Envelope<UserDetail>)))]
#[tracing::instrument(skip_all)]
pub async fn detail(State(s): State<AppState>, Authed(_session, user): Authed) -> Result<Response> {
    let fmt = |t: thingstead_core::Time| {
        t.with_timezone(&s.display_offset)
            .format("%Y-%m-%d %H:%M:%S")
            .to_string()
    };
    Ok(ok(UserDetail {
        id: user.id,
        account_no: user.account_no,
        country_code: user.country_code,
        phone: user.phone.unwrap_or_default(),
        nickname: user.nickname,
        head_url: user.head_url,
        created_at: fmt(user.created_at),
        last_login_time: user.last_login_at.map(fmt).unwrap_or_default(),
        current_team_no: String::new(),
        team_list: Vec::new(),
    }))
}

/// POST /v1/user/changePassword — new password with a codeType 9 code sent to the own phone.
#[utoipa::path(post, path = "/user/changePassword", tag = "001 lock",
    params(("Authorization" = String, Header, description = "Bearer <token>")),
    request_body = ChangePasswordBody, responses((status = 200, body = Envelope<Empty>)))]
#[tracing::instrument(skip_all)]
pub async fn change_password(
    State(s): State<AppState>,
    Authed(session, _user): Authed,
    DialectJson(body, _): Json<ChangePasswordBody>,
) -> Result<Response> {
    let code = code("verificationCode", body.verification_code)?;
    let password = Password::parse("password", &required("password", body.password)?)?;
    s.identity
        .change_password(&session, &code, &password)
        .await?;
    Ok(done())
}

/// POST /v1/user/updateUserInfo — new name and avatar, or a new phone with a codeType 3 code.
#[utoipa::path(post, path = "/user/updateUserInfo", tag = "001 lock",
    params(("Authorization" = String, Header, description = "Bearer <token>")),
    request_body = UpdateUserInfoBody, responses((status = 200, body = Envelope<Empty>)))]
#[tracing::instrument(skip_all)]
pub async fn update_user_info(
    State(s): State<AppState>,
    Authed(session, _user): Authed,
    DialectJson(body, _): Json<UpdateUserInfoBody>,
) -> Result<Response> {
    if let Some(phone) = body.phone {
        let phone = Phone::parse("phone", &phone)?;
        let code = code("verificationCode", body.verification_code)?;
        let country_code = body
            .country_code
            .map(|c| CountryCode::parse("countryCode", &c))
            .transpose()?;
        s.identity
            .change_phone(&session, &phone, country_code.as_ref(), &code)
            .await?;
        return Ok(done());
    }
    if body.head_url.is_none() && body.name.is_none() {
        return Err(DomainError::required("name").into());
    }
    let update = ProfileUpdate {
        nickname: body.name.map(|n| Nickname::parse("name", &n)).transpose()?,
        head_url: body
            .head_url
            .map(|h| HeadUrl::parse("headUrl", &h))
            .transpose()?,
    };
    s.identity.update_profile(&session, update).await?;
    Ok(done())
}
