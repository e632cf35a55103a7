//! Gateways speaking for their sub-devices: `gateway/attributes` and
//! `gateway/event/report` keyed by sub-device, pushes and commands to a
//! sub-device through its gateway's connection, and the gateway topics
//! closed to everyone else.

use rumqttc::QoS;
use rumqttc::v5::mqttbytes::v5 as p5;
use serde_json::{Value, json};
use thingstead_testkit::{TestApp, TestDevice};

use crate::clients::{V3, V5};
use crate::{SOON, attributes_raw, online, setup, wait_online};

/// A gateway device type, a gateway of it and two sub-devices attached
/// through the project API.
async fn hub(app: &TestApp, token: &str) -> (TestDevice, TestDevice, TestDevice) {
    let r = app
        .post_auth(
            "/api/v1/device_type",
            json!({"name": "Hub", "is_gateway": true}),
            token,
        )
        .await;
    assert_eq!(r.body["result"], true, "{:?}", r.body);
    let gw_type = r.body["info"]["id"].as_str().unwrap().to_owned();
    let r = app
        .post_auth(
            "/api/v1/device",
            json!({"name": "Hub 1", "type": gw_type}),
            token,
        )
        .await;
    assert_eq!(r.body["result"], true, "{:?}", r.body);
    let id = r.body["info"]["id"].as_str().unwrap().to_owned();
    let (access_token, project_key) = app.device_certificate(token, &id).await;
    let gateway = TestDevice {
        id,
        name: "Hub 1".into(),
        access_token,
        project_key,
    };
    let s1 = app.create_device(token, "Sensor 1").await;
    let s2 = app.create_device(token, "Sensor 2").await;
    let r = app
        .post_auth(
            &format!("/api/v1/device/{}/sub_devices", gateway.id),
            json!({"devices": [s1.id, s2.id]}),
            token,
        )
        .await;
    assert_eq!(r.body["result"], true, "{:?}", r.body);
    (gateway, s1, s2)
}

/// `GET /api/v1/device/<id>/attributes` → `info`.
async fn attributes(app: &TestApp, token: &str, id: &str) -> Value {
    let r = app
        .get_auth(&format!("/api/v1/device/{id}/attributes"), token)
        .await;
    assert_eq!(r.body["result"], true, "{:?}", r.body);
    r.body["info"].clone()
}

pub async fn gateway_reports_for_its_sub_devices(app: TestApp) {
    let (token, plain) = setup(&app, "Plain").await;
    let (gateway, s1, s2) = hub(&app, &token).await;
    let mut gw = V3::connect(app.mqtt_addr, &gateway).await;
    gw.subscribe("gateway/attributes/response").await;
    gw.subscribe("gateway/event/response/+").await;

    let report = json!({ s1.id.clone(): {"temperature": 21.5}, s2.id.clone(): {"humidity": 40} });
    gw.publish("gateway/attributes", QoS::AtLeastOnce, report.to_string())
        .await;
    // PUBACK came after the commit: the API shows both at once.
    let a1 = attributes(&app, &token, &s1.id).await;
    assert!(a1.to_string().contains("21.5"), "{a1}");
    assert_eq!(
        attributes_raw(&app, &token, &s1.id).await,
        json!({"temperature": 21.5})
    );
    assert_eq!(
        attributes_raw(&app, &token, &s2.id).await,
        json!({"humidity": 40})
    );
    assert_eq!(attributes_raw(&app, &token, &gateway.id).await, json!({}));
    let (topic, result) = gw.json_on("gateway/attributes/response").await;
    assert_eq!(topic, "gateway/attributes/response");
    assert_eq!(
        result,
        json!({"result": 1, "devices": {s1.id.clone(): {"result": 1}, s2.id.clone(): {"result": 1}}})
    );

    // Not its sub-device (or no device at all): refused, the rest taken.
    let report = json!({
        s1.id.clone(): {"temperature": 22},
        plain.id.clone(): {"temperature": 99},
        "999999999": {"temperature": 99},
    });
    gw.publish("gateway/attributes", QoS::AtLeastOnce, report.to_string())
        .await;
    let (_, result) = gw.json_on("gateway/attributes/response").await;
    assert_eq!(result["result"], 0, "{result}");
    assert_eq!(result["devices"][&s1.id], json!({"result": 1}));
    assert_eq!(result["devices"][&plain.id]["result"], 0, "{result}");
    assert_eq!(
        result["devices"][&plain.id]["message"], result["devices"]["999999999"]["message"],
        "another device answers like a missing one"
    );
    assert_eq!(attributes_raw(&app, &token, &plain.id).await, json!({}));
    assert_eq!(
        attributes_raw(&app, &token, &s1.id).await,
        json!({"temperature": 22})
    );

    // An event of a sub-device.
    gw.publish(
        "gateway/event/report/7",
        QoS::AtLeastOnce,
        json!({ s2.id.clone(): {"method": "alarm", "params": {"level": 2}} }).to_string(),
    )
    .await;
    let (topic, result) = gw.json_on("gateway/event/response/").await;
    assert_eq!(topic, "gateway/event/response/7");
    assert_eq!(result["result"], 1, "{result}");
}

