//! Customers: the project's app users.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::response::Response;
use thingstead_core::DomainError;
use thingstead_core::project::customers::{CustomerUpdate, Descr, Locale, NewCustomer};
use thingstead_core::values::{Account, Email, Nickname, Password, Phone};
use thingstead_http::{AppState, DialectJson, DialectQuery, LooseInt, LooseString};

use super::dto::*;
use crate::auth::ProjectAuth;
use crate::envelope::{Json, Query, Result, Success, done, ok};

const CUSTOMER: &str = "customer";
const ROLE: &str = "customer role";

/// An optional role id: absent, `""` (none) or the id of a role.
fn role_id(raw: Option<LooseString>) -> std::result::Result<Option<Option<i64>>, DomainError> {
    match raw {
        None => Ok(None),
        Some(LooseString(s)) if s.trim().is_empty() => Ok(Some(None)),
        Some(LooseString(s)) => id(ROLE, &s).map(|r| Some(Some(r))),
    }
}

/// GET /api/v1/customers — the project's customers; all of them, or a page of 20 with `page`.
#[utoipa::path(get, path = "/customers", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("page" = Option<i64>, Query, description = "page from 1, 20 a page; all without it")),
    responses((status = 200, body = Success<CustomerList>)))]
#[tracing::instrument(skip_all)]
pub async fn list(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    DialectQuery(query, _): Query<ListQuery>,
) -> Result<Response> {
    let page = match query.page {
        None => None,
        Some(LooseInt(p)) if p >= 1 => Some(p.unsigned_abs()),
        Some(_) => {
            return Err(DomainError::invalid("page", "page must be 1 or more").into());
        }
    };
    let found = s.projects.customers(&caller, page).await?;
    Ok(ok(CustomerList {
        items: found.items.into_iter().map(CustomerInfo::from).collect(),
        total: page.map(|_| found.total),
        page_total: page.map(|_| found.page_total),
    }))
}

/// GET /api/v1/customer/{customer_id} — one customer.
#[utoipa::path(get, path = "/customer/{customer_id}", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("customer_id" = String, Path, description = "customer id")),
    responses((status = 200, body = Success<CustomerInfo>)))]
#[tracing::instrument(skip_all)]
pub async fn read(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    path: std::result::Result<Path<String>, PathRejection>,
) -> Result<Response> {
    let id = path_id(CUSTOMER, path)?;
    let customer = s.projects.customer(&caller, id).await?;
    Ok(ok(CustomerInfo::from(customer)))
}

/// POST /api/v1/customer — create a customer that logs in with its account or mobile.
#[utoipa::path(post, path = "/customer", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>")),
    request_body = CreateCustomerBody, responses((status = 200, body = Success<IdName>)))]
#[tracing::instrument(skip_all)]
pub async fn create(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    DialectJson(body, _): Json<CreateCustomerBody>,
) -> Result<Response> {
    let name = Nickname::parse("name", &required("name", body.name)?)?;
    let account = Account::parse("account", &required("account", body.account)?.0)?;
    let password = Password::parse("password", &required("password", body.password)?.0)?;
    let descr = Descr::parse("descr", body.descr.as_deref().unwrap_or_default())?;
    let email = given(body.email)
        .map(|e| Email::parse("email", &e))
        .transpose()?;
    let mobile = given(body.mobile.map(|m| m.0))
        .map(|m| Phone::parse("mobile", &m))
        .transpose()?;
    let role_id = role_id(body.role_id)?.flatten();
    let user = s
        .projects
        .create_customer(
            &caller,
            NewCustomer {
                account,
                password,
                name,
                descr,
                email,
                mobile,
                tags: body.tags.unwrap_or_default(),
                role_id,
            },
        )
        .await?;
    Ok(ok(IdName {
        id: user.id.to_string(),
        name: user.nickname,
    }))
}

/// PUT /api/v1/customer/{customer_id}/info — change name, note, e-mail, mobile (role, locale).
#[utoipa::path(put, path = "/customer/{customer_id}/info", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("customer_id" = String, Path, description = "customer id")),
    request_body = CustomerInfoBody, responses((status = 200, body = Success<Empty>)))]
