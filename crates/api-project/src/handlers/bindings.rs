//! User–device bindings: a customer's devices (读取用户设备列表), a
//! device's customers (读取设备用户列表), and, as extensions, binding
//! devices to a customer and removing a binding.

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use thingstead_core::DomainError;
use thingstead_core::project::devices::parse_id;
use thingstead_http::{AppState, DialectJson, DialectQuery, LooseInt, LooseString};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::customers::dto::{CustomerInfo, CustomerList, Empty, ListQuery};
use super::devices::dto::DeviceList;
use super::devices::{PathId, PathIds};
use crate::auth::ProjectAuth;
use crate::envelope::{Json, Query, Result, Success, done, ok};

/// `POST /customer/{customer_id}/devices` (extension).
#[derive(Debug, Deserialize, ToSchema)]
pub struct BindBody {
    /// Required: 1 to 100 device ids of the project.
    #[schema(value_type = Option<Vec<String>>)]
    pub devices: Option<Vec<LooseString>>,
}

/// The routes of this part.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(device_customers))
        .routes(routes!(customer_devices, bind))
        .routes(routes!(unbind))
}

/// GET /api/v1/device/{device_id}/customers — the customers bound to a device.
#[utoipa::path(get, path = "/device/{device_id}/customers", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("device_id" = String, Path, description = "device ID")),
    responses((status = 200, body = Success<CustomerList>)))]
#[tracing::instrument(skip_all)]
pub async fn device_customers(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    PathId(id): PathId,
) -> Result<Response> {
    let found = s.projects.device_customers(&caller, &id).await?;
    Ok(ok(CustomerList {
        items: found.into_iter().map(CustomerInfo::from).collect(),
        total: None,
        page_total: None,
    }))
}

/// GET /api/v1/customer/{customer_id}/devices — one page of 20 devices bound to a customer.
#[utoipa::path(get, path = "/customer/{customer_id}/devices", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("customer_id" = String, Path, description = "customer id"),
        ("page" = Option<i64>, Query, description = "page number from 1, default 1")),
    responses((status = 200, body = Success<DeviceList>)))]
#[tracing::instrument(skip_all)]
pub async fn customer_devices(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    PathId(id): PathId,
    DialectQuery(q, _): Query<ListQuery>,
) -> Result<Response> {
    let id = parse_id(&id, "customer")?;
    let page = q.page.map(|LooseInt(p)| p);
    let devices = s.projects.customer_devices(&caller, id, page).await?;
    Ok(ok(DeviceList::from(devices)))
}

/// POST /api/v1/customer/{customer_id}/devices — bind devices to a customer (extension).
#[utoipa::path(post, path = "/customer/{customer_id}/devices", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("customer_id" = String, Path, description = "customer id")),
    request_body = BindBody, responses((status = 200, body = Success<Empty>)))]
#[tracing::instrument(skip_all)]
pub async fn bind(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    PathId(id): PathId,
    DialectJson(body, _): Json<BindBody>,
) -> Result<Response> {
    let id = parse_id(&id, "customer")?;
    let Some(devices) = body.devices else {
        return Err(DomainError::invalid("devices", "devices is required").into());
    };
    let devices: Vec<String> = devices.into_iter().map(|LooseString(d)| d).collect();
    s.projects
        .bind_customer_devices(&caller, id, &devices)
        .await?;
    Ok(done())
}

/// DELETE /api/v1/customer/{customer_id}/device/{device_id} — remove a customer's binding to a device (extension).
#[utoipa::path(delete, path = "/customer/{customer_id}/device/{device_id}", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("customer_id" = String, Path, description = "customer id"),
        ("device_id" = String, Path, description = "device ID")),
    responses((status = 200, body = Success<Empty>)))]
#[tracing::instrument(skip_all)]
pub async fn unbind(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    PathIds(customer, device): PathIds,
) -> Result<Response> {
    let customer = parse_id(&customer, "customer")?;
    s.projects
        .unbind_customer_device(&caller, customer, &device)
        .await?;
    Ok(done())
}