pub async fn push_and_command_reach_sub_devices_through_the_gateway(app: TestApp) {
    let token = app.project_token().await;
    let (gateway, s1, s2) = hub(&app, &token).await;
    assert!(!online(&app, &token, &s1.id).await);
    let mut gw = V3::connect(app.mqtt_addr, &gateway).await;
    gw.subscribe("gateway/attributes/push").await;
    gw.subscribe("gateway/command/send/+").await;
    gw.subscribe("gateway/command/reply/response/+").await;
    // Sub-devices are online while their gateway is.
    wait_online(&app, &token, &s1.id, true, SOON).await;
    wait_online(&app, &token, &s2.id, true, SOON).await;

    let r = app
        .post_auth(
            &format!("/api/v1/control/device/{}/attributes", s1.id),
            json!({"relay": true}),
            &token,
        )
        .await;
    assert_eq!(r.body["result"], true, "{:?}", r.body);
    let (topic, push) = gw.json_on("gateway/attributes/push").await;
    assert_eq!(topic, "gateway/attributes/push");
    assert_eq!(push, json!({ s1.id.clone(): {"relay": true} }));

    let call = {
        let http = app.http.clone();
        let url = app.url(&format!("/api/v1/control/device/{}/command?wait=10", s1.id));
        let token = token.clone();
        tokio::spawn(async move {
            http.post(url)
                .bearer_auth(token)
                .json(&json!({"method": "open", "params": {"valve": 1}, "id": 42}))
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        })
    };
    let (topic, command) = gw.json_on("gateway/command/send/").await;
    assert_eq!(topic, "gateway/command/send/42");
    assert_eq!(command[&s1.id]["method"], "open", "{command}");
    assert_eq!(command[&s1.id]["params"], json!({"valve": 1}));

    gw.publish(
        "gateway/command/reply/42",
        QoS::AtLeastOnce,
        json!({ s1.id.clone(): {"method": "open", "params": {"done": true}} }).to_string(),
    )
    .await;
    let (topic, ack) = gw.json_on("gateway/command/reply/response/").await;
    assert_eq!(topic, "gateway/command/reply/response/42");
    assert_eq!(ack["result"], 1, "{ack}");
    let answer = tokio::time::timeout(SOON, call).await.unwrap().unwrap();
    assert_eq!(answer["result"], true, "{answer}");
    assert_eq!(
        answer["info"]["reply"],
        json!({"method": "open", "params": {"done": true}}),
        "{answer}"
    );

    // Without the gateway connected, the sub-device is offline.
    drop(gw);
    wait_online(&app, &token, &s1.id, false, SOON).await;
    wait_online(&app, &token, &s2.id, false, SOON).await;
    let r = app
        .post_auth(
            &format!("/api/v1/control/device/{}/attributes", s1.id),
            json!({"relay": false}),
            &token,
        )
        .await;
    assert_ne!(r.body["result"], true, "{:?}", r.body);
}

pub async fn gateway_topics_are_only_for_gateways(app: TestApp) {
    let (token, plain) = setup(&app, "Plain").await;
    let (_gateway, s1, _) = hub(&app, &token).await;
    let mut d = V5::connect(app.mqtt_addr, &plain).await;
    for topic in [
        "gateway/attributes",
        "gateway/event/report/1",
        "gateway/command/reply/1",
    ] {
        assert_eq!(
            d.publish_qos1(topic, json!({ s1.id.clone(): {"x": 1} }).to_string())
                .await,
            p5::PubAckReason::NotAuthorized,
            "{topic}"
        );
    }
    for filter in [
        "gateway/attributes/push",
        "gateway/attributes/response",
        "gateway/command/send/+",
    ] {
        assert_eq!(
            d.subscribe(filter).await,
            [p5::SubscribeReasonCode::NotAuthorized],
            "{filter}"
        );
    }
    assert_eq!(attributes_raw(&app, &token, &s1.id).await, json!({}));
    // A sub-device's own connection keeps its own topics only.
    let mut sub = V5::connect(app.mqtt_addr, &s1).await;
    assert_eq!(
        sub.publish_qos1(
            "gateway/attributes",
            json!({ s1.id.clone(): {"x": 1} }).to_string()
        )
        .await,
        p5::PubAckReason::NotAuthorized
    );
}