#[tracing::instrument(skip_all)]
pub async fn update_info(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    path: std::result::Result<Path<String>, PathRejection>,
    DialectJson(body, _): Json<CustomerInfoBody>,
) -> Result<Response> {
    let id = path_id(CUSTOMER, path)?;
    let update = CustomerUpdate {
        name: body.name.map(|n| Nickname::parse("name", &n)).transpose()?,
        descr: body.descr.map(|d| Descr::parse("descr", &d)).transpose()?,
        email: body
            .email
            .map(|e| {
                given(Some(e))
                    .map(|e| Email::parse("email", &e))
                    .transpose()
            })
            .transpose()?,
        mobile: body
            .mobile
            .map(|m| {
                given(Some(m.0))
                    .map(|m| Phone::parse("mobile", &m))
                    .transpose()
            })
            .transpose()?,
        role_id: role_id(body.role_id)?,
        locale: body
            .locale
            .map(|l| Locale::parse("locale", &l))
            .transpose()?,
    };
    s.projects.update_customer(&caller, id, update).await?;
    Ok(done())
}

/// PUT /api/v1/customer/{customer_id}/pwd — set the password; ends the customer's sessions.
#[utoipa::path(put, path = "/customer/{customer_id}/pwd", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("customer_id" = String, Path, description = "customer id")),
    request_body = PasswordBody, responses((status = 200, body = Success<Empty>)))]
#[tracing::instrument(skip_all)]
pub async fn set_password(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    path: std::result::Result<Path<String>, PathRejection>,
    DialectJson(body, _): Json<PasswordBody>,
) -> Result<Response> {
    let id = path_id(CUSTOMER, path)?;
    let password = Password::parse("password", &required("password", body.password)?.0)?;
    s.projects
        .set_customer_password(&caller, id, &password)
        .await?;
    Ok(done())
}

/// PUT /api/v1/customer/{customer_id}/tags — add or overwrite tags.
#[utoipa::path(put, path = "/customer/{customer_id}/tags", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("customer_id" = String, Path, description = "customer id")),
    request_body = TagsBody, responses((status = 200, body = Success<Empty>)))]
#[tracing::instrument(skip_all)]
pub async fn merge_tags(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    path: std::result::Result<Path<String>, PathRejection>,
    DialectJson(body, _): Json<TagsBody>,
) -> Result<Response> {
    let id = path_id(CUSTOMER, path)?;
    let tags = required("tags", body.tags)?;
    s.projects.merge_customer_tags(&caller, id, tags).await?;
    Ok(done())
}

/// DELETE /api/v1/customer/{customer_id} — remove a customer with its sessions; devices stay.
#[utoipa::path(delete, path = "/customer/{customer_id}", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("customer_id" = String, Path, description = "customer id")),
    responses((status = 200, body = Success<Empty>)))]
#[tracing::instrument(skip_all)]
pub async fn delete(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    path: std::result::Result<Path<String>, PathRejection>,
) -> Result<Response> {
    let id = path_id(CUSTOMER, path)?;
    s.projects.delete_customer(&caller, id).await?;
    Ok(done())
}

/// POST /api/v1/customer_auth — check a customer's account and password.
#[utoipa::path(post, path = "/customer_auth", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>")),
    request_body = AuthBody, responses((status = 200, body = Success<IdName>)))]
#[tracing::instrument(skip_all)]
pub async fn auth(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    DialectJson(body, _): Json<AuthBody>,
) -> Result<Response> {
    let account = required("account", body.account.filter(|a| !a.0.trim().is_empty()))?;
    let password = required("password", body.password.filter(|p| !p.0.is_empty()))?;
    let user = s
        .projects
        .customer_auth(&caller, &account.0, &password.0)
        .await?;
    Ok(ok(IdName {
        id: user.id.to_string(),
        name: user.nickname,
    }))
}
