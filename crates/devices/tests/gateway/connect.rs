//! CONNECT: the certificate, refusals, takeover, sessions, keep-alive.

use std::time::Duration;

use rumqttc::v5::mqttbytes::v5 as p5;
use thingstead_testkit::TestApp;

use crate::clients::{V3, V5};
use crate::raw::Raw;
use crate::{SOON, online, setup, wait_online};

pub async fn connect_with_certificate_v3_and_v5(app: TestApp) {
    let (token, dev) = setup(&app, "Thermometer").await;
    assert!(
        !online(&app, &token, &dev.id).await,
        "offline before connecting"
    );

    let (mut v3, present) = V3::try_connect(V3::options(
        app.mqtt_addr,
        &dev.access_token,
        &dev.project_key,
    ))
    .await
    .unwrap();
    assert!(!present, "a clean session has nothing to resume");
    wait_online(&app, &token, &dev.id, true, SOON).await;
    v3.client.disconnect().await.unwrap();
    let _ = v3.closed().await;
    wait_online(&app, &token, &dev.id, false, SOON).await;

    let (_v5, ack) = V5::try_connect(V5::options(
        app.mqtt_addr,
        &dev.access_token,
        &dev.project_key,
    ))
    .await
    .unwrap();
    assert_eq!(ack.code, p5::ConnectReturnCode::Success);
    let props = ack.properties.expect("MQTT 5 CONNACK properties");
    assert_eq!(props.max_packet_size, Some(256 * 1024), "advertised");
    assert_eq!(props.max_qos, Some(1));
    wait_online(&app, &token, &dev.id, true, SOON).await;
}

pub async fn wrong_credentials_are_refused_v3(app: TestApp) {
    let (token, dev) = setup(&app, "Lock").await;
    let refused = |user: &str, password: &str| V3::options(app.mqtt_addr, user, password);
    for (options, code) in [
        (
            refused(&dev.access_token, "not-the-project-key"),
            rumqttc::ConnectReturnCode::BadUserNamePassword,
        ),
        (
            refused("no-such-token", &dev.project_key),
            rumqttc::ConnectReturnCode::BadUserNamePassword,
        ),
        (
            // The project key as user name and the token as password.
            refused(&dev.project_key, &dev.access_token),
            rumqttc::ConnectReturnCode::BadUserNamePassword,
        ),
    ] {
        match V3::try_connect(options).await {
            Err(rumqttc::ConnectionError::ConnectionRefused(c)) => assert_eq!(c, code),
            Err(e) => panic!("refused with {e:?}"),
            Ok(_) => panic!("wrong credentials were accepted"),
        }
    }
    // No credentials at all: not authorised.
    let mut no_login =
        rumqttc::MqttOptions::new("anon", app.mqtt_addr.ip().to_string(), app.mqtt_addr.port());
    no_login.set_keep_alive(Duration::from_secs(30));
    match V3::try_connect(no_login).await {
        Err(rumqttc::ConnectionError::ConnectionRefused(c)) => {
            assert_eq!(c, rumqttc::ConnectReturnCode::NotAuthorized)
        }
        other => panic!("no credentials: {:?}", other.err()),
    }
    assert!(!online(&app, &token, &dev.id).await);
}

pub async fn wrong_credentials_are_refused_v5(app: TestApp) {
    let (token, dev) = setup(&app, "Lock").await;
    match V5::try_connect(V5::options(app.mqtt_addr, &dev.access_token, "wrong")).await {
        Err(rumqttc::v5::ConnectionError::ConnectionRefused(c)) => {
            assert_eq!(c, p5::ConnectReturnCode::BadUserNamePassword)
        }
        other => panic!("wrong key: {:?}", other.err()),
    }
    let mut no_login = rumqttc::v5::MqttOptions::new(
        "anon5",
        app.mqtt_addr.ip().to_string(),
        app.mqtt_addr.port(),
    );
    no_login.set_keep_alive(Duration::from_secs(30));
    match V5::try_connect(no_login).await {
        Err(rumqttc::v5::ConnectionError::ConnectionRefused(c)) => {
            assert_eq!(c, p5::ConnectReturnCode::NotAuthorized)
        }
        other => panic!("no credentials: {:?}", other.err()),
    }
    assert!(!online(&app, &token, &dev.id).await);
}

