//! Alarms end to end: a device reports over MQTT, a rule opens one alarm,
//! the family members whose alarm switch is on get a push through the
//! webhook, the project API logs and counts it, recovery closes it.

use std::time::{Duration, Instant};

use rumqttc::{Event, Incoming, QoS};
use thingstead_testkit::{Answer, Backend, Hook};

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
                    super::alarms::$name(app, hook).await
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
                        super::alarms::$name(app, hook).await
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

pub async fn a_report_over_the_threshold_opens_one_alarm_and_pushes_it(app: TestApp, hook: Hook) {
    let h = home(&app).await;
    let created = rule(
        &app,
        &h,
        json!({"identifier": "temperature", "operator": ">", "threshold": 30, "level": 2,
               "message": "${device_name}: ${temperature} degrees"}),
    )
    .await;
    let (client, mut events) = connect(&app, &h.dev);
    report(&client, &mut events, json!({"temperature": 25})).await;
    assert!(
        hook.calls().is_empty(),
        "below the threshold: {:?}",
        hook.calls()
    );

    let sent = Instant::now();
    report(&client, &mut events, json!({"temperature": 35})).await;
    let calls = hook.wait_for(1, Duration::from_secs(1)).await;
    assert_eq!(calls.len(), 1, "one push within a second: {calls:?}");
    assert!(sent.elapsed() < Duration::from_secs(2));
    let push = &calls[0];
    assert_eq!(push["user_id"], json!(h.a.id));
    assert_eq!(push["push_channel"]["deviceId"], "phone-a");
    assert_eq!(push["push_channel"]["deviceType"], "iOS");
    assert_eq!(push["device"]["id"], json!(h.dev.id));
    assert_eq!(push["event"], "open");
    assert_eq!(push["alarm"]["alarm_level"], 2);
    assert_eq!(push["alarm"]["message"], "thermo-1: 35 degrees");

    // Still over the threshold: no second alarm, no second push.
    report(&client, &mut events, json!({"temperature": 36})).await;
    idle(&mut events, Duration::from_millis(700)).await;
    assert_eq!(hook.calls().len(), 1, "{:?}", hook.calls());
    let items = logs(&app, &h).await;
    assert_eq!(items.len(), 1, "{items:?}");
    let alarm = &items[0];
    assert_eq!(alarm["alarm_status"], 1);
    assert_eq!(alarm["alarm_level"], 2);
    assert_eq!(alarm["device_id"], json!(h.dev.id));
    assert_eq!(alarm["device"]["name"], "thermo-1");
    assert_eq!(alarm["alarm_info"]["rule_id"], created["id"]);
    assert_eq!(alarm["alarm_info"]["value"], 35);
    assert_eq!(alarm["alarm_info"]["message"], "thermo-1: 35 degrees");
    let notified = alarm["notify_logs"].as_array().unwrap();
    assert_eq!(notified.len(), 1, "{notified:?}");
    assert_eq!(notified[0]["result"], "ok");
    assert_eq!(notified[0]["channel"], "push");

    // Counted while open.
    let stat = app.get_auth("/api/v1/devices_alarm_stat", &h.token).await;
    assert_eq!(stat.body["info"]["alarm_2_total"], 1, "{:?}", stat.body);
    let stat = app.get_auth("/api/v1/devices_stat", &h.token).await;
    assert_eq!(
        stat.body["info"]["alarm_device_total"], 1,
        "{:?}",
        stat.body
    );
    let device = app
        .get_auth(&format!("/api/v1/device/{}", h.dev.id), &h.token)
        .await;
    assert_eq!(
        device.body["info"]["alarm"]["level"], 2,
        "{:?}",
        device.body
    );

    // Back under the threshold: closed, no longer counted.
    report(&client, &mut events, json!({"temperature": 22})).await;
    let mut closed = false;
    for _ in 0..50 {
        if logs(&app, &h).await[0]["alarm_status"] == 3 {
            closed = true;
            break;
        }
        idle(&mut events, Duration::from_millis(100)).await;
    }
    assert!(closed, "{:?}", logs(&app, &h).await);
    let stat = app.get_auth("/api/v1/devices_stat", &h.token).await;
    assert_eq!(
        stat.body["info"]["alarm_device_total"], 0,
        "{:?}",
        stat.body
    );
    let device = app
        .get_auth(&format!("/api/v1/device/{}", h.dev.id), &h.token)
        .await;
    assert_eq!(device.body["info"]["alarm"], json!({}), "{:?}", device.body);
    // Over again: a second alarm.
    report(&client, &mut events, json!({"temperature": 40})).await;
    assert_eq!(hook.wait_for(2, Duration::from_secs(2)).await.len(), 2);
    assert_eq!(logs(&app, &h).await.len(), 2);
    let all = app.get_auth("/api/v1/alarm_logs", &h.token).await;
    assert_eq!(
        all.body["info"]["items"].as_array().unwrap().len(),
        2,
        "{:?}",
        all.body
    );
    // Nobody told B, whose switch is off.
    assert!(hook.calls().iter().all(|c| c["user_id"] == json!(h.a.id)));
    assert!(!h.b.id.is_empty());
}

