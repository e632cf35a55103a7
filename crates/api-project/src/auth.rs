//! The caller of a seed 003 request: `Authorization: Bearer <AccessToken>`
//! from `access_token` or `admin_login`. User session tokens are refused.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use thingstead_core::DomainError;
use thingstead_core::project::Caller;
use thingstead_http::AppState;

use crate::envelope::ApiError;

/// The project API caller.
pub struct ProjectAuth(pub Caller);

impl FromRequestParts<AppState> for ProjectAuth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = thingstead_http::bearer(parts).ok_or(ApiError(DomainError::Unauthenticated))?;
        Ok(ProjectAuth(state.projects.authenticate(token).await?))
    }
}
