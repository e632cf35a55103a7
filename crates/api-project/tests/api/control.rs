//! Device control (seed 003 设备通信) without a live connection: the call says
//! the device is offline (errcode 1002), nothing is sent or queued; bad
//! bodies name their field. The online path is covered with real MQTT
//! clients in the server's tests.

use serde_json::{Value, json};
use thingstead_testkit::{TestApp, on_both_backends};

use crate::data::{Dev, new_dev, raw, report};
use crate::devices::{get, info, post, refused};

on_both_backends!(
    control_of_an_offline_device_says_so_and_changes_nothing,
    command_bodies_and_wait_are_checked,
    data_stream_bodies_are_checked,
    push_bodies_are_checked,
);

/// The errcode of "device offline".
const OFFLINE: i64 = 1002;

async fn offline_device(app: &TestApp, token: &str) -> Dev {
    let dev = new_dev(app, token, "Lock").await;
    // Reports over HTTP make a device active, not online.
    report(app, &dev, json!({"locked": true})).await;
    dev
}

pub async fn control_of_an_offline_device_says_so_and_changes_nothing(app: TestApp) {
    let token = app.project_token().await;
    let dev = offline_device(&app, &token).await;
    let id = &dev.id;
    let calls: Vec<(String, Value)> = vec![
        (
            format!("/control/device/{id}/attributes"),
            json!({"locked": false}),
        ),
        (
            format!("/control/device/{id}/command"),
            json!({"method": "unlock", "params": {"who": 1}, "id": 17}),
        ),
        (
            format!("/control/device/{id}/command?wait=2"),
            json!({"method": "unlock"}),
        ),
        (
            format!("/control/device/{id}/data/stream/set?push_mode=mqtt"),
            json!({"type": "hex", "msg": "01 03 01 FF 00 0C 74 03"}),
        ),
        (
            format!("/control/device/{id}/data/stream/set?push_mode=tcp"),
            json!({"type": "text", "message": "t:45,u=31"}),
        ),
        (
            format!("/control/device/{id}/data/stream/set"),
            json!({"type": "json", "msg": {"command": "openLock"}}),
        ),
    ];
    for (path, body) in calls {
        let started = std::time::Instant::now();
        let r = post(&app, &token, &path, body).await;
        let m = refused(&r, OFFLINE);
        assert!(m.contains("offline"), "{path}: {m}");
        assert!(
            started.elapsed() < std::time::Duration::from_secs(2),
            "{path}: an offline device is not waited for"
        );
    }
    assert_eq!(raw(&app, &token, &dev).await, json!({"locked": true}));
    let d = info(&get(&app, &token, &format!("/device/{id}")).await);
    assert_eq!(d["online"], false);
}

pub async fn command_bodies_and_wait_are_checked(app: TestApp) {
    let token = app.project_token().await;
    let dev = offline_device(&app, &token).await;
    let path = |q: &str| format!("/control/device/{}/command{q}", dev.id);
    let cases = [
        ("", json!({}), "method"),
        ("", json!({"method": ""}), "method"),
        ("", json!({"method": 5}), "method"),
        ("", json!({"method": "m", "params": [1]}), "params"),
        ("", json!({"method": "m", "params": "x"}), "params"),
        ("", json!({"method": "m", "id": "a/b"}), "id"),
        ("", json!({"method": "m", "id": true}), "id"),
        ("?wait=31", json!({"method": "m"}), "wait"),
        ("?wait=-1", json!({"method": "m"}), "wait"),
        ("?wait=soon", json!({"method": "m"}), "wait"),
    ];
    for (q, body, field) in cases {
        let r = post(&app, &token, &path(q), body.clone()).await;
        let m = refused(&r, 400);
        assert!(m.starts_with(field), "{q} {body}: {m}");
    }
}

pub async fn data_stream_bodies_are_checked(app: TestApp) {
    let token = app.project_token().await;
    let dev = offline_device(&app, &token).await;
    let path = |q: &str| format!("/control/device/{}/data/stream/set{q}", dev.id);
    let cases = [
        ("", json!({"msg": "01"}), "type"),
        ("", json!({"type": "binary", "msg": "01"}), "type"),
        ("", json!({"type": "hex"}), "msg"),
        ("", json!({"type": "hex", "msg": "0"}), "msg"),
        ("", json!({"type": "hex", "msg": "zz"}), "msg"),
        ("", json!({"type": "hex", "message": "0x01"}), "message"),
        ("", json!({"type": "text", "msg": 5}), "msg"),
        ("", json!({"type": "text", "msg": ""}), "msg"),
        (
            "",
            json!({"type": "text", "msg": "a", "message": "b"}),
            "msg",
        ),
        (
            "?push_mode=udp",
            json!({"type": "text", "msg": "a"}),
            "push_mode",
        ),
    ];
    for (q, body, field) in cases {
        let r = post(&app, &token, &path(q), body.clone()).await;
        let m = refused(&r, 400);
        assert!(m.starts_with(field), "{q} {body}: {m}");
    }
    // An identifier that cannot be a topic level.
    let r = post(
        &app,
        &token,
        &format!("/control/device/{}/data/a%2Bb/set", dev.id),
        json!({"type": "text", "msg": "a"}),
    )
    .await;
    assert!(refused(&r, 400).starts_with("identifier"), "{:?}", r.body);
}

pub async fn push_bodies_are_checked(app: TestApp) {
    let token = app.project_token().await;
    let dev = offline_device(&app, &token).await;
    let path = format!("/control/device/{}/attributes", dev.id);
    let r = post(&app, &token, &path, json!({})).await;
    assert!(refused(&r, 400).contains("attributes"), "{:?}", r.body);
    let r = app
        .post_raw_auth(&format!("/api/v1{path}"), "[1, 2]", &token)
        .await;
    assert!(refused(&r, 400).contains("JSON object"), "{:?}", r.body);
    let r = app
        .post_raw_auth(&format!("/api/v1{path}"), "{\"a\": ", &token)
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(
        r.body,
        json!({"result": false, "message": "Invalid JSON message", "errcode": 400})
    );
    let big = "x".repeat(70 * 1024);
    let r = post(&app, &token, &path, json!({ "a": big })).await;
    refused(&r, 413);
}
