//! The logged-in session of a seed 001 request: `Authorization: Bearer`.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use thingstead_core::DomainError;
use thingstead_core::model::{Session, User};
use thingstead_http::AppState;

use crate::envelope::ApiError;

/// The session named by `Authorization: Bearer <token>` (a `token` header is
/// accepted too).
pub struct Authed(pub Session, pub User);

impl FromRequestParts<AppState> for Authed {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = thingstead_http::bearer(parts)
            .or_else(|| thingstead_http::header(parts, "token"))
            .ok_or(ApiError(DomainError::Unauthenticated))?;
        let p = state.identity.authenticate(token).await?;
        Ok(Authed(p.session, p.user))
    }
}

/// The session, if the request carries a valid token; `None` without one.
/// A token that is present but invalid is still refused.
pub struct MaybeAuthed(pub Option<Session>);

impl FromRequestParts<AppState> for MaybeAuthed {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token =
            thingstead_http::bearer(parts).or_else(|| thingstead_http::header(parts, "token"));
        match token {
            None => Ok(MaybeAuthed(None)),
            Some(t) => Ok(MaybeAuthed(Some(
                state.identity.authenticate(t).await?.session,
            ))),
        }
    }
}
