//! Alarms end to end: a home with a device, two family members, push
//! channels and a webhook receiver; rules, reports and reading the logs.

use std::time::Duration;

use rumqttc::{Event, Incoming, QoS};
use thingstead_testkit::{Backend, Hook};

use super::mqtt::connect;
use super::*;

/// A server whose pushes go to a fresh webhook receiver.
pub async fn with_hook(backend: Backend) -> Option<(TestApp, Hook)> {
    let hook = Hook::start().await;
    let app = TestApp::spawn_with(backend, json!({"push_webhook_url": hook.url})).await?;
    Some((app, hook))
}

/// Each `async fn name(app, hook)` as a test on SQLite and one on PostgreSQL.
macro_rules! with_hook_tests {
    ($($name:ident),* $(,)?) => {
        mod alarms_sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let (app, hook) = super::alarms::with_hook(thingstead_testkit::Backend::Sqlite)
                        .await
                        .expect("the server starts");
                    super::$name(app, hook).await
                }
            )*
        }
        mod alarms_postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if let Some((app, hook)) =
                        super::alarms::with_hook(thingstead_testkit::Backend::Postgres).await
                    {
                        super::$name(app, hook).await
                    }
                }
            )*
        }
    };
}
pub(crate) use with_hook_tests;

/// A thermometer type with a `temperature` attribute learned from one
/// report, a device of it owned by A (push channel `phone-a`) and shared
/// with B (push channel `phone-b`, alarm switch off).
pub struct Home {
    pub a: User,
    pub b: User,
    pub dev: Dev,
    pub type_id: String,
    pub token: String,
}

pub async fn home(app: &TestApp) -> Home {
    let (type_id, type_key) = device_type(app, json!({"name": "thermometer"})).await;
    let dev = device(app, "thermo-1", Some(&type_key)).await;
    let a = user(app, "13960000001").await;
    let b = user(app, "13960000002").await;
    let code = provision_code(app, &a).await;
    assert_eq!(present(app, &dev, &code).await.body["result"], 1);
    share_by_qr(app, &a, &b, &dev.id).await;
    for (u, channel) in [(&a, "phone-a"), (&b, "phone-b")] {
        ok(
            app,
            "/uc/bindPushChannel",
            &u.token,
            json!({"deviceId": channel, "deviceType": "ios"}),
        )
        .await;
    }
    let r = app
        .put(
            "/user/user/property/alarm-switch",
            json!({"value": "off"}),
            &[("token", &b.token)],
        )
        .await;
    assert_eq!(r.body["code"], 200, "{:?}", r.body);
    // The type learns `temperature` from a first report.
    let r = app
        .post(
            &format!("/device/v1/{}/attributes", dev.access_token),
            json!({"temperature": 20}),
            &[("Project-Key", &dev.project_key)],
        )
        .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let token = app.project_token().await;
    Home {
        a,
        b,
        dev,
        type_id,
        token,
    }
}

/// Adds a rule to the home's type.
pub async fn rule(app: &TestApp, h: &Home, body: Value) -> Value {
    let r = app
        .post_auth(
            &format!("/api/v1/device_type/{}/alarm_rules", h.type_id),
            body,
            &h.token,
        )
        .await;
    assert_eq!(r.body["result"], true, "{:?}", r.body);
    r.body["info"].clone()
}

/// Publishes attributes at QoS 1 and waits for the PUBACK.
pub async fn report(client: &rumqttc::AsyncClient, events: &mut rumqttc::EventLoop, body: Value) {
    client
        .publish("attributes", QoS::AtLeastOnce, false, body.to_string())
        .await
        .unwrap();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let event = tokio::time::timeout_at(deadline, events.poll())
            .await
            .expect("PUBACK in time")
            .expect("the connection stays up");
        if let Event::Incoming(Incoming::PubAck(_)) = event {
            return;
        }
    }
}

/// Keeps the connection's event loop turning for `d`.
pub async fn idle(events: &mut rumqttc::EventLoop, d: Duration) {
    let _ = tokio::time::timeout(d, async {
        loop {
            if events.poll().await.is_err() {
                return;
            }
        }
    })
    .await;
}

pub async fn logs(app: &TestApp, h: &Home) -> Vec<Value> {
    let r = app
        .get_auth(&format!("/api/v1/device/{}/alarm_logs", h.dev.id), &h.token)
        .await;
    assert_eq!(r.body["result"], true, "{:?}", r.body);
    r.body["info"]["items"].as_array().unwrap().clone()
}

/// Reads server-sent events until `names` have all been seen (or `wait`
/// passed); returns each event's name and JSON data.
pub async fn read_events(
    resp: &mut reqwest::Response,
    names: &[&str],
    wait: Duration,
) -> Vec<(String, Value)> {
    let mut text = String::new();
    let mut seen: Vec<(String, Value)> = Vec::new();
    let deadline = tokio::time::Instant::now() + wait;
    while !names.iter().all(|n| seen.iter().any(|(s, _)| s == n)) {
        let Ok(chunk) = tokio::time::timeout_at(deadline, resp.chunk()).await else {
            break;
        };
        let Some(chunk) = chunk.unwrap() else { break };
        text.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = text.find("\n\n") {
            let block: String = text.drain(..end + 2).collect();
            let mut name = String::new();
            let mut data = String::new();
            for line in block.lines() {
                if let Some(n) = line.strip_prefix("event:") {
                    name = n.trim().to_owned();
                } else if let Some(d) = line.strip_prefix("data:") {
                    data.push_str(d.trim());
                }
            }
            if !name.is_empty() {
                seen.push((name, serde_json::from_str(&data).unwrap_or(Value::Null)));
            }
        }
    }
    seen
}

/// Waits until the device's newest alarm has `status`; returns it.
pub async fn newest_with_status(app: &TestApp, h: &Home, status: i64) -> Value {
    for _ in 0..60 {
        if let Some(a) = logs(app, h).await.first()
            && a["alarm_status"] == status
        {
            return a.clone();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no alarm with status {status}: {:?}", logs(app, h).await);
}

/// Connects and waits for the CONNACK.
pub async fn online(app: &TestApp, dev: &Dev) -> (rumqttc::AsyncClient, rumqttc::EventLoop) {
    let (client, mut events) = connect(app, dev);
    loop {
        let event = tokio::time::timeout(Duration::from_secs(10), events.poll())
            .await
            .expect("CONNACK in time")
            .expect("connected");
        if let Event::Incoming(Incoming::ConnAck(_)) = event {
            return (client, events);
        }
    }
}
