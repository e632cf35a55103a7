//! The phones and PCs the account has logged in from.

use axum::extract::State;
use axum::response::Response;
use thingstead_core::DomainError;
use thingstead_http::{AppState, DialectJson, LooseInt};

use crate::auth::Authed;
use crate::dto::*;
use crate::envelope::{Empty, Envelope, Json, Result, done, ok};

/// POST /v1/user/getBindMobileDevice — the account's terminals, the current one first.
#[utoipa::path(post, path = "/user/getBindMobileDevice", tag = "001 lock",
    params(("Authorization" = String, Header, description = "Bearer <token>")),
    request_body = BindDevicesBody, responses((status = 200, body = Envelope<Vec<MobileDevice>>)))]
#[tracing::instrument(skip_all)]
pub async fn list(
    State(s): State<AppState>,
    Authed(session, _user): Authed,
    DialectJson(body, _): Json<BindDevicesBody>,
) -> Result<Response> {
    let mut terminals = s.identity.terminals(&session).await?;
    if let Some(current) = body.current_device_no.as_deref().map(str::trim) {
        // Stable: the current terminal moves to the front, the rest keep their order.
        terminals.sort_by_key(|t| t.device_no != current);
    }
    let list: Vec<MobileDevice> = terminals
        .into_iter()
        .map(|t| MobileDevice {
            id: t.id,
            device_no: t.device_no,
            device_name: t.name,
            plat_id: t.platform.id(),
            last_login_time: t
                .last_login_at
                .with_timezone(&s.display_offset)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string(),
        })
        .collect();
    Ok(ok(list))
}

/// POST /v1/user/unbindMobileDevice — forget a terminal and end its sessions.
#[utoipa::path(post, path = "/user/unbindMobileDevice", tag = "001 lock",
    params(("Authorization" = String, Header, description = "Bearer <token>")),
    request_body = UnbindDeviceBody, responses((status = 200, body = Envelope<Empty>)))]
#[tracing::instrument(skip_all)]
pub async fn unbind(
    State(s): State<AppState>,
    Authed(session, _user): Authed,
    DialectJson(body, _): Json<UnbindDeviceBody>,
) -> Result<Response> {
    let LooseInt(id) = required("id", body.id)?;
    if id <= 0 {
        return Err(DomainError::invalid("id", "id must be a positive integer").into());
    }
    s.identity.unbind_terminal(&session, id).await?;
    Ok(done())
}
