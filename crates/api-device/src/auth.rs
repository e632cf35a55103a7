//! The device of a request: the access token of its certificate in the
//! path and its project's key in the `Project-Key` header. Neither is ever
//! logged.

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use thingstead_core::telemetry::ConnectedDevice;
use thingstead_http::AppState;

use crate::envelope::ApiError;

/// The header carrying the project key.
pub const PROJECT_KEY: &str = "project-key";

/// The device presenting its certificate.
pub struct DeviceAuth(pub ConnectedDevice);

impl FromRequestParts<AppState> for DeviceAuth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Path(token) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::unauthorized())?;
        let key = thingstead_http::header(parts, PROJECT_KEY).ok_or_else(ApiError::unauthorized)?;
        let token = token.trim();
        if token.is_empty() {
            return Err(ApiError::unauthorized());
        }
        state
            .telemetry
            .authenticate(token, key)
            .await?
            .map(DeviceAuth)
            .ok_or_else(ApiError::unauthorized)
    }
}

/// The `Project-Key` header of a request that has no device yet
/// (certificate issue).
pub struct ProjectKey(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ProjectKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        thingstead_http::header(parts, PROJECT_KEY)
            .map(|k| ProjectKey(k.to_owned()))
            .ok_or_else(ApiError::unauthorized)
    }
}
