//! Sharing: QR keys, share notices and their answers, and leaving scenes.

use axum::extract::State;
use axum::response::Response;
use thingstead_core::living::{LivingError, scene_id};
use thingstead_http::AppState;

use crate::dto::*;
use crate::envelope::{Answer, Plain};
use crate::request::Call;

type Result<T> = std::result::Result<T, LivingError>;

/// POST /uc/generateShareQrCode — a single-use key (30 minutes) sharing devices the caller owns.
#[utoipa::path(post, path = "/generateShareQrCode", tag = super::TAG,
    request_body = Envelope<ShareQrParams>, responses((status = 200, body = Answer<QrKey>)))]
#[tracing::instrument(skip_all)]
pub async fn generate_share_qr_code(
    State(s): State<AppState>,
    mut call: Call<ShareQrParams>,
) -> Response {
    let params = std::mem::replace(
        &mut call.params,
        ShareQrParams {
            iot_id_list: None,
            scene_id_list: None,
            group_id: None,
        },
    );
    let result = async {
        let (iots, scenes) = params.iot_ids();
        let scenes = scenes
            .iter()
            .map(|s| scene_id("sceneIdList", s))
            .collect::<Result<Vec<_>>>()?;
        let qr_key = s
            .living
            .generate_share_key(&call.caller.user, &iots, &scenes)
            .await?;
        Ok(QrKey { qr_key })
    }
    .await;
    call.answer(result)
}

/// POST /uc/scanBindByShareQrCode — binds the caller as a member of a share key's devices.
#[utoipa::path(post, path = "/scanBindByShareQrCode", tag = super::TAG,
    request_body = Envelope<ScanParams>, responses((status = 200, body = Plain)))]
#[tracing::instrument(skip_all)]
pub async fn scan_bind_by_share_qr_code(
    State(s): State<AppState>,
    call: Call<ScanParams>,
) -> Response {
    let result = async {
        let key = required("qrKey", call.params.qr_key.as_deref())?;
        s.living.scan_share_key(&call.caller.user, key).await
    }
    .await;
    call.done(result)
}

/// POST /uc/shareDevicesAndScenes — share notices for up to 20 devices to a phone or e-mail.
#[utoipa::path(post, path = "/shareDevicesAndScenes", tag = super::TAG,
    request_body = Envelope<ShareParams>, responses((status = 200, body = Plain)))]
#[tracing::instrument(skip_all)]
pub async fn share_devices_and_scenes(
    State(s): State<AppState>,
    mut call: Call<ShareParams>,
) -> Response {
    let iots = call.params.iot_ids();
    let p = &call.params;
    let result = async {
        required("iotIdList", Some(()).filter(|_| !iots.is_empty()))?;
        let value = required("accountAttr", p.account_attr.as_ref())?;
        let kind = required("accountAttrType", p.account_attr_type.as_deref())?;
        s.living
            .share_to(&call.caller.user, &iots, kind, value.as_str())
            .await
    }
    .await;
    call.done(result)
}

/// POST /uc/getShareNoticeList — the share notices the caller sent or receives, paged.
#[utoipa::path(post, path = "/getShareNoticeList", tag = super::TAG,
    request_body = Envelope<PageParams>, responses((status = 200, body = Answer<NoticePage>)))]
#[tracing::instrument(skip_all)]
pub async fn get_share_notice_list(State(s): State<AppState>, call: Call<PageParams>) -> Response {
    let p = &call.params;
    let result = async {
        let page = page(p.page_no, p.page_size)?;
        let paged = s.living.notices(&call.caller.user, page).await?;
        let page = PageOf::of(paged, ShareNoticeDto::from);
        Ok(NoticePage {
            total: page.total,
            page_no: page.page_no,
            page_size: page.page_size,
            share_notice_list: page.data,
        })
    }
    .await;
    call.answer(result)
}

/// POST /uc/cancelShare — the sender withdraws pending share notices.
#[utoipa::path(post, path = "/cancelShare", tag = super::TAG,
    request_body = Envelope<RecordsParams>, responses((status = 200, body = Plain)))]
#[tracing::instrument(skip_all)]
pub async fn cancel_share(State(s): State<AppState>, mut call: Call<RecordsParams>) -> Response {
    let given = call.params.record_id_list.is_some();
    let ids = std::mem::replace(
        &mut call.params,
        RecordsParams {
            record_id_list: None,
        },
    )
    .ids();
    let result = async {
        required("recordIdList", Some(()).filter(|_| given))?;
        s.living.cancel_share(&call.caller.user, &ids).await
    }
    .await;
    call.done(result)
}

/// POST /uc/confirmShare — the receiver agrees (1) or refuses (0) pending share notices.
#[utoipa::path(post, path = "/confirmShare", tag = super::TAG,
    request_body = Envelope<ConfirmParams>, responses((status = 200, body = Plain)))]
#[tracing::instrument(skip_all)]
pub async fn confirm_share(State(s): State<AppState>, mut call: Call<ConfirmParams>) -> Response {
    let list = call.params.record_id_list.take();
    let agree = call.params.agree;
    let result = async {
        let ids: Vec<String> = required("recordIdList", list)?
            .into_iter()
            .map(|s| s.0)
            .collect();
        let agree = match required("agree", agree)?.0 {
            1 => true,
            0 => false,
            _ => return Err(LivingError::invalid("agree", "agree must be 0 or 1")),
        };
        s.living.confirm_share(&call.caller.user, &ids, agree).await
    }
    .await;
    call.done(result)
}

/// POST /uc/clearShareNoticeList — empties the caller's share notice list.
#[utoipa::path(post, path = "/clearShareNoticeList", tag = super::TAG,
    request_body = Envelope<NoParams>, responses((status = 200, body = Plain)))]
#[tracing::instrument(skip_all)]
pub async fn clear_share_notice_list(State(s): State<AppState>, call: Call<NoParams>) -> Response {
    let result = s.living.clear_notices(&call.caller.user).await;
    call.done(result)
}

/// POST /uc/unbindAccountAndScene — leave a scene; its owner leaving unbinds everyone.
#[utoipa::path(post, path = "/unbindAccountAndScene", tag = super::TAG,
    request_body = Envelope<SceneParams>, responses((status = 200, body = Plain)))]
#[tracing::instrument(skip_all)]
pub async fn unbind_account_and_scene(
    State(s): State<AppState>,
    call: Call<SceneParams>,
) -> Response {
    let result = async {
        let id = required("sceneId", call.params.scene_id.as_ref())?;
        s.living.unbind_scene(&call.caller.user, id.as_str()).await
    }
    .await;
    call.done(result)
}
