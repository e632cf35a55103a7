//! Password login, code login and password reset: the calls before a session.

use axum::extract::State;
use axum::response::Response;
use thingstead_core::identity::{CodeLogin, PasswordLogin};
use thingstead_core::model::CodePurpose;
use thingstead_core::values::{CountryCode, Email, LoginName, Password, Phone, Target};
use thingstead_http::{AppState, DialectJson};

use crate::dto::*;
use crate::envelope::{Empty, Envelope, Json, Result, done, ok};

fn country(raw: Option<String>) -> std::result::Result<CountryCode, thingstead_core::DomainError> {
    raw.map(|c| CountryCode::parse("countryCode", &c))
        .transpose()
        .map(Option::unwrap_or_default)
}

/// POST /v1/user/pwdLogin — log in with account and password; 441 from a new terminal.
#[utoipa::path(post, path = "/user/pwdLogin", tag = "001 lock",
    request_body = PwdLoginBody, responses((status = 200, body = Envelope<TokenData>)))]
#[tracing::instrument(skip_all)]
pub async fn pwd_login(
    State(s): State<AppState>,
    DialectJson(body, _): Json<PwdLoginBody>,
) -> Result<Response> {
    let platform = platform(body.plat_id)?;
    let name = LoginName::parse("username", &required("username", body.username)?)?;
    let password = Password::parse("password", &required("password", body.password)?)?;
    let terminal = terminal(body.device_info)?;
    let project = s.identity.default_project().await?.id;
    let token = s
        .identity
        .password_login(PasswordLogin {
            project,
            name,
            password,
            platform,
            terminal,
            check_terminal: true,
        })
        .await?;
    Ok(ok(TokenData { token }))
}

/// POST /v1/user/codeLogin — log in with a codeType 1 code; creates the account on first login.
#[utoipa::path(post, path = "/user/codeLogin", tag = "001 lock",
    request_body = CodeLoginBody, responses((status = 200, body = Envelope<TokenData>)))]
#[tracing::instrument(skip_all)]
pub async fn code_login(
    State(s): State<AppState>,
    DialectJson(body, _): Json<CodeLoginBody>,
) -> Result<Response> {
    let platform = platform(body.plat_id)?;
    let phone = Phone::parse("phone", &required("phone", body.phone)?)?;
    let code = code("verificationCode", body.verification_code)?;
    let country_code = country(body.country_code)?;
    let terminal = terminal(body.device_info)?;
    let project = s.identity.default_project().await?.id;
    let token = s
        .identity
        .code_login(CodeLogin {
            project,
            phone,
            country_code,
            code,
            platform,
            terminal,
        })
        .await?;
    Ok(ok(TokenData { token }))
}

/// POST /v1/user/resetPassword — set a new password with a codeType 2 code.
#[utoipa::path(post, path = "/user/resetPassword", tag = "001 lock",
    request_body = ResetPasswordBody, responses((status = 200, body = Envelope<Empty>)))]
#[tracing::instrument(skip_all)]
pub async fn reset_password(
    State(s): State<AppState>,
    DialectJson(body, _): Json<ResetPasswordBody>,
) -> Result<Response> {
    country(body.country_code)?;
    let account = required("account", body.account)?;
    let target = if account.contains('@') {
        Target::Email(Email::parse("account", &account)?)
    } else {
        Target::Phone(Phone::parse("account", &account)?)
    };
    let code = code("verificationCode", body.verification_code)?;
    let password = Password::parse("newPassword", &required("newPassword", body.new_password)?)?;
    let project = s.identity.default_project().await?.id;
    s.identity
        .reset_password(
            project,
            &target,
            &[CodePurpose::ResetPassword],
            &code,
            &password,
        )
        .await?;
    Ok(done())
}
