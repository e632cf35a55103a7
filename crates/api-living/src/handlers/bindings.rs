//! The caller's devices: lists, order, nicknames, unbinding, members, and a
//! gateway's sub-devices.

use axum::extract::State;
use axum::response::Response;
use thingstead_core::living::{AccountFilter, LivingError, Move};
use thingstead_http::{AppState, LooseInt};

use crate::dto::*;
use crate::envelope::{Answer, Plain};
use crate::request::Call;

type Result<T> = std::result::Result<T, LivingError>;

/// `owned`: 0 or 1.
fn owned(value: Option<LooseInt>) -> Result<Option<bool>> {
    match value.map(|v| v.0) {
        None => Ok(None),
        Some(0) => Ok(Some(false)),
        Some(1) => Ok(Some(true)),
        Some(_) => Err(LivingError::invalid("owned", "owned must be 0 or 1")),
    }
}

fn account_filter(p: &ListByAccountParams) -> Result<AccountFilter> {
    let devices_only = match p.thing_type.as_deref().map(str::trim) {
        None | Some("") => None,
        Some("DEVICE") => Some(true),
        Some("VIRTUAL" | "WEB" | "APP") => Some(false),
        Some(_) => {
            return Err(LivingError::invalid(
                "thingType",
                "thingType must be VIRTUAL, WEB, APP or DEVICE",
            ));
        }
    };
    let gateway = match p.node_type.as_deref().map(str::trim) {
        None | Some("") => None,
        Some("DEVICE") => Some(false),
        Some("GATEWAY") => Some(true),
        Some(_) => {
            return Err(LivingError::invalid(
                "nodeType",
                "nodeType must be DEVICE or GATEWAY",
            ));
        }
    };
    Ok(AccountFilter {
        devices_only,
        gateway,
        owned: owned(p.owned)?,
    })
}

/// POST /uc/listBindingByAccount — the caller's devices in the caller's order, paged.
#[utoipa::path(post, path = "/listBindingByAccount", tag = super::TAG,
    request_body = Envelope<ListByAccountParams>,
    responses((status = 200, body = Answer<PageOf<AccountDevDto>>)))]
#[tracing::instrument(skip_all)]
pub async fn list_binding_by_account(
    State(s): State<AppState>,
    call: Call<ListByAccountParams>,
) -> Response {
    let p = &call.params;
    let result = async {
        let filter = account_filter(p)?;
        let page = page(p.page_no, p.page_size)?;
        let paged = s
            .living
            .list_by_account(&call.caller.user, filter, page)
            .await?;
        Ok(PageOf::of(paged, AccountDevDto::from))
    }
    .await;
    call.answer(result)
}

/// POST /uc/listBindingByDev — the users bound to a device the caller is bound to, paged.
#[utoipa::path(post, path = "/listBindingByDev", tag = super::TAG,
    request_body = Envelope<ListByDevParams>,
    responses((status = 200, body = Answer<PageOf<AccountDevDto>>)))]
#[tracing::instrument(skip_all)]
pub async fn list_binding_by_dev(
    State(s): State<AppState>,
    call: Call<ListByDevParams>,
) -> Response {
    let p = &call.params;
    let result = async {
        let iot = required("iotId", p.iot_id.as_ref())?;
        let owned = owned(p.owned)?;
        let page = page(p.page_no, p.page_size)?;
        let paged = s
            .living
            .list_by_device(&call.caller.user, iot.as_str(), owned, page)
            .await?;
        Ok(PageOf::of(paged, AccountDevDto::from))
    }
    .await;
    call.answer(result)
}

/// POST /uc/sortDevices — moves devices in the caller's order (`toOrder` from 0).
#[utoipa::path(post, path = "/sortDevices", tag = super::TAG,
    request_body = Envelope<SortDevicesParams>, responses((status = 200, body = Plain)))]
