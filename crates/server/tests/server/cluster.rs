//! Several nodes on one PostgreSQL database and one NATS: control calls
//! through another node than the device's, takeover across nodes, limits
//! shared by the nodes. Skipped (with a note) without
//! `THINGSTEAD_TEST_NATS_URL` and `THINGSTEAD_TEST_POSTGRES_URL`.

use std::time::{Duration, Instant};

use rumqttc::v5::mqttbytes::v5 as p5;
use rumqttc::v5::{AsyncClient, Event, EventLoop, MqttOptions};
use serde_json::{Value, json};
use thingstead_testkit::{TestApp, TestDevice, spawn_cluster};

/// How long a test waits for something that should happen at once.
pub const SOON: Duration = Duration::from_secs(10);

/// An MQTT 5 device.
pub struct Device {
    client: AsyncClient,
    events: EventLoop,
}

impl Device {
    pub async fn connect(node: &TestApp, dev: &TestDevice) -> Device {
        use std::sync::atomic::{AtomicU64, Ordering};
        static N: AtomicU64 = AtomicU64::new(0);
        let id = format!(
            "cluster-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        let addr = node.mqtt_addr;
        let mut o = MqttOptions::new(id, addr.ip().to_string(), addr.port());
        o.set_credentials(&dev.access_token, &dev.project_key);
        o.set_keep_alive(Duration::from_secs(30));
        let (client, events) = AsyncClient::new(o, 16);
        let mut d = Device { client, events };
        d.wait(|p| matches!(p, p5::Packet::ConnAck(_)).then_some(()))
            .await;
        // Let the node announce the registration to the others.
        tokio::time::sleep(Duration::from_millis(200)).await;
        d
    }

    async fn wait<T>(&mut self, mut pick: impl FnMut(&p5::Packet) -> Option<T>) -> T {
        let deadline = tokio::time::Instant::now() + SOON;
        loop {
            let event = tokio::time::timeout_at(deadline, self.events.poll())
                .await
                .expect("the packet arrives in time")
                .expect("the connection stays up");
            if let Event::Incoming(packet) = event
                && let Some(found) = pick(&packet)
            {
                return found;
            }
        }
    }

    async fn subscribe(&mut self, filter: &str) {
        self.client
            .subscribe(filter, rumqttc::v5::mqttbytes::QoS::AtLeastOnce)
            .await
            .unwrap();
        self.wait(|p| matches!(p, p5::Packet::SubAck(_)).then_some(()))
            .await;
    }

    async fn next_on(&mut self, prefix: &str) -> (String, Vec<u8>) {
        self.wait(|p| match p {
            p5::Packet::Publish(m) if m.topic.starts_with(prefix.as_bytes()) => Some((
                String::from_utf8_lossy(&m.topic).into_owned(),
                m.payload.to_vec(),
            )),
            _ => None,
        })
        .await
    }

    async fn json_on(&mut self, prefix: &str) -> (String, Value) {
        let (topic, payload) = self.next_on(prefix).await;
        (topic, serde_json::from_slice(&payload).unwrap())
    }

    pub async fn publish(&mut self, topic: &str, payload: Value) {
        self.client
            .publish(
                topic,
                rumqttc::v5::mqttbytes::QoS::AtLeastOnce,
                false,
                payload.to_string(),
            )
            .await
            .unwrap();
        self.wait(|p| matches!(p, p5::Packet::PubAck(_)).then_some(()))
            .await;
    }

    /// Polls until the connection ends; the server's DISCONNECT reason.
    async fn disconnected(&mut self) -> Option<p5::DisconnectReasonCode> {
        let deadline = tokio::time::Instant::now() + SOON;
        loop {
            match tokio::time::timeout_at(deadline, self.events.poll())
                .await
                .expect("the server ends the connection in time")
            {
                Ok(Event::Incoming(p5::Packet::Disconnect(d))) => return Some(d.reason_code),
                Ok(_) => continue,
                Err(rumqttc::v5::ConnectionError::MqttState(
                    rumqttc::v5::StateError::ServerDisconnect { reason_code, .. },
                )) => return Some(reason_code),
                Err(_) => return None,
            }
        }
    }
}

/// `POST /api/v1/control/device/<id>/command?wait=<wait>` on `node`.
async fn command(node: &TestApp, token: &str, id: &str, wait: u64, body: Value) -> Value {
    let path = format!("/api/v1/control/device/{id}/command?wait={wait}");
    node.post_auth(&path, body, token).await.body
}

/// `/healthz` of `node`.
async fn health(node: &TestApp) -> Value {
    let r = node.get("/healthz", &[]).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    r.body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_through_another_node_reaches_the_device_and_its_reply_comes_back() {
    let Some(nodes) = spawn_cluster(2, json!({})).await else {
        return;
    };
    let (one, two) = (&nodes[0], &nodes[1]);
    let h = health(two).await;
    assert_eq!(h["node_id"], "node2");
    assert_eq!(
        (h["database"].as_str(), h["nats"].as_str()),
        (Some("ok"), Some("ok"))
    );

    let token = two.project_token().await;
    let dev = one.create_device(&token, "Door").await;
    let mut d = Device::connect(one, &dev).await;
    d.subscribe("command/send/+").await;
    assert_eq!(health(one).await["device_connections"], 1);
    assert_eq!(health(two).await["device_connections"], 0);

    let call = {
        let (http, url, token) = (
            two.http.clone(),
            two.url(&format!(
                "/api/v1/control/device/{}/command?wait=10",
                dev.id
            )),
            token.clone(),
        );
        tokio::spawn(async move {
            let body = json!({"method": "unlock", "params": {"seconds": 5}, "id": 42});
            let r = http.post(url).bearer_auth(token).json(&body).send().await;
            r.unwrap().json::<Value>().await.unwrap()
        })
    };
    let (topic, sent) = d.json_on("command/send/").await;
    assert_eq!(topic, "command/send/42");
    assert_eq!(sent["method"], "unlock");
    d.publish(
        "command/reply/42",
        json!({"method": "unlock", "params": {"done": true}}),
    )
    .await;
    let answer = tokio::time::timeout(SOON, call).await.unwrap().unwrap();
    assert_eq!(answer["result"], true, "{answer}");
    assert_eq!(
        answer["info"]["reply"],
        json!({"method": "unlock", "params": {"done": true}}),
        "node 2's caller sees the reply: {answer}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pushes_and_stream_writes_through_another_node_reach_the_device() {
    let Some(nodes) = spawn_cluster(2, json!({})).await else {
        return;
    };
    let (one, two) = (&nodes[0], &nodes[1]);
    let token = two.project_token().await;
    let dev = one.create_device(&token, "Modbus").await;
    let mut d = Device::connect(one, &dev).await;
    d.subscribe("attributes/push").await;
    d.subscribe("data/+/set").await;

    let path = format!("/api/v1/control/device/{}/attributes", dev.id);
    let r = two.post_auth(&path, json!({"on": true}), &token).await;
    assert_eq!(r.body["result"], true, "{:?}", r.body);
    assert_eq!(d.json_on("attributes/push").await.1, json!({"on": true}));

    let path = format!(
        "/api/v1/control/device/{}/data/stream/set?push_mode=mqtt",
        dev.id
    );
    let body = json!({"type": "hex", "msg": "01 03 01 FF"});
    let r = two.post_auth(&path, body, &token).await;
    assert_eq!(r.body["result"], true, "{:?}", r.body);
    let (topic, payload) = d.next_on("data/").await;
    assert_eq!(topic, "data/stream/set");
    assert_eq!(payload, [0x01, 0x03, 0x01, 0xFF]);

    // No TCP connection anywhere: offline, as on one node.
    let path = format!(
        "/api/v1/control/device/{}/data/stream/set?push_mode=tcp",
        dev.id
    );
    let body = json!({"type": "text", "msg": "hi"});
    let r = two.post_auth(&path, body, &token).await;
    assert_eq!(r.body["errcode"], 1002, "{:?}", r.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_offline_device_answers_offline_through_any_node_at_once() {
    let Some(nodes) = spawn_cluster(2, json!({})).await else {
        return;
    };
    let token = nodes[0].project_token().await;
    let dev = nodes[0].create_device(&token, "Lamp").await;
    let started = Instant::now();
    let answer = command(&nodes[1], &token, &dev.id, 5, json!({"method": "on"})).await;
    assert_eq!(answer["result"], false, "{answer}");
    assert_eq!(answer["errcode"], 1002, "{answer}");
    assert!(started.elapsed() < Duration::from_secs(2), "not waited for");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_connecting_to_another_node_takes_over() {
    let Some(nodes) = spawn_cluster(2, json!({})).await else {
        return;
    };
    let (one, two) = (&nodes[0], &nodes[1]);
    let token = one.project_token().await;
    let dev = one.create_device(&token, "Sensor").await;
    let mut first = Device::connect(one, &dev).await;
    let mut second = Device::connect(two, &dev).await;
    assert_eq!(
        first.disconnected().await,
        Some(p5::DisconnectReasonCode::SessionTakenOver)
    );
    second.subscribe("command/send/+").await;
    assert_eq!(health(one).await["device_connections"], 0);
    assert_eq!(health(two).await["device_connections"], 1);

    // Node 1 now reaches the device through node 2.
    let answer = command(one, &token, &dev.id, 0, json!({"method": "ping", "id": 7})).await;
    assert_eq!(answer["result"], true, "{answer}");
    let (topic, _) = second.json_on("command/send/").await;
    assert_eq!(topic, "command/send/7");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_send_throttle_holds_across_nodes() {
    let Some(nodes) = spawn_cluster(2, json!({})).await else {
        return;
    };
    let path = format!(
        "/user/sms/customer/user/phone/sms/code?clientKey={}&phone=13899990001&useType=1",
        nodes[0].client_key()
    );
    let r = nodes[0].get(&path, &[]).await;
    assert_eq!(r.body["code"], 200, "{:?}", r.body);
    let r = nodes[1].get(&path, &[]).await;
    assert_eq!(
        r.body["code"], 429,
        "the other node refuses too: {:?}",
        r.body
    );
}

#[tokio::test]
async fn nats_with_sqlite_is_refused_at_start() {
    let dir = thingstead_testkit::temp_dir("thingstead-nats-sqlite");
    let settings = serde_json::from_value(json!({
        "data_dir": dir,
        "http_listen": "127.0.0.1:0",
        "mqtt_listen": "127.0.0.1:0",
        "tcp_listen": "127.0.0.1:0",
        "nats_url": "nats://127.0.0.1:4222",
    }))
    .unwrap();
    let e = thingstead_server::start(settings)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("--nats-url") && e.contains("--database-url") && e.contains("PostgreSQL"),
        "{e}"
    );
    let _ = std::fs::remove_dir_all(dir);
}
