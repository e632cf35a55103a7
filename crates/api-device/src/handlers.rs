//! The HTTP device API's handlers: reports answer once they are committed.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use thingstead_core::telemetry::ReportBody;
use thingstead_http::{AppState, DialectJson, DialectQuery};

use crate::auth::{DeviceAuth, ProjectKey};
use crate::dto::{
    AttributesAnswer, AttributesBody, CertificateAnswer, CertificateBody, EventAnswer, EventBody,
    KeysQuery, ProvisionAnswer, ProvisionBody, ProvisionedDevice, present,
};
use crate::envelope::{Done, Failure, Json, Query, Result, done};

/// POST /device/v1/{access_token}/attributes — report attributes; answered once stored.
#[utoipa::path(post, path = "/{access_token}/attributes", tag = "device http",
    params(("access_token" = String, Path, description = "the device certificate's AccessToken"),
        ("Project-Key" = String, Header, description = "the project key")),
    request_body = AttributesBody,
    responses((status = 200, body = Done),
        (status = 400, description = "not a JSON object, or a value the attribute cannot take", body = Failure),
        (status = 401, description = "wrong or missing access token or Project-Key", body = Failure)))]
#[tracing::instrument(skip_all)]
pub async fn report_attributes(
    State(s): State<AppState>,
    DeviceAuth(device): DeviceAuth,
    DialectJson(body, _): Json<AttributesBody>,
) -> Result<Response> {
    s.telemetry
        .report(&device, ReportBody::Attributes(body.0), true)
        .await?;
    Ok(done())
}

/// GET /device/v1/{access_token}/attributes — the device's current attributes (`?keys=a,b` for some).
#[utoipa::path(get, path = "/{access_token}/attributes", tag = "device http",
    params(("access_token" = String, Path, description = "the device certificate's AccessToken"),
        ("Project-Key" = String, Header, description = "the project key"),
        ("keys" = Option<String>, Query, description = "identifiers separated by commas; all when absent")),
    responses((status = 200, body = AttributesAnswer),
        (status = 401, description = "wrong or missing access token or Project-Key", body = Failure)))]
#[tracing::instrument(skip_all)]
pub async fn read_attributes(
    State(s): State<AppState>,
    DeviceAuth(device): DeviceAuth,
    DialectQuery(q, _): Query<KeysQuery>,
) -> Result<Response> {
    let keys = q.keys()?;
    let attributes = s
        .telemetry
        .attributes_for_device(&device, keys.as_deref())
        .await?;
    Ok(axum::Json(AttributesAnswer {
        result: 1,
        attributes,
    })
    .into_response())
}

/// POST /device/v1/{access_token}/event/report — report an event `{method, params, id?}`; answered once stored.
#[utoipa::path(post, path = "/{access_token}/event/report", tag = "device http",
    params(("access_token" = String, Path, description = "the device certificate's AccessToken"),
        ("Project-Key" = String, Header, description = "the project key")),
    request_body = EventBody,
    responses((status = 200, body = EventAnswer),
        (status = 400, description = "method missing, or a field of the wrong type", body = Failure),
        (status = 401, description = "wrong or missing access token or Project-Key", body = Failure)))]
#[tracing::instrument(skip_all)]
pub async fn report_event(
    State(s): State<AppState>,
    DeviceAuth(device): DeviceAuth,
    DialectJson(body, _): Json<EventBody>,
) -> Result<Response> {
    let (id, report) = body.report(thingstead_core::now().timestamp_millis())?;
    s.telemetry.report(&device, report, true).await?;
    Ok(axum::Json(EventAnswer { result: 1, id }).into_response())
}

/// POST /device/v1/certificate — a device of the project registers itself by its device_key (created on first call).
#[utoipa::path(post, path = "/certificate", tag = "device http",
    params(("Project-Key" = String, Header, description = "the project key")),
    request_body = CertificateBody,
    responses((status = 200, body = CertificateAnswer),
        (status = 400, description = "device_key missing or malformed", body = Failure),
        (status = 401, description = "wrong or missing Project-Key", body = Failure),
        (status = 404, description = "unknown type_key or customer_id", body = Failure)))]
#[tracing::instrument(skip_all)]
pub async fn certificate(
    State(s): State<AppState>,
    ProjectKey(key): ProjectKey,
    DialectJson(body, _): Json<CertificateBody>,
) -> Result<Response> {
    let device_key = body
        .device_key
        .ok_or(thingstead_core::DomainError::required("device_key"))?;
    let cert = s
        .telemetry
        .issue_certificate(
            &key,
            device_key.as_str(),
            present(body.type_key.as_deref()),
            present(body.customer_id.as_ref().map(|c| c.as_str())),
        )
        .await?;
    Ok(axum::Json(CertificateAnswer::from(cert)).into_response())
}

/// POST /device/v1/{access_token}/provision — the device presents its user's provisioning code and becomes that user's.
#[utoipa::path(post, path = "/{access_token}/provision", tag = "device http",
    params(("access_token" = String, Path, description = "the device certificate's AccessToken"),
        ("Project-Key" = String, Header, description = "the project key")),
    request_body = ProvisionBody,
    responses((status = 200, body = ProvisionAnswer),
        (status = 400, description = "code missing, wrong, expired or already used", body = Failure),
        (status = 401, description = "wrong or missing access token or Project-Key", body = Failure),
        (status = 409, description = "the device already has another owner", body = Failure)))]
#[tracing::instrument(skip_all)]
pub async fn provision(
    State(s): State<AppState>,
    DeviceAuth(device): DeviceAuth,
    DialectJson(body, _): Json<ProvisionBody>,
) -> Result<Response> {
    let code = body
        .code
        .ok_or(thingstead_core::DomainError::required("code"))?;
    let user = s.telemetry.provision(&device, code.as_str()).await?;
    Ok(axum::Json(ProvisionAnswer {
        result: 1,
        device: ProvisionedDevice {
            id: device.device.to_string(),
            name: device.name.clone(),
        },
        customer_id: user.to_string(),
    })
    .into_response())
}
