//! Register, send code, reset password, login: the calls before a session.

use axum::extract::State;
use axum::response::Response;
use thingstead_core::identity::{CodeRequest, NewAccount, PasswordLogin};
use thingstead_core::model::{CodePurpose, Platform};
use thingstead_core::values::{Code, CountryCode, LoginName, Password, Phone, Target, Username};
use thingstead_core::{DomainError, Identity};
use thingstead_http::{AppState, ClientAddr, DialectJson, DialectQuery, LooseString};

use crate::dto::*;
use crate::envelope::{Consumer, Envelope, Plain, Result, done, ok};

type Json<T> = thingstead_http::DialectJson<T, Consumer>;
type Query<T> = thingstead_http::DialectQuery<T, Consumer>;

fn code(field: &'static str, value: Option<LooseString>) -> std::result::Result<Code, DomainError> {
    Code::parse(field, required(field, value)?.as_str())
}

async fn project(
    identity: &Identity,
    client_key: Option<String>,
) -> std::result::Result<i64, DomainError> {
    identity
        .project_for_client(&required("clientKey", client_key)?)
        .await
}

/// POST /user/customer/user/register — register with a phone code (`useType` 1).
#[utoipa::path(post, path = "/customer/user/register", tag = "000 consumer",
    request_body = RegisterBody, responses((status = 200, body = Plain)))]
#[tracing::instrument(skip_all)]
pub async fn register(
    State(s): State<AppState>,
    DialectJson(body, _): Json<RegisterBody>,
) -> Result<Response> {
    check_register_type(body.register_type)?;
    let phone = Phone::parse("phone", &required("phone", body.phone)?)?;
    let username = Username::parse("username", &required("username", body.username)?)?;
    let password = Password::parse("password", &required("password", body.password)?)?;
    let code = code("verifyCode", body.verify_code)?;
    let country_code = match body.country {
        Some(c) => CountryCode::parse("country", &c)?,
        None => CountryCode::default(),
    };
    let project = project(&s.identity, body.client_key).await?;
    s.identity
        .register(NewAccount {
            project,
            phone,
            country_code,
            username,
            password,
            code,
        })
        .await?;
    Ok(done())
}

/// GET /user/sms/customer/user/phone/sms/code — send a 6-digit code by SMS.
#[utoipa::path(get, path = "/sms/customer/user/phone/sms/code", tag = "000 consumer",
    params(SendCodeQuery), responses((status = 200, body = Plain)))]
#[tracing::instrument(skip_all)]
pub async fn send_code(
    State(s): State<AppState>,
    ClientAddr(addr): ClientAddr,
    DialectQuery(q, _): Query<SendCodeQuery>,
) -> Result<Response> {
    let phone = Phone::parse("phone", &required("phone", q.phone)?)?;
    let purpose = match required("useType", q.use_type)?.0 {
        1 => CodePurpose::Register,
        2 => CodePurpose::ChangePassword,
        3 => CodePurpose::ResetPassword,
        _ => return Err(DomainError::invalid("useType", "useType must be 1, 2 or 3").into()),
    };
    let project = project(&s.identity, q.client_key).await?;
    s.identity
        .send_code(CodeRequest {
            project,
            target: Target::Phone(phone),
            country_code: CountryCode::default(),
            purpose,
            client_addr: addr,
        })
        .await?;
    Ok(done())
}

/// POST /user/customer/user/reset/password — set a new password with a code (`useType` 3 or 2).
#[utoipa::path(post, path = "/customer/user/reset/password", tag = "000 consumer",
    request_body = ResetPasswordBody, responses((status = 200, body = Plain)))]
#[tracing::instrument(skip_all)]
pub async fn reset_password(
    State(s): State<AppState>,
    DialectJson(body, _): Json<ResetPasswordBody>,
) -> Result<Response> {
    check_register_type(body.register_type)?;
    let phone = Phone::parse("phone", &required("phone", body.phone)?)?;
    let password = Password::parse("newPassword", &required("newPassword", body.new_password)?)?;
    let code = code("validateCode", body.validate_code)?;
    let project = project(&s.identity, body.client_key).await?;
    s.identity
        .reset_password(
            project,
            &Target::Phone(phone),
            &[CodePurpose::ResetPassword, CodePurpose::ChangePassword],
            &code,
            &password,
        )
        .await?;
    Ok(done())
}

/// POST /user/customer/user/login — log in with phone or user name and password (extension).
#[utoipa::path(post, path = "/customer/user/login", tag = "000 consumer",
    request_body = LoginBody, responses((status = 200, body = Envelope<TokenData>)))]
#[tracing::instrument(skip_all)]
pub async fn login(
    State(s): State<AppState>,
    DialectJson(body, _): Json<LoginBody>,
) -> Result<Response> {
    let name = match (body.phone, body.username) {
        (Some(p), _) if !p.trim().is_empty() => LoginName::Phone(Phone::parse("phone", &p)?),
        (_, Some(u)) => LoginName::parse("username", &u)?,
        _ => return Err(DomainError::required("phone").into()),
    };
    let password = Password::parse("password", &required("password", body.password)?)?;
    let project = project(&s.identity, body.client_key).await?;
    let token = s
        .identity
        .password_login(PasswordLogin {
            project,
            name,
            password,
            platform: Platform::App,
            terminal: None,
            check_terminal: false,
        })
        .await?;
    Ok(ok(TokenData { token }))
}
