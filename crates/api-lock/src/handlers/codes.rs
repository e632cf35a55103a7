//! Sending verification codes by SMS or e-mail.

use axum::extract::State;
use axum::response::Response;
use thingstead_core::identity::CodeRequest;
use thingstead_core::notify::Channel;
use thingstead_core::values::{CountryCode, Email, Phone, Target};
use thingstead_http::{AppState, ClientAddr, DialectJson};

use crate::auth::Authed;
use crate::dto::*;
use crate::envelope::{Envelope, Json, Result, ok};

fn sent() -> Response {
    ok(SendResult {
        res: "success".into(),
    })
}

/// POST /v1/common/sendValidationCode — send a code to a phone or e-mail address.
#[utoipa::path(post, path = "/common/sendValidationCode", tag = "001 lock",
    request_body = SendCodeBody, responses((status = 200, body = Envelope<SendResult>)))]
#[tracing::instrument(skip_all)]
pub async fn send(
    State(s): State<AppState>,
    ClientAddr(addr): ClientAddr,
    DialectJson(body, _): Json<SendCodeBody>,
) -> Result<Response> {
    let channel = channel(body.channel)?;
    let purpose = code_type(body.code_type)?;
    let account = required("account", body.account)?;
    let target = match channel {
        Channel::Sms => Target::Phone(Phone::parse("account", &account)?),
        Channel::Email => Target::Email(Email::parse("account", &account)?),
    };
    let country_code = match body.country_code {
        Some(c) => CountryCode::parse("countryCode", &c)?,
        None => CountryCode::default(),
    };
    let project = s.identity.default_project().await?.id;
    s.identity
        .send_code(CodeRequest {
            project,
            target,
            country_code,
            purpose,
            client_addr: addr,
        })
        .await?;
    Ok(sent())
}

/// POST /v1/common/sendValidationCodeAuth — send a code to the account's own phone or e-mail.
#[utoipa::path(post, path = "/common/sendValidationCodeAuth", tag = "001 lock",
    params(("Authorization" = String, Header, description = "Bearer <token>")),
    request_body = SendCodeAuthBody, responses((status = 200, body = Envelope<SendResult>)))]
#[tracing::instrument(skip_all)]
pub async fn send_auth(
    State(s): State<AppState>,
    ClientAddr(addr): ClientAddr,
    Authed(session, _user): Authed,
    DialectJson(body, _): Json<SendCodeAuthBody>,
) -> Result<Response> {
    let channel = channel(body.channel)?;
    let purpose = code_type(body.code_type)?;
    s.identity
        .send_code_to_self(&session, channel, purpose, addr)
        .await?;
    Ok(sent())
}
