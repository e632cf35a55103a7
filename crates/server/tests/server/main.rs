//! The server as a whole: start-up, health, API reference, credentials,
//! failures at start, shutdown and logs. In-process where it can be, as a
//! real process where exit codes and output are the point.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cli;
mod cluster;
mod cluster_alarms;
mod nodes;
mod process;
mod project_alarms;
mod project_customers;
mod project_devices;
mod reference;

use serde_json::{Value, json};
use thingstead_testkit::{TestApp, on_both_backends, temp_dir};

use reference::*;

on_both_backends!(
    health_answers,
    openapi_lists_every_route,
    swagger_ui_is_served_locally
);

async fn health_answers(app: TestApp) {
    let r = app.get("/healthz", &[]).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["database"], "ok", "{:?}", r.body);
    assert_eq!(r.body["nats"], "off", "one process: {:?}", r.body);
    assert_eq!(r.body["device_connections"], 0, "{:?}", r.body);
    assert_eq!(
        r.body["node_id"].as_str().map(str::len),
        Some(8),
        "{:?}",
        r.body
    );
    let r = app.get("/nothing/here", &[]).await;
    assert_eq!(r.status, 404);
}

/// Settings for a server started directly, as the TOML file would name them.
fn settings(data_dir: &std::path::Path) -> thingstead_server::Settings {
    serde_json::from_value(json!({
        "data_dir": data_dir,
        "http_listen": "127.0.0.1:0",
        "mqtt_listen": "127.0.0.1:0",
        "tcp_listen": "127.0.0.1:0",
        "log_level": "warn",
    }))
    .unwrap()
}

#[tokio::test]
async fn first_start_writes_credentials_once() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("thingstead-creds");
    let server = thingstead_server::start(settings(&dir)).await.unwrap();
    let creds = serde_json::to_value(server.credentials().unwrap()).unwrap();
    server.shutdown().await;

    let path = dir.join("initial-credentials.json");
    let meta = std::fs::metadata(&path).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    let written: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(written, creds);
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        keys(&written),
        [
            "admin",
            "api_app",
            "mobile_app",
            "project_id",
            "project_key"
        ]
    );
    assert_eq!(keys(&written["admin"]), ["account", "password"]);
    assert_eq!(
        keys(&written["api_app"]),
        ["access_key", "app_id", "secret_key"]
    );
    assert_eq!(keys(&written["mobile_app"]), ["client_key"]);
    assert!(written["admin"]["password"].as_str().unwrap().len() >= 16);
    assert!(written["api_app"]["secret_key"].as_str().unwrap().len() >= 22);

    // A later start creates nothing and leaves the file alone.
    let before = std::fs::read(&path).unwrap();
    let again = thingstead_server::start(settings(&dir)).await.unwrap();
    assert!(again.credentials().is_none());
    let client_key = creds["mobile_app"]["client_key"].as_str().unwrap();
    let r = reqwest::get(format!(
        "http://{}/user/sms/customer/user/phone/sms/code?clientKey={client_key}&phone=13700000001&useType=1",
        again.http_addr()
    ))
    .await
    .unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(
        body["code"], 200,
        "the first start's mobile app still works: {body}"
    );
    again.shutdown().await;
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let _ = std::fs::remove_dir_all(&dir);
}
