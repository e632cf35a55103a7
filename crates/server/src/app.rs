//! The HTTP application: the dialects under their prefixes, health, the
//! OpenAPI document and its browsable UI, and one log line per request.

use std::sync::Arc;
use std::time::Instant;

use axum::Json;
use axum::Router;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;
use thingstead_devices::LocalBus;
use thingstead_devices::cluster::Cluster;
use thingstead_http::AppState;
use utoipa::openapi::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

/// Where the OpenAPI document is served.
pub const OPENAPI_PATH: &str = "/openapi.json";
/// Where the Swagger UI is served.
pub const DOCS_PATH: &str = "/docs";

/// The merged OpenAPI 3.1 document of every dialect, and their routes.
pub fn api() -> (Router<AppState>, OpenApi) {
    let mut base = OpenApi::default();
    base.info = utoipa::openapi::InfoBuilder::new()
        .title("thingstead")
        .version(env!("CARGO_PKG_VERSION"))
        .description(Some(
            "A self-hosted IoT device cloud. Each path prefix speaks the wire dialect of one platform.",
        ))
        .build();
    OpenApiRouter::with_openapi(base)
        .nest("/user", thingstead_api_consumer::router())
        .nest("/v1", thingstead_api_lock::router())
        .nest("/api/v1", thingstead_api_project::router())
        .nest("/device/v1", thingstead_api_device::router())
        .nest("/uc", thingstead_api_living::uc_router())
        .nest("/subdevices", thingstead_api_living::subdevices_router())
        .nest("/scene", thingstead_api_living::scene_router())
        .split_for_parts()
}

/// The OpenAPI document alone (for tools that write it to a file).
pub fn openapi() -> OpenApi {
    api().1
}

/// What `/healthz` tells about this node besides the database.
#[derive(Clone)]
pub struct Health {
    /// This node's id.
    pub node_id: Arc<str>,
    /// The bus the device connections of this node register with.
    pub devices: LocalBus,
    /// The NATS connection, in cluster mode.
    pub cluster: Option<Cluster>,
}

/// The whole application, ready to serve.
pub fn router(state: AppState, health: Health) -> Router {
    let (dialects, openapi) = api();
    Router::new()
        .route(
            "/healthz",
            get(move |State(state): State<AppState>| healthz(state, health.clone())),
        )
        .method_not_allowed_fallback(method_not_allowed)
        .merge(SwaggerUi::new(DOCS_PATH).url(OPENAPI_PATH, openapi))
        .merge(dialects)
        .fallback(not_found)
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            |_: Box<dyn std::any::Any + Send>| internal_error(),
        ))
        .layer(middleware::from_fn(log_request))
        .with_state(state)
}

/// 200 when the database (and NATS, in cluster mode) answers, 503 when
/// not; with the node's id and its number of connected devices.
async fn healthz(state: AppState, health: Health) -> Response {
    let nats = async {
        match &health.cluster {
            None => "off",
            Some(cluster) if cluster.healthy().await => "ok",
            Some(_) => "unreachable",
        }
    };
    let (database, nats) = tokio::join!(state.identity.healthy(), nats);
    let healthy = database && nats != "unreachable";
    let status = if healthy {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = json!({
        "status": if healthy { "ok" } else { "unavailable" },
        "node_id": health.node_id,
        "device_connections": health.devices.device_count(),
        "database": if database { "ok" } else { "unreachable" },
        "nats": nats,
    });
    (status, Json(body)).into_response()
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, Json(json!({"message": "not found"}))).into_response()
}

async fn method_not_allowed() -> Response {
    (
        StatusCode::METHOD_NOT_ALLOWED,
        Json(json!({"message": "method not allowed"})),
    )
        .into_response()
}

fn internal_error() -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        Json(json!({"message": "internal error"})),
    )
        .into_response()
}

/// One line per request: method, path (never the query, headers or body),
/// status and latency.
async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = loggable_path(request.uri().path());
    let response = next.run(request).await;
    let status = response.status().as_u16();
    let latency_ms = (started.elapsed().as_secs_f64() * 10_000.0).round() / 10.0;
    tracing::info!(target: "thingstead::http", %method, %path, status, latency_ms, "request");
    response
}

/// The path as it may be logged: device access tokens that some device
/// APIs carry in the path (`/device/v1/<AccessToken>/...`) are hidden.
pub(crate) fn loggable_path(path: &str) -> String {
    let mut shown = String::with_capacity(path.len().min(256));
    if let Some(rest) = path.strip_prefix("/device/v1/") {
        let (token, tail) = rest.split_once('/').map_or((rest, ""), |(t, r)| (t, r));
        shown.push_str("/device/v1/");
        if token == "certificate" {
            shown.push_str(token);
        } else {
            shown.push_str("***");
        }
        if !tail.is_empty() || rest.contains('/') {
            shown.push('/');
            shown.push_str(tail);
        }
    } else {
        shown.push_str(path);
    }
    // A very long path is cut: the log is not a place for payloads.
    if shown.len() > 256 {
        let mut end = 256;
        while !shown.is_char_boundary(end) {
            end -= 1;
        }
        shown.truncate(end);
        shown.push('…');
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_tokens_are_hidden() {
        assert_eq!(
            loggable_path("/device/v1/abcdef/attributes"),
            "/device/v1/***/attributes"
        );
        assert_eq!(
            loggable_path("/device/v1/certificate"),
            "/device/v1/certificate"
        );
        assert_eq!(loggable_path("/device/v1/abcdef"), "/device/v1/***");
        assert_eq!(
            loggable_path("/user/customer/user/login"),
            "/user/customer/user/login"
        );
    }

    #[test]
    fn openapi_is_named_and_versioned() {
        let doc = openapi();
        assert_eq!(doc.info.title, "thingstead");
        assert_eq!(doc.info.version, env!("CARGO_PKG_VERSION"));
    }
}