pub async fn a_failing_webhook_is_retried_and_every_attempt_logged(app: TestApp, hook: Hook) {
    let h = home(&app).await;
    rule(
        &app,
        &h,
        json!({"identifier": "temperature", "operator": ">=", "threshold": 50, "level": 3,
               "message": "fire? ${value}"}),
    )
    .await;
    hook.answer_next(&[Answer::Status(500), Answer::Status(500)]);
    let (client, mut events) = connect(&app, &h.dev);
    report(&client, &mut events, json!({"temperature": 55})).await;
    let calls = hook.wait_for(3, Duration::from_secs(10)).await;
    assert_eq!(calls.len(), 3, "{calls:?}");
    // The third attempt is recorded just after the webhook answered it.
    let mut attempts = Vec::new();
    for _ in 0..50 {
        attempts = logs(&app, &h).await[0]["notify_logs"]
            .as_array()
            .unwrap()
            .clone();
        if attempts.len() == 3 {
            break;
        }
        idle(&mut events, Duration::from_millis(100)).await;
    }
    let results: Vec<_> = attempts
        .iter()
        .map(|a| a["result"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(results, ["failed", "failed", "ok"], "{attempts:?}");
    assert_eq!(attempts[0]["attempt"], 1);
    assert_eq!(attempts[2]["attempt"], 3);
    assert!(
        attempts[0]["error"].as_str().unwrap().contains("500"),
        "{attempts:?}"
    );
    assert!(attempts[0]["time"].as_i64() <= attempts[2]["time"].as_i64());
}

pub async fn a_notification_pending_at_restart_is_delivered_after_it(mut app: TestApp, hook: Hook) {
    let h = home(&app).await;
    rule(
        &app,
        &h,
        json!({"identifier": "temperature", "operator": ">", "threshold": 30, "message": "hot"}),
    )
    .await;
    hook.answer_next(&[
        Answer::Status(503),
        Answer::Status(503),
        Answer::Status(503),
    ]);
    let (client, mut events) = connect(&app, &h.dev);
    report(&client, &mut events, json!({"temperature": 31})).await;
    assert_eq!(hook.wait_for(1, Duration::from_secs(5)).await.len(), 1);
    drop(client);
    app.restart().await;
    let restarted = Instant::now();
    let calls = hook.wait_for(4, Duration::from_secs(15)).await;
    assert_eq!(calls.len(), 4, "{calls:?}");
    assert!(*hook.arrivals().last().unwrap() > restarted);
    let attempts = logs(&app, &h).await[0]["notify_logs"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(attempts.last().unwrap()["result"], "ok", "{attempts:?}");
    assert_eq!(attempts.len(), 4, "{attempts:?}");
}

/// Reads server-sent events until `names` have all been seen (or `wait`
/// passed); returns each event's name and JSON data.
async fn read_events(
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

pub async fn apps_follow_their_devices_live(app: TestApp, hook: Hook) {
    let h = home(&app).await;
    rule(
        &app,
        &h,
        json!({"identifier": "temperature", "operator": ">", "threshold": 30, "message": "hot"}),
    )
    .await;
    let stranger = user(&app, "13960000009").await;
    let follow = |token: String| {
        let req = app
            .http
            .get(app.url("/user/customer/user/events"))
            .header("token", token);
        async move { req.send().await.unwrap() }
    };
    let mut mine = follow(h.a.token.clone()).await;
    assert_eq!(mine.status(), 200);
    assert!(
        mine.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let mut theirs = follow(stranger.token.clone()).await;
    let unauthenticated = app.get("/user/customer/user/events", &[]).await;
    assert_eq!(
        unauthenticated.body["code"], 401,
        "{:?}",
        unauthenticated.body
    );

    let (client, mut events) = connect(&app, &h.dev);
    report(&client, &mut events, json!({"temperature": 33})).await;
    let seen = read_events(&mut mine, &["attributes", "alarm"], Duration::from_secs(5)).await;
    let attrs = seen
        .iter()
        .find(|(n, _)| n == "attributes")
        .map(|(_, d)| d.clone());
    let attrs = attrs.unwrap_or_else(|| panic!("no attributes event: {seen:?}"));
    assert_eq!(attrs["device_id"], json!(h.dev.id));
    assert_eq!(attrs["attributes"]["temperature"], 33);
    let alarm = seen
        .iter()
        .find(|(n, _)| n == "alarm")
        .map(|(_, d)| d.clone());
    let alarm = alarm.unwrap_or_else(|| panic!("no alarm event: {seen:?}"));
    assert_eq!(alarm["event"], "open");
    assert_eq!(alarm["alarm"]["message"], "hot");
    let strangers = read_events(&mut theirs, &["attributes"], Duration::from_millis(800)).await;
    assert!(strangers.is_empty(), "{strangers:?}");
    assert_eq!(hook.wait_for(1, Duration::from_secs(2)).await.len(), 1);
}
