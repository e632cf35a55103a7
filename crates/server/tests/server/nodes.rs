//! Nodes that die: their devices go offline (found by a process that is
//! alive), and a device that reconnects elsewhere stays online.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use thingstead_testkit::{TestApp, temp_dir};

use super::process::Proc;

/// `key=127.0.0.1:port` (or `"key":"127.0.0.1:port"`) from a log line.
fn addr_of(line: &str, key: &str) -> String {
    let at = line.find(&format!("{key}=")).unwrap() + key.len() + 1;
    line[at..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ':')
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_process_leaves_no_device_online() {
    thingstead_notify::install_tls_provider();
    let dir = temp_dir("thingstead-kill");
    let serve = [
        "serve",
        "--http-listen",
        "127.0.0.1:0",
        "--data-dir",
        dir.to_str().unwrap(),
    ];
    let mut p = Proc::start(&serve);
    let ready = p.wait_for("thingstead is ready");
    let (http_addr, mqtt_addr) = (addr_of(&ready, "http"), addr_of(&ready, "mqtt"));
    let http = reqwest::Client::new();
    let creds: Value =
        serde_json::from_slice(&std::fs::read(dir.join("initial-credentials.json")).unwrap())
            .unwrap();
    let app = &creds["api_app"];
    let token: Value = http
        .post(format!("http://{http_addr}/api/v1/access_token"))
        .json(&json!({"app_id": app["app_id"], "access_key": app["access_key"], "secret_key": app["secret_key"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = token["info"]["access_token"].as_str().unwrap().to_owned();
    let get = |base: String, path: String| {
        let (http, token) = (http.clone(), token.clone());
        async move {
            let r = http
                .get(format!("http://{base}{path}"))
                .bearer_auth(token)
                .send()
                .await
                .unwrap();
            r.json::<Value>().await.unwrap()
        }
    };
    let created: Value = http
        .post(format!("http://{http_addr}/api/v1/device"))
        .bearer_auth(&token)
        .json(&json!({"name": "door"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = created["info"]["id"].as_str().unwrap().to_owned();
    let cert = get(
        http_addr.clone(),
        format!("/api/v1/device/{id}/certificate"),
    )
    .await;
    let (host, port) = mqtt_addr.split_once(':').unwrap();
    let mut o = rumqttc::MqttOptions::new("door", host, port.parse().unwrap());
    o.set_credentials(
        cert["info"]["access_token"].as_str().unwrap(),
        cert["info"]["project_key"].as_str().unwrap(),
    );
    o.set_keep_alive(Duration::from_secs(300));
    let (_client, mut events) = rumqttc::AsyncClient::new(o, 8);
    loop {
        let e = tokio::time::timeout(Duration::from_secs(10), events.poll())
            .await
            .unwrap()
            .unwrap();
        if matches!(e, rumqttc::Event::Incoming(rumqttc::Incoming::ConnAck(_))) {
            break;
        }
    }
    // Presence is recorded just after the CONNACK.
    let connected = Instant::now();
    loop {
        let d = get(http_addr.clone(), format!("/api/v1/device/{id}")).await;
        if d["info"]["online"] == true {
            break;
        }
        assert!(
            connected.elapsed() < Duration::from_secs(5),
            "not online: {d}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // The process dies without a word; its device keeps a 300 s keep-alive.
    p.signal("-KILL");
    let _ = p.finish();
    let killed = Instant::now();
    let mut again = Proc::start(&serve);
    let ready = again.wait_for("thingstead is ready");
    let http_addr = addr_of(&ready, "http");
    loop {
        let d = get(http_addr.clone(), format!("/api/v1/device/{id}")).await;
        if d["info"]["online"] == false {
            break;
        }
        assert!(
            killed.elapsed() < Duration::from_secs(30),
            "still online: {d}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    // Within the dead node's silence (10 s) and a beat or two.
    assert!(
        killed.elapsed() < Duration::from_secs(20),
        "{:?}",
        killed.elapsed()
    );
    again.signal("-TERM");
    let (exit, out) = again.finish();
    assert_eq!(exit, 0, "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Connects a device over MQTT 3.1.1 to `mqtt` and waits for the CONNACK.
async fn mqtt_device(
    mqtt: &str,
    token: &str,
    key: &str,
) -> (rumqttc::AsyncClient, rumqttc::EventLoop) {
    let (host, port) = mqtt.split_once(':').unwrap();
    let mut o = rumqttc::MqttOptions::new(format!("d-{token}"), host, port.parse().unwrap());
    o.set_credentials(token, key);
    o.set_keep_alive(Duration::from_secs(300));
    let (client, mut events) = rumqttc::AsyncClient::new(o, 8);
    loop {
        let e = tokio::time::timeout(Duration::from_secs(10), events.poll())
            .await
            .unwrap()
            .unwrap();
        if matches!(e, rumqttc::Event::Incoming(rumqttc::Incoming::ConnAck(_))) {
            return (client, events);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_node_leaves_its_devices_to_the_others() {
    let Some(nats) = thingstead_testkit::nats_url() else {
        return;
    };
    let prefix = thingstead_testkit::subject_prefix();
    let cluster = json!({"nats_url": nats, "nats_subject_prefix": prefix, "node_id": "survivor"});
    let Some(survivor) = TestApp::spawn_with(thingstead_testkit::Backend::Postgres, cluster).await
    else {
        return;
    };
    let dir = temp_dir("thingstead-doomed");
    let mut doomed = Proc::start(&[
        "serve",
        "--http-listen",
        "127.0.0.1:0",
        "--data-dir",
        dir.to_str().unwrap(),
        "--database-url",
        &survivor.database_url,
        "--nats-url",
        &nats,
        "--nats-subject-prefix",
        &prefix,
        "--node-id",
        "doomed",
    ]);
    let ready = doomed.wait_for("thingstead is ready");
    let doomed_mqtt = addr_of(&ready, "mqtt");
    let token = survivor.project_token().await;
    let moving = survivor.create_device(&token, "moving").await;
    let staying = survivor.create_device(&token, "staying").await;
    let online = |id: String| {
        let (app, token) = (&survivor, token.clone());
        async move {
            let r = app.get_auth(&format!("/api/v1/device/{id}"), &token).await;
            r.body["info"]["online"] == true
        }
    };
    let wait_online = |id: String, want: bool, within: Duration| {
        let online = &online;
        async move {
            let started = Instant::now();
            while online(id.clone()).await != want {
                assert!(started.elapsed() < within, "device {id} not online={want}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    };
    let _a = mqtt_device(&doomed_mqtt, &moving.access_token, &moving.project_key).await;
    let _b = mqtt_device(&doomed_mqtt, &staying.access_token, &staying.project_key).await;
    wait_online(moving.id.clone(), true, Duration::from_secs(5)).await;
    wait_online(staying.id.clone(), true, Duration::from_secs(5)).await;

    // The node dies; one device reconnects through the other node.
    doomed.signal("-KILL");
    let killed = Instant::now();
    let _ = doomed.finish();
    let mqtt = survivor.mqtt_addr.to_string();
    let _again = mqtt_device(&mqtt, &moving.access_token, &moving.project_key).await;
    wait_online(moving.id.clone(), true, Duration::from_secs(5)).await;
    // The dead node's other device goes offline once the node is found
    // silent; the reconnected one stays online throughout.
    wait_online(staying.id.clone(), false, Duration::from_secs(20)).await;
    assert!(killed.elapsed() < Duration::from_secs(20));
    for _ in 0..10 {
        assert!(
            online(moving.id.clone()).await,
            "the reconnected device went offline"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let _ = std::fs::remove_dir_all(&dir);
}
