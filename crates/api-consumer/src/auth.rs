//! The logged-in session of a seed 000 request: the `token` header.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use thingstead_core::DomainError;
use thingstead_core::model::{Session, User};
use thingstead_http::AppState;

use crate::envelope::ApiError;

/// The session named by the `token` header (an `Authorization: Bearer`
/// header is accepted too).
pub struct Authed(pub Session, pub User);

impl FromRequestParts<AppState> for Authed {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = thingstead_http::header(parts, "token")
            .or_else(|| thingstead_http::bearer(parts))
            .ok_or(ApiError(DomainError::Unauthenticated))?;
        let p = state.identity.authenticate(token).await?;
        Ok(Authed(p.session, p.user))
    }
}