#[tracing::instrument(skip_all)]
pub async fn sort_devices(State(s): State<AppState>, call: Call<SortDevicesParams>) -> Response {
    let p = &call.params;
    let result = async {
        let list = required("sortDeviceDTOList", p.sort_device_dto_list.as_ref())?;
        let moves = list
            .iter()
            .map(|m| {
                Ok(Move {
                    iot_id: required("sortDeviceDTOList.iotId", m.iot_id.as_ref())?
                        .as_str()
                        .to_owned(),
                    to: required("sortDeviceDTOList.toOrder", m.to_order)?.0,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        s.living.sort_devices(&call.caller.user, &moves).await
    }
    .await;
    call.done(result)
}

/// POST /uc/setDeviceNickName — the caller's own name for a device.
#[utoipa::path(post, path = "/setDeviceNickName", tag = super::TAG,
    request_body = Envelope<NickNameParams>, responses((status = 200, body = Plain)))]
#[tracing::instrument(skip_all)]
pub async fn set_device_nick_name(
    State(s): State<AppState>,
    call: Call<NickNameParams>,
) -> Response {
    let p = &call.params;
    let result = async {
        let iot = required("iotId", p.iot_id.as_ref())?;
        let name = required("nickName", p.nick_name.as_deref())?;
        s.living
            .set_nickname(&call.caller.user, iot.as_str(), name)
            .await
    }
    .await;
    call.done(result)
}

/// POST /uc/unbindAccountAndDev — leave a device; its owner leaving unbinds everyone.
#[utoipa::path(post, path = "/unbindAccountAndDev", tag = super::TAG,
    request_body = Envelope<IotIdParams>, responses((status = 200, body = Plain)))]
#[tracing::instrument(skip_all)]
pub async fn unbind_account_and_dev(
    State(s): State<AppState>,
    call: Call<IotIdParams>,
) -> Response {
    let p = &call.params;
    let result = async {
        let iot = required("iotId", p.iot_id.as_ref())?;
        s.living.unbind(&call.caller.user, iot.as_str()).await
    }
    .await;
    call.done(result)
}

/// POST /uc/getByAccountAndDev — the caller's binding to a device, `{}` when none.
#[utoipa::path(post, path = "/getByAccountAndDev", tag = super::TAG,
    request_body = Envelope<IotIdParams>,
    responses((status = 200, body = Answer<AccountDevDto>)))]
#[tracing::instrument(skip_all)]
pub async fn get_by_account_and_dev(
    State(s): State<AppState>,
    call: Call<IotIdParams>,
) -> Response {
    let p = &call.params;
    let result = async {
        let iot = required("iotId", p.iot_id.as_ref())?;
        let found = s.living.binding_of(&call.caller.user, iot.as_str()).await?;
        Ok(match found {
            Some(b) => serde_json::to_value(AccountDevDto::from(b))
                .map_err(|_| LivingError::Domain(thingstead_core::DomainError::Internal))?,
            None => serde_json::json!({}),
        })
    }
    .await;
    call.answer(result)
}

/// POST /uc/unbindByManager — the owner removes a member from its devices.
#[utoipa::path(post, path = "/unbindByManager", tag = super::TAG,
    request_body = Envelope<UnbindByManagerParams>, responses((status = 200, body = Plain)))]
#[tracing::instrument(skip_all)]
pub async fn unbind_by_manager(
    State(s): State<AppState>,
    mut call: Call<UnbindByManagerParams>,
) -> Response {
    let iots = call.params.iot_ids();
    let p = &call.params;
    let result = async {
        let target = required("targetIdentityId", p.target_identity_id.as_ref())?;
        s.living
            .unbind_by_manager(&call.caller.user, target.as_str(), &iots)
            .await
    }
    .await;
    call.done(result)
}

/// POST /subdevices/list — the sub-devices of a gateway the caller is bound to, paged.
#[utoipa::path(post, path = "/list", tag = super::TAG,
    request_body = Envelope<SubDevicesParams>,
    responses((status = 200, body = Answer<PageOf<DeviceInfoDto>>)))]
#[tracing::instrument(skip_all)]
pub async fn list_sub_devices(State(s): State<AppState>, call: Call<SubDevicesParams>) -> Response {
    let p = &call.params;
    let result = async {
        let iot = required("iotId", p.iot_id.as_ref())?;
        let page = page(p.page_no, p.page_size)?;
        let paged = s
            .living
            .sub_devices(&call.caller.user, iot.as_str(), page)
            .await?;
        Ok(PageOf::of(paged, DeviceInfoDto::from))
    }
    .await;
    call.answer(result)
}