pub async fn a_second_connection_takes_over_v3(app: TestApp) {
    let (token, dev) = setup(&app, "Plug").await;
    let mut first = V3::connect(app.mqtt_addr, &dev).await;
    wait_online(&app, &token, &dev.id, true, SOON).await;
    let mut second = V3::connect(app.mqtt_addr, &dev).await;
    // 3.1.1 has no server DISCONNECT: the first connection is just closed.
    let _ = first.closed().await;
    // The device stays online, on its new connection, which still works.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(online(&app, &token, &dev.id).await);
    assert_eq!(
        second.subscribe("attributes/push").await,
        [rumqttc::SubscribeReasonCode::Success(
            rumqttc::QoS::AtLeastOnce
        )]
    );
}

pub async fn a_second_connection_takes_over_v5(app: TestApp) {
    let (token, dev) = setup(&app, "Plug").await;
    let mut first = V5::connect(app.mqtt_addr, &dev).await;
    let mut second = V5::connect(app.mqtt_addr, &dev).await;
    assert_eq!(
        first.disconnected().await,
        Some(p5::DisconnectReasonCode::SessionTakenOver)
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(online(&app, &token, &dev.id).await, "still online");
    assert_eq!(
        second.subscribe("command/send/+").await,
        [p5::SubscribeReasonCode::Success(
            rumqttc::v5::mqttbytes::QoS::AtLeastOnce
        )]
    );
}

pub async fn a_persistent_session_keeps_its_subscriptions(app: TestApp) {
    let (token, dev) = setup(&app, "Relay").await;
    let mut options = V3::options(app.mqtt_addr, &dev.access_token, &dev.project_key);
    options.set_clean_session(false);
    let (mut first, present) = V3::try_connect(options.clone()).await.unwrap();
    assert!(!present);
    first.subscribe("attributes/push").await;
    first.client.disconnect().await.unwrap();
    let _ = first.closed().await;
    wait_online(&app, &token, &dev.id, false, SOON).await;

    let (mut again, present) = V3::try_connect(options).await.unwrap();
    assert!(present, "the session is resumed");
    wait_online(&app, &token, &dev.id, true, SOON).await;
    // Without subscribing again, the push arrives.
    let r = app
        .post_auth(
            &format!("/api/v1/control/device/{}/attributes", dev.id),
            serde_json::json!({"relay": true}),
            &token,
        )
        .await;
    assert_eq!(r.body["result"], true, "{:?}", r.body);
    let (_, push) = again.json_on("attributes/push").await;
    assert_eq!(push["relay"], true);

    // A clean session drops it.
    drop(again);
    let mut clean = V3::options(app.mqtt_addr, &dev.access_token, &dev.project_key);
    clean.set_clean_session(true);
    let (_c, present) = V3::try_connect(clean).await.unwrap();
    assert!(!present);
}

pub async fn keep_alive_expiry_flips_online(app: TestApp) {
    let (token, dev) = setup(&app, "Sensor").await;
    let started = tokio::time::Instant::now();
    let (mut raw, code) = Raw::connect(app.mqtt_addr, &dev.access_token, &dev.project_key, 2).await;
    assert_eq!(code, 0);
    wait_online(&app, &token, &dev.id, true, SOON).await;
    // Silent from now on: dropped after 1.5 × 2 s.
    assert!(raw.closed_within(Duration::from_secs(6)).await, "closed");
    let after = started.elapsed();
    assert!(
        after >= Duration::from_millis(2900),
        "not before 1.5 × keep-alive: {after:?}"
    );
    wait_online(&app, &token, &dev.id, false, Duration::from_secs(2)).await;
}

pub async fn a_draining_server_sends_devices_elsewhere_and_keeps_what_it_acknowledged(
    mut app: TestApp,
) {
    let (token, dev) = setup(&app, "Meter").await;
    let mut device = V5::connect(app.mqtt_addr, &dev).await;
    for n in 0..20 {
        let ack = device
            .publish_qos1("attributes", serde_json::json!({"n": n}).to_string())
            .await;
        assert_eq!(ack, p5::PubAckReason::Success);
    }
    let ((), reason) = tokio::join!(app.restart(), device.disconnected());
    assert_eq!(reason, Some(p5::DisconnectReasonCode::UseAnotherServer));
    // The project token is stored: it still works after the restart.
    let r = app
        .get_auth(&format!("/api/v1/device/{}/attributes_raw", dev.id), &token)
        .await;
    assert_eq!(r.body["info"]["n"], 19, "{:?}", r.body);
}
