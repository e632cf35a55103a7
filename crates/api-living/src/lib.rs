//! Seed 002: the Alibaba Cloud IoT Living Platform user service. Every
//! call is a `POST` of `{id, version, request: {iotToken, apiVer}, params}`
//! answered with `{code, data, message, id}` (HTTP 200, the outcome in
//! `code`). Mounted at the seed's own paths: `/uc/...`, `/subdevices/list`,
//! and the scene extension at `/scene/...`.
//! Codes and choices are in docs/api/002-living.md.

pub mod dto;
pub mod envelope;
mod handlers;
pub mod request;

use axum::extract::Request;
use axum::response::Response;
use thingstead_http::{AppState, BODY_LIMIT};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use handlers::{bindings, push, scenes, sharing};

/// The `/uc/...` routes, relative to `/uc`.
pub fn uc_router() -> OpenApiRouter<AppState> {
    let routes = OpenApiRouter::new()
        .routes(routes!(bindings::list_binding_by_account))
        .routes(routes!(bindings::list_binding_by_dev))
        .routes(routes!(bindings::sort_devices))
        .routes(routes!(bindings::set_device_nick_name))
        .routes(routes!(bindings::unbind_account_and_dev))
        .routes(routes!(bindings::get_by_account_and_dev))
        .routes(routes!(bindings::unbind_by_manager))
        .routes(routes!(sharing::generate_share_qr_code))
        .routes(routes!(sharing::scan_bind_by_share_qr_code))
        .routes(routes!(sharing::share_devices_and_scenes))
        .routes(routes!(sharing::get_share_notice_list))
        .routes(routes!(sharing::cancel_share))
        .routes(routes!(sharing::confirm_share))
        .routes(routes!(sharing::clear_share_notice_list))
        .routes(routes!(sharing::unbind_account_and_scene))
        .routes(routes!(push::bind_push_channel))
        .routes(routes!(push::unbind_push_channel));
    finish(routes)
}

/// The `/subdevices/...` routes, relative to `/subdevices`.
pub fn subdevices_router() -> OpenApiRouter<AppState> {
    finish(OpenApiRouter::new().routes(routes!(bindings::list_sub_devices)))
}

/// The scene extension's routes, relative to `/scene`.
pub fn scene_router() -> OpenApiRouter<AppState> {
    let routes = OpenApiRouter::new()
        .routes(routes!(scenes::create))
        .routes(routes!(scenes::list))
        .routes(routes!(scenes::delete))
        .routes(routes!(scenes::fire));
    finish(routes)
}

/// This dialect's 404 (with the request's `id` echoed), 405, panic answer
/// and body limit.
fn finish(router: OpenApiRouter<AppState>) -> OpenApiRouter<AppState> {
    let router = router.fallback(not_found);
    let (router, api) = router.split_for_parts();
    let router = router
        .method_not_allowed_fallback(|| async {
            envelope::refusal(envelope::BAD_REQUEST, "use POST")
        })
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            |_: Box<dyn std::any::Any + Send>| {
                envelope::refusal(envelope::SERVICE_ERROR, "service error.")
            },
        ))
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT));
    OpenApiRouter::with_openapi(api).merge(router.into())
}

/// 404 `service not found.`, echoing the request's `id` when it has one.
async fn not_found(req: Request) -> Response {
    let bytes = axum::body::to_bytes(req.into_body(), BODY_LIMIT)
        .await
        .unwrap_or_default();
    let id = request::id_of(&bytes);
    envelope::fail(id, envelope::NOT_FOUND, "service not found.")
}
