//! A device presenting its provisioning code over MQTT 3.1.1.

use std::time::Duration;

use rumqttc::{Event, Incoming, QoS};

use super::*;

/// The next JSON message on `topic` (a prefix).
pub async fn next_json(events: &mut rumqttc::EventLoop, topic: &str) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let event = tokio::time::timeout_at(deadline, events.poll())
            .await
            .expect("the answer arrives in time")
            .expect("the connection stays up");
        if let Event::Incoming(Incoming::Publish(m)) = event
            && m.topic.starts_with(topic)
        {
            return serde_json::from_slice(&m.payload).unwrap();
        }
    }
}

/// Connects the device over MQTT 3.1.1.
pub fn connect(app: &TestApp, dev: &Dev) -> (rumqttc::AsyncClient, rumqttc::EventLoop) {
    let mut o = rumqttc::MqttOptions::new(
        format!("dev-{}", dev.id),
        app.mqtt_addr.ip().to_string(),
        app.mqtt_addr.port(),
    );
    o.set_credentials(dev.access_token.clone(), dev.project_key.clone());
    o.set_keep_alive(Duration::from_secs(30));
    rumqttc::AsyncClient::new(o, 16)
}

/// Polls until the SUBACK of one subscription.
pub async fn subscribed(
    client: &rumqttc::AsyncClient,
    events: &mut rumqttc::EventLoop,
    filter: &str,
) {
    client.subscribe(filter, QoS::AtLeastOnce).await.unwrap();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let event = tokio::time::timeout_at(deadline, events.poll())
            .await
            .expect("SUBACK in time")
            .expect("the connection stays up");
        if let Event::Incoming(Incoming::SubAck(_)) = event {
            return;
        }
    }
}

pub async fn provisioning_over_mqtt(app: TestApp) {
    let a = user(&app, "13960000001").await;
    let dev = device(&app, "mq-1", None).await;
    let (client, mut events) = connect(&app, &dev);
    client
        .subscribe("provision/response", QoS::AtLeastOnce)
        .await
        .unwrap();
    // A wrong code first: refused, says why.
    client
        .publish("provision", QoS::AtLeastOnce, false, r#"{"code":"NOPE"}"#)
        .await
        .unwrap();
    let answer = next_json(&mut events, "provision/response").await;
    assert_eq!(
        answer,
        json!({"result": 0, "message": "the provisioning code is wrong"})
    );
    client
        .publish("provision", QoS::AtLeastOnce, false, "[1]")
        .await
        .unwrap();
    let answer = next_json(&mut events, "provision/response").await;
    assert_eq!(answer["result"], 0);
    let code = provision_code(&app, &a).await;
    client
        .publish(
            "provision",
            QoS::AtLeastOnce,
            false,
            json!({ "code": code }).to_string(),
        )
        .await
        .unwrap();
    let answer = next_json(&mut events, "provision/response").await;
    assert_eq!(
        answer,
        json!({"result": 1, "device_id": dev.id, "customer_id": a.id})
    );
    let row = ok(
        &app,
        "/uc/getByAccountAndDev",
        &a.token,
        json!({"iotId": dev.id}),
    )
    .await;
    assert_eq!(row["owned"], 1);
    assert_eq!(row["status"], 1, "connected: online");
    drop(client);
    drop(events);
    // Gone: offline, no longer "not activated".
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let row = ok(
            &app,
            "/uc/getByAccountAndDev",
            &a.token,
            json!({"iotId": dev.id}),
        )
        .await;
        if row["status"] == 3 {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "{row:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
