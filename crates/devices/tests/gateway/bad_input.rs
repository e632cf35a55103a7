//! Bad packets close the connection that sent them and no other.

use std::time::Duration;

use rumqttc::QoS;
use serde_json::json;
use thingstead_testkit::TestApp;

use crate::clients::V3;
use crate::raw::Raw;
use crate::{SOON, attributes_raw, setup, wait_online};

/// A bystander device that must keep working.
async fn bystander_still_works(app: &TestApp, token: &str, b: &mut V3, id: &str, n: i64) {
    b.publish("attributes", QoS::AtLeastOnce, json!({"n": n}).to_string())
        .await;
    assert_eq!(attributes_raw(app, token, id).await, json!({"n": n}));
}

pub async fn malformed_packet_closes_only_that_connection(app: TestApp) {
    let (token, a) = setup(&app, "A").await;
    let b_dev = app.create_device(&token, "B").await;
    let mut b = V3::connect(app.mqtt_addr, &b_dev).await;
    bystander_still_works(&app, &token, &mut b, &b_dev.id, 1).await;

    for (what, bytes) in [
        // PUBLISH whose topic is not UTF-8.
        (
            "invalid UTF-8 topic",
            vec![0x30, 0x04, 0x00, 0x02, 0xC3, 0x28],
        ),
        // SUBSCRIBE without filters.
        ("empty subscribe", vec![0x82, 0x02, 0x00, 0x01]),
        // A reserved packet type.
        ("reserved type", vec![0xF0, 0x00]),
        // A second CONNECT.
        (
            "second connect",
            vec![
                0x10, 0x0C, 0x00, 0x04, b'M', b'Q', b'T', b'T', 0x04, 0x02, 0x00, 0x3C, 0x00, 0x00,
            ],
        ),
        // A remaining length that never ends.
        ("bad length", vec![0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]),
        // QoS 2.
        (
            "qos 2",
            vec![
                0x34, 0x0E, 0x00, 0x0A, b'a', b't', b't', b'r', b'i', b'b', b'u', b't', b'e', b's',
                0x00, 0x01,
            ],
        ),
    ] {
        let (mut raw, code) =
            Raw::connect(app.mqtt_addr, &a.access_token, &a.project_key, 60).await;
        assert_eq!(code, 0);
        raw.send(&bytes).await;
        assert!(raw.closed_within(SOON).await, "{what}: closed");
    }
    wait_online(&app, &token, &a.id, false, SOON).await;
    assert_eq!(attributes_raw(&app, &token, &a.id).await, json!({}));
    bystander_still_works(&app, &token, &mut b, &b_dev.id, 2).await;

    // Not even a CONNECT: closed before any device is involved.
    let mut junk = tokio::net::TcpStream::connect(app.mqtt_addr).await.unwrap();
    tokio::io::AsyncWriteExt::write_all(&mut junk, b"GET / HTTP/1.1\r\n\r\n")
        .await
        .unwrap();
    let mut raw = Raw { stream: junk };
    assert!(raw.closed_within(SOON).await);
    bystander_still_works(&app, &token, &mut b, &b_dev.id, 3).await;
}

pub async fn oversized_packet_closes_only_that_connection(app: TestApp) {
    let (token, a) = setup(&app, "A").await;
    let b_dev = app.create_device(&token, "B").await;
    let mut b = V3::connect(app.mqtt_addr, &b_dev).await;

    let (mut raw, _) = Raw::connect(app.mqtt_addr, &a.access_token, &a.project_key, 60).await;
    // A PUBLISH header announcing 1 MiB (over the 256 KiB limit): refused
    // from the header alone.
    raw.send(&[0x30, 0x80, 0x80, 0x40]).await;
    assert!(raw.closed_within(SOON).await, "closed");

    // Just under the limit is fine, and the connection goes on.
    let mut dev_a = V3::connect(app.mqtt_addr, &a).await;
    let big = json!({"blob": "x".repeat(200 * 1024)}).to_string();
    dev_a.publish("attributes", QoS::AtLeastOnce, big).await;
    dev_a
        .publish("attributes", QoS::AtLeastOnce, r#"{"small":1}"#)
        .await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(attributes_raw(&app, &token, &a.id).await["small"], 1);

    // Over it with a real payload: this connection closes, B goes on.
    let huge = json!({"blob": "x".repeat(300 * 1024)}).to_string();
    dev_a
        .client
        .publish("attributes", QoS::AtLeastOnce, false, huge)
        .await
        .unwrap();
    let _ = dev_a.closed().await;
    bystander_still_works(&app, &token, &mut b, &b_dev.id, 7).await;
}
