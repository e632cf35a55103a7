//! A device reaches only its own protocol topics: publishes elsewhere are
//! refused, subscriptions elsewhere are refused, and nothing changes.

use std::time::Duration;

use rumqttc::v5::mqttbytes::v5 as p5;
use serde_json::json;
use thingstead_testkit::TestApp;

use crate::clients::{V3, V5};
use crate::{attributes_raw, setup};

/// Topics no device may publish to (B's view of the world included).
const FOREIGN_TOPICS: [&str; 5] = [
    "attributes/push",
    "command/send/1",
    "devices/1/attributes",
    "gateway/attributes",
    "data/stream/set",
];

pub async fn foreign_publish_is_refused_v5(app: TestApp) {
    let (token, a) = setup(&app, "A").await;
    let b = app.create_device(&token, "B").await;
    let mut dev_b = V5::connect(app.mqtt_addr, &b).await;
    dev_b.subscribe("attributes/push").await;
    let mut dev_a = V5::connect(app.mqtt_addr, &a).await;

    // QoS 1: PUBACK "not authorised", and the connection stays.
    for topic in FOREIGN_TOPICS {
        assert_eq!(
            dev_a.publish_qos1(topic, json!({"x": 1}).to_string()).await,
            p5::PubAckReason::NotAuthorized,
            "{topic}"
        );
    }
    assert_eq!(
        dev_a.publish_qos1("attributes", r#"{"ok":1}"#).await,
        p5::PubAckReason::Success,
        "its own topic still works"
    );
    // B got nothing on its push topic.
    let nothing =
        tokio::time::timeout(Duration::from_millis(300), dev_b.json_on("attributes/push")).await;
    assert!(nothing.is_err(), "a device cannot push to another");

    // QoS 0: the connection is closed with "not authorised".
    dev_a.publish_qos0("attributes/push", r#"{"x":1}"#).await;
    assert_eq!(
        dev_a.disconnected().await,
        Some(p5::DisconnectReasonCode::NotAuthorized)
    );
    assert_eq!(attributes_raw(&app, &token, &b.id).await, json!({}));
    assert_eq!(attributes_raw(&app, &token, &a.id).await, json!({"ok": 1}));
}

pub async fn foreign_publish_closes_v3(app: TestApp) {
    let (token, a) = setup(&app, "A").await;
    let b = app.create_device(&token, "B").await;
    let mut dev_b = V3::connect(app.mqtt_addr, &b).await;
    for topic in FOREIGN_TOPICS {
        let mut dev_a = V3::connect(app.mqtt_addr, &a).await;
        dev_a
            .client
            .publish(topic, rumqttc::QoS::AtLeastOnce, false, r#"{"x":1}"#)
            .await
            .unwrap();
        let _ = dev_a.closed().await;
    }
    // B is untouched and still served.
    assert_eq!(
        dev_b.subscribe("attributes/response").await,
        [rumqttc::SubscribeReasonCode::Success(
            rumqttc::QoS::AtLeastOnce
        )]
    );
    dev_b
        .publish("attributes", rumqttc::QoS::AtLeastOnce, r#"{"t":1}"#)
        .await;
    let (_, result) = dev_b.json_on("attributes/response").await;
    assert_eq!(result, json!({"result": 1}));
    assert_eq!(attributes_raw(&app, &token, &a.id).await, json!({}));
}

pub async fn foreign_and_wildcard_subscriptions_are_refused(app: TestApp) {
    let (token, a) = setup(&app, "A").await;
    let b = app.create_device(&token, "B").await;
    let mut dev_a = V3::connect(app.mqtt_addr, &a).await;
    for filter in [
        "#",
        "+/push",
        "+/+/+",
        "attributes/#",
        "command/#",
        "devices/+/attributes/push",
        "$SYS/#",
    ] {
        assert_eq!(
            dev_a.subscribe(filter).await,
            [rumqttc::SubscribeReasonCode::Failure],
            "{filter}"
        );
    }
    // MQTT 5 says why.
    let mut dev_a5 = V5::connect(app.mqtt_addr, &a).await;
    let _ = dev_a.closed().await; // taken over
    assert_eq!(
        dev_a5.subscribe("#").await,
        [p5::SubscribeReasonCode::NotAuthorized]
    );
    assert_eq!(
        dev_a5.subscribe("attributes/push").await,
        [p5::SubscribeReasonCode::Success(
            rumqttc::v5::mqttbytes::QoS::AtLeastOnce
        )]
    );
    // A push to B reaches B only: A's refused `#` got it nothing.
    let mut dev_b = V3::connect(app.mqtt_addr, &b).await;
    dev_b.subscribe("attributes/push").await;
    let r = app
        .post_auth(
            &format!("/api/v1/control/device/{}/attributes", b.id),
            json!({"led": "on"}),
            &token,
        )
        .await;
    assert_eq!(r.body["result"], true, "{:?}", r.body);
    let (_, push) = dev_b.json_on("attributes/push").await;
    assert_eq!(push, json!({"led": "on"}));
    let nothing = tokio::time::timeout(
        Duration::from_millis(300),
        dev_a5.json_on("attributes/push"),
    )
    .await;
    assert!(nothing.is_err(), "A sees nothing of B");
}
