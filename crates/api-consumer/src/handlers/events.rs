//! Live events for an app in the foreground (extension).

use std::convert::Infallible;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use thingstead_core::DomainError;
use thingstead_core::living::LivingError;
use thingstead_http::AppState;

use crate::auth::Authed;
use crate::envelope::Result;

/// GET /user/customer/user/events — the caller's devices' attribute reports and alarm changes as server-sent events (extension).
#[utoipa::path(get, path = "/customer/user/events", tag = "000 consumer",
    params(("token" = String, Header, description = "session token")),
    responses((status = 200, content_type = "text/event-stream",
        description = "events `attributes` and `alarm`, each a JSON object naming the device")))]
#[tracing::instrument(skip_all, fields(user = user.id))]
pub async fn events(State(s): State<AppState>, Authed(session, user): Authed) -> Result<Response> {
    let stream = s
        .living
        .follow(&user, &session, s.alarms.live())
        .await
        .map_err(|e| match e {
            LivingError::Domain(d) => d,
            _ => DomainError::Internal,
        })?;
    let events = stream
        .map(|e| Ok::<_, Infallible>(Event::default().event(e.kind).data(e.data.to_string())));
    Ok(Sse::new(events)
        .keep_alive(KeepAlive::default())
        .into_response())
}
