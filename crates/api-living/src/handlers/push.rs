//! Push channels: the caller's app installations that receive alarms.

use axum::extract::State;
use axum::response::Response;
use thingstead_http::AppState;

use crate::dto::*;
use crate::envelope::Plain;
use crate::request::Call;

/// POST /uc/bindPushChannel — the app installation pushes to the caller until unbound or logged out.
#[utoipa::path(post, path = "/bindPushChannel", tag = super::TAG,
    request_body = Envelope<BindPushParams>, responses((status = 200, body = Plain)))]
#[tracing::instrument(skip_all)]
pub async fn bind_push_channel(State(s): State<AppState>, call: Call<BindPushParams>) -> Response {
    let p = &call.params;
    let result = async {
        let id = required("deviceId", p.device_id.as_deref())?;
        let kind = required("deviceType", p.device_type.as_deref())?;
        s.living
            .bind_push(&call.caller.user, &call.caller.session, id, kind)
            .await
    }
    .await;
    call.done(result)
}

/// POST /uc/unbindPushChannel — the app installation stops receiving the caller's pushes.
#[utoipa::path(post, path = "/unbindPushChannel", tag = super::TAG,
    request_body = Envelope<UnbindPushParams>, responses((status = 200, body = Plain)))]
#[tracing::instrument(skip_all)]
pub async fn unbind_push_channel(
    State(s): State<AppState>,
    call: Call<UnbindPushParams>,
) -> Response {
    let result = async {
        let id = required("deviceId", call.params.device_id.as_deref())?;
        s.living.unbind_push(&call.caller.user, id).await
    }
    .await;
    call.done(result)
}
