//! Alarms with three nodes up: one alarm of a device on node 1 is pushed
//! once, and an app following its devices on node 2 sees it.

use std::time::Duration;

use serde_json::{Value, json};
use thingstead_testkit::{Hook, TestApp, TestDevice, spawn_cluster};

use crate::cluster::{Device, SOON};

/// POSTs the seed 002 envelope to `path`; the answer must succeed.
async fn living_ok(app: &TestApp, path: &str, token: &str, params: Value) {
    let body = json!({"id": "req-1", "version": "1.0",
        "request": {"iotToken": token, "apiVer": "1.0.2"}, "params": params});
    let r = app.post(path, body, &[]).await;
    assert_eq!(r.body["code"], 200, "{path}: {:?}", r.body);
}

/// A thermometer type with a rule `temperature > 30`, and a device of it
/// owned by a user with push channel `phone-a`; the user's session token.
async fn thermometer(app: &TestApp) -> (TestDevice, String) {
    let token = app.project_token().await;
    let r = app
        .post_auth(
            "/api/v1/device_type",
            json!({"name": "thermometer"}),
            &token,
        )
        .await;
    assert_eq!(r.body["result"], true, "{:?}", r.body);
    let type_id = r.body["info"]["id"].as_str().unwrap().to_owned();
    let type_key = r.body["info"]["type_key"].as_str().unwrap().to_owned();
    let pk = app.credentials["project_key"].as_str().unwrap().to_owned();
    let r = app
        .post(
            "/device/v1/certificate",
            json!({"device_key": "thermo-1", "type_key": type_key}),
            &[("Project-Key", &pk)],
        )
        .await;
    assert_eq!(r.body["result"], 1, "{:?}", r.body);
    let dev = TestDevice {
        id: r.body["device"]["id"].as_str().unwrap().to_owned(),
        name: "thermo-1".into(),
        access_token: r.body["device"]["access_token"]
            .as_str()
            .unwrap()
            .to_owned(),
        project_key: pk,
    };

    app.register_consumer("13960000001", "owner", "secret-pass-1")
        .await;
    let user = app.login_consumer("13960000001", "secret-pass-1").await;
    let r = app
        .post(
            "/user/customer/user/provision",
            json!({"provisionType": 1}),
            &[("token", &user)],
        )
        .await;
    assert_eq!(r.body["code"], 200, "{:?}", r.body);
    let code = r.body["data"].as_str().unwrap().to_owned();
    let r = app
        .post(
            &format!("/device/v1/{}/provision", dev.access_token),
            json!({"code": code}),
            &[("Project-Key", &dev.project_key)],
        )
        .await;
    assert_eq!(r.body["result"], 1, "{:?}", r.body);
    living_ok(
        app,
        "/uc/bindPushChannel",
        &user,
        json!({"deviceId": "phone-a", "deviceType": "ios"}),
    )
    .await;
    // The type learns `temperature` from a first report.
    let r = app
        .post(
            &format!("/device/v1/{}/attributes", dev.access_token),
            json!({"temperature": 20}),
            &[("Project-Key", &dev.project_key)],
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let r = app
        .post_auth(
            &format!("/api/v1/device_type/{type_id}/alarm_rules"),
            json!({"identifier": "temperature", "operator": ">", "threshold": 30, "level": 2,
                   "message": "${device_name}: ${temperature} degrees"}),
            &token,
        )
        .await;
    assert_eq!(r.body["result"], true, "{:?}", r.body);
    (dev, user)
}

/// Reads the server-sent events of `resp` until one named `alarm`; its data.
async fn next_alarm(resp: &mut reqwest::Response) -> Value {
    let mut seen = String::new();
    loop {
        let chunk = tokio::time::timeout(SOON, resp.chunk())
            .await
            .unwrap_or_else(|_| panic!("no alarm event in time; got {seen:?}"))
            .unwrap()
            .expect("the stream stays open");
        seen.push_str(&String::from_utf8_lossy(&chunk));
        if let Some(at) = seen.find("event: alarm\ndata: ") {
            let data = &seen[at + "event: alarm\ndata: ".len()..];
            if let Some(end) = data.find('\n') {
                return serde_json::from_str(&data[..end]).unwrap();
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_alarm_is_pushed_once_with_three_nodes_and_followed_on_another() {
    let hook = Hook::start().await;
    let Some(nodes) = spawn_cluster(3, json!({"push_webhook_url": hook.url})).await else {
        return;
    };
    let (dev, user) = thermometer(&nodes[0]).await;

    let mut follow = nodes[1]
        .http
        .get(nodes[1].url("/user/customer/user/events"))
        .header("token", &user)
        .send()
        .await
        .unwrap();
    assert_eq!(follow.status(), 200);
    // Let the follower subscribe before the alarm.
    tokio::time::sleep(Duration::from_millis(200)).await;

    let mut d = Device::connect(&nodes[0], &dev).await;
    d.publish("attributes", json!({"temperature": 35})).await;

    let alarm = next_alarm(&mut follow).await;
    assert_eq!(alarm["event"], "open", "{alarm}");
    assert_eq!(alarm["device_id"], json!(dev.id), "{alarm}");

    let calls = hook.wait_for(1, SOON).await;
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(calls[0]["push_channel"]["deviceId"], "phone-a");
    // Every node's delivery worker had time to claim it too.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(hook.calls().len(), 1, "pushed once: {:?}", hook.calls());
}
