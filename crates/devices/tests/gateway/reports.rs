//! Reports over MQTT: acknowledged once stored, readable through the
//! project API, refused payloads answered and not stored.

use rumqttc::QoS;
use rumqttc::v5::mqttbytes::v5 as p5;
use serde_json::json;
use thingstead_testkit::TestApp;

use crate::clients::{V3, V5};
use crate::{attributes_raw, setup};

pub async fn qos1_report_is_readable_through_the_api(app: TestApp) {
    let (token, dev) = setup(&app, "Weather").await;
    let mut d = V3::connect(app.mqtt_addr, &dev).await;
    d.subscribe("attributes/response").await;
    d.publish(
        "attributes",
        QoS::AtLeastOnce,
        json!({"temperature": 24.1, "relay1": true, "mode": "auto"}).to_string(),
    )
    .await;
    // PUBACK came after the commit: the API shows it at once.
    assert_eq!(
        attributes_raw(&app, &token, &dev.id).await,
        json!({"temperature": 24.1, "relay1": true, "mode": "auto"})
    );
    let (topic, result) = d.json_on("attributes/response").await;
    assert_eq!(topic, "attributes/response");
    assert_eq!(result, json!({"result": 1}));

    // QoS 0 over MQTT 5 as well.
    drop(d);
    let mut d5 = V5::connect(app.mqtt_addr, &dev).await;
    assert_eq!(
        d5.publish_qos1("attributes", json!({"temperature": 25.0}).to_string())
            .await,
        p5::PubAckReason::Success
    );
    assert_eq!(
        attributes_raw(&app, &token, &dev.id).await["temperature"],
        25.0
    );
}

pub async fn invalid_reports_get_a_result_and_change_nothing(app: TestApp) {
    let (token, dev) = setup(&app, "Meter").await;
    let mut d = V5::connect(app.mqtt_addr, &dev).await;
    d.subscribe("attributes/response").await;
    assert_eq!(
        d.publish_qos1("attributes", json!({"power": 3}).to_string())
            .await,
        p5::PubAckReason::Success
    );
    let (_, ok) = d.json_on("attributes/response").await;
    assert_eq!(ok, json!({"result": 1}));
    for bad in [
        "not json".to_owned(),
        "[1, 2]".to_owned(),
        // The wrong type for a learned attribute.
        json!({"power": "high"}).to_string(),
    ] {
        assert_eq!(
            d.publish_qos1("attributes", bad.clone()).await,
            p5::PubAckReason::PayloadFormatInvalid,
            "{bad}"
        );
        let (_, refused) = d.json_on("attributes/response").await;
        assert_eq!(refused["result"], 0, "{bad}: {refused}");
        assert!(refused["message"].is_string(), "{refused}");
    }
    // The connection is still up and nothing of the refused reports stuck.
    assert_eq!(
        attributes_raw(&app, &token, &dev.id).await,
        json!({"power": 3})
    );
    assert_eq!(
        d.publish_qos1("attributes", json!({"power": 4}).to_string())
            .await,
        p5::PubAckReason::Success
    );
    assert_eq!(
        attributes_raw(&app, &token, &dev.id).await,
        json!({"power": 4})
    );
}

pub async fn attributes_get_answers_on_its_response_topic(app: TestApp) {
    let (token, dev) = setup(&app, "Valve").await;
    let r = app
        .put_auth(
            &format!("/api/v1/control/device/{}/attributes", dev.id),
            json!({"target": 40}),
            &token,
        )
        .await;
    assert_eq!(r.body["result"], true, "{:?}", r.body);
    let mut d = V3::connect(app.mqtt_addr, &dev).await;
    d.subscribe("attributes/get/response/+").await;
    d.publish("attributes", QoS::AtLeastOnce, r#"{"open": false}"#)
        .await;
    d.publish("attributes/get/1000", QoS::AtLeastOnce, "{}")
        .await;
    let (topic, all) = d.json_on("attributes/get/response/").await;
    assert_eq!(topic, "attributes/get/response/1000");
    assert_eq!(all["result"], 1);
    assert_eq!(all["attributes"]["open"], false);
    assert_eq!(all["attributes"]["target"], 40);

    d.publish(
        "attributes/get/7",
        QoS::AtMostOnce,
        json!({"keys": ["target"]}).to_string(),
    )
    .await;
    let (topic, some) = d.json_on("attributes/get/response/").await;
    assert_eq!(topic, "attributes/get/response/7");
    assert_eq!(some, json!({"result": 1, "attributes": {"target": 40}}));
}

pub async fn qos1_reports_sent_together_are_acknowledged_in_order(app: TestApp) {
    let (token, dev) = setup(&app, "Meter").await;
    let mut d = V3::connect(app.mqtt_addr, &dev).await;
    // Thirty reports and an event without waiting: the reports wait for
    // their commit together, and every PUBACK comes in publish order.
    let client = d.client.clone();
    let publishing = tokio::spawn(async move {
        for n in 1..=30 {
            client
                .publish(
                    "attributes",
                    QoS::AtLeastOnce,
                    false,
                    json!({"n": n}).to_string(),
                )
                .await
                .unwrap();
        }
        client
            .publish(
                "event/report/7",
                QoS::AtLeastOnce,
                false,
                json!({"method": "done", "params": {}}).to_string(),
            )
            .await
            .unwrap();
    });
    let mut acks = Vec::new();
    while acks.len() < 31 {
        let id = d
            .wait(|p| match p {
                rumqttc::Incoming::PubAck(a) => Some(a.pkid),
                _ => None,
            })
            .await;
        acks.push(id);
    }
    publishing.await.unwrap();
    assert_eq!(acks, (1..=31).collect::<Vec<u16>>());
    // The last report is the current value.
    assert_eq!(attributes_raw(&app, &token, &dev.id).await["n"], 30);
}
