//! Gateways' sub-devices (extension).

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use thingstead_core::DomainError;
use thingstead_http::{AppState, DialectJson, LooseString};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::customers::dto::Empty;
use super::devices::PathId;
use crate::auth::ProjectAuth;
use crate::envelope::{Json, Result, Success, done};

/// `POST /device/{device_id}/sub_devices` (extension).
#[derive(Debug, Deserialize, ToSchema)]
pub struct AttachBody {
    /// Required: 1 to 100 device ids of the project.
    #[schema(value_type = Option<Vec<String>>)]
    pub devices: Option<Vec<LooseString>>,
}

/// The routes of this part.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(attach))
}

/// POST /api/v1/device/{device_id}/sub_devices — attach devices to a gateway (extension).
#[utoipa::path(post, path = "/device/{device_id}/sub_devices", tag = "003 project",
    params(("Authorization" = String, Header, description = "Bearer <AccessToken>"),
        ("device_id" = String, Path, description = "the gateway's device ID")),
    request_body = AttachBody, responses((status = 200, body = Success<Empty>)))]
#[tracing::instrument(skip_all)]
pub async fn attach(
    State(s): State<AppState>,
    ProjectAuth(caller): ProjectAuth,
    PathId(id): PathId,
    DialectJson(body, _): Json<AttachBody>,
) -> Result<Response> {
    let Some(devices) = body.devices else {
        return Err(DomainError::invalid("devices", "devices is required").into());
    };
    let devices: Vec<String> = devices.into_iter().map(|LooseString(d)| d).collect();
    s.projects
        .attach_sub_devices(&caller, &id, &devices)
        .await?;
    Ok(done())
}
