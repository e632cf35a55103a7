//! Control through the project API reaching devices: attribute pushes,
//! commands and their replies, custom data streams over MQTT and TCP.

use std::time::Duration;

use rumqttc::QoS;
use serde_json::{Value, json};
use thingstead_testkit::{TestApp, TestDevice};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

use crate::clients::V3;
use crate::{SOON, setup, wait_online};

pub async fn push_arrives_on_attributes_push(app: TestApp) {
    let (token, dev) = setup(&app, "Lamp").await;
    let mut d = V3::connect(app.mqtt_addr, &dev).await;
    d.subscribe("attributes/push").await;
    let r = app
        .post_auth(
            &format!("/api/v1/control/device/{}/attributes", dev.id),
            json!({"brightness": 80, "on": true}),
            &token,
        )
        .await;
    assert_eq!(r.body["result"], true, "{:?}", r.body);
    let (topic, push) = d.json_on("attributes/push").await;
    assert_eq!(topic, "attributes/push");
    assert_eq!(push, json!({"brightness": 80, "on": true}));
}

pub async fn command_round_trip_with_reply(app: TestApp) {
    let (token, dev) = setup(&app, "Door").await;
    let mut d = V3::connect(app.mqtt_addr, &dev).await;
    d.subscribe("command/send/+").await;
    d.subscribe("command/reply/response/+").await;

    let call = {
        let http = app.http.clone();
        let url = app.url(&format!("/api/v1/control/device/{}/command", dev.id));
        let token = token.clone();
        tokio::spawn(async move {
            http.post(url)
                .bearer_auth(token)
                .json(&json!({"method": "unlock", "params": {"seconds": 5}, "id": 42}))
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        })
    };
    let (topic, command) = d.json_on("command/send/").await;
    assert_eq!(topic, "command/send/42");
    assert_eq!(command["method"], "unlock");
    assert_eq!(command["params"], json!({"seconds": 5}));

    d.publish(
        "command/reply/42",
        QoS::AtLeastOnce,
        json!({"method": "unlock", "params": {"done": true}}).to_string(),
    )
    .await;
    let (topic, ack) = d.json_on("command/reply/response/").await;
    assert_eq!(topic, "command/reply/response/42");
    assert_eq!(ack, json!({"result": 1}));

    let answer = tokio::time::timeout(SOON, call).await.unwrap().unwrap();
    assert_eq!(answer["result"], true, "{answer}");
    assert!(
        answer.to_string().contains(r#""done":true"#),
        "the caller sees the reply: {answer}"
    );
}

async fn set_data(app: &TestApp, token: &str, dev: &TestDevice, mode: &str, body: Value) -> Value {
    app.post_auth(
        &format!(
            "/api/v1/control/device/{}/data/stream/set?push_mode={mode}",
            dev.id
        ),
        body,
        token,
    )
    .await
    .body
}

pub async fn custom_stream_over_mqtt(app: TestApp) {
    let (token, dev) = setup(&app, "Modbus").await;
    let mut d = V3::connect(app.mqtt_addr, &dev).await;
    d.subscribe("data/+/set").await;
    for (body, bytes) in [
        (
            json!({"type": "hex", "msg": "01 03 01 FF"}),
            vec![0x01, 0x03, 0x01, 0xFF],
        ),
        (
            json!({"type": "text", "message": "t:45,u=31"}),
            b"t:45,u=31".to_vec(),
        ),
        (
            json!({"type": "json", "msg": {"led": "ON"}}),
            br#"{"led":"ON"}"#.to_vec(),
        ),
    ] {
        let r = set_data(&app, &token, &dev, "mqtt", body.clone()).await;
        assert_eq!(r["result"], true, "{body}: {r}");
        let (topic, payload) = d.next_on("data/").await;
        assert_eq!(topic, "data/stream/set");
        assert_eq!(payload.as_ref(), bytes.as_slice(), "{body}");
    }
    // Up: a frame on data/<identifier>.
    d.publish("data/stream", QoS::AtLeastOnce, vec![0x10, 0x20])
        .await;
}

pub async fn custom_stream_over_tcp(app: TestApp) {
    let (token, dev) = setup(&app, "Serial").await;
    let mut tcp = TcpStream::connect(app.tcp_addr).await.unwrap();
    tcp.write_all(format!("{}&{}\n", dev.project_key, dev.access_token).as_bytes())
        .await
        .unwrap();
    wait_online(&app, &token, &dev.id, true, SOON).await;
    tcp.write_all(b"\x01\x02\x03").await.unwrap();

    for (body, bytes) in [
        (json!({"type": "hex", "msg": "AA BB"}), vec![0xAA, 0xBB]),
        (json!({"type": "text", "msg": "hi"}), b"hi".to_vec()),
        (
            json!({"type": "json", "message": {"a": 1}}),
            br#"{"a":1}"#.to_vec(),
        ),
    ] {
        let r = set_data(&app, &token, &dev, "tcp", body.clone()).await;
        assert_eq!(r["result"], true, "{body}: {r}");
        let mut got = vec![0u8; bytes.len()];
        tokio::time::timeout(SOON, tcp.read_exact(&mut got))
            .await
            .expect("the frame arrives")
            .unwrap();
        assert_eq!(got, bytes, "{body}");
    }
    drop(tcp);
    wait_online(&app, &token, &dev.id, false, SOON).await;

    // Wrong credentials: the socket is closed and the device stays offline.
    let mut bad = TcpStream::connect(app.tcp_addr).await.unwrap();
    bad.write_all(format!("wrong&{}", dev.access_token).as_bytes())
        .await
        .unwrap();
    let mut buf = [0u8; 8];
    let n = tokio::time::timeout(SOON, bad.read(&mut buf))
        .await
        .unwrap();
    assert!(matches!(n, Ok(0) | Err(_)), "closed");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(!crate::online(&app, &token, &dev.id).await);
}

pub async fn data_push_needs_a_connection_of_its_mode(app: TestApp) {
    let (token, dev) = setup(&app, "Both").await;
    let body = json!({"type": "text", "msg": "x"});
    // Offline: said so, nothing queued.
    let r = set_data(&app, &token, &dev, "mqtt", body.clone()).await;
    assert_eq!(r["result"], false, "{r}");
    let mut d = V3::connect(app.mqtt_addr, &dev).await;
    d.subscribe("data/+/set").await;
    // Connected over MQTT only: a TCP push is refused as offline.
    let r = set_data(&app, &token, &dev, "tcp", body.clone()).await;
    assert_eq!(r["result"], false, "{r}");
    let r = set_data(&app, &token, &dev, "mqtt", body.clone()).await;
    assert_eq!(r["result"], true, "{r}");
    let (_, payload) = d.next_on("data/").await;
    assert_eq!(payload.as_ref(), b"x", "the offline push was not queued");
    // With a TCP connection as well, both work.
    let mut tcp = TcpStream::connect(app.tcp_addr).await.unwrap();
    tcp.write_all(format!("{}&{}", dev.project_key, dev.access_token).as_bytes())
        .await
        .unwrap();
    let deadline = tokio::time::Instant::now() + SOON;
    loop {
        let r = set_data(&app, &token, &dev, "tcp", body.clone()).await;
        if r["result"] == true {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "{r}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut got = [0u8; 1];
    tokio::time::timeout(SOON, tcp.read_exact(&mut got))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(&got, b"x");
}
