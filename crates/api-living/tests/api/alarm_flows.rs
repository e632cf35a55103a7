//! Alarms end to end: a device reports over MQTT, a rule opens one alarm,
//! the family members whose alarm switch is on get a push through the
//! webhook, the project API logs and counts it, recovery closes it.

use std::time::{Duration, Instant};

use rumqttc::QoS;
use thingstead_testkit::{Answer, Hook};

use super::alarms::*;
use super::mqtt::connect;
use super::*;

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

pub async fn offline_and_event_rules_open_and_close(app: TestApp, hook: Hook) {
    let h = home(&app).await;
    rule(
        &app,
        &h,
        json!({"type": "offline", "offline_seconds": 1, "level": 3, "message": "${device_name} is offline"}),
    )
    .await;
    let (client, events) = online(&app, &h.dev).await;
    drop((client, events));
    let calls = hook.wait_for(1, Duration::from_secs(5)).await;
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(calls[0]["alarm"]["message"], "thermo-1 is offline");
    assert_eq!(calls[0]["alarm"]["alarm_level"], 3);
    newest_with_status(&app, &h, 1).await;
    // Back online: closed.
    let (client, mut events) = online(&app, &h.dev).await;
    let closed = newest_with_status(&app, &h, 3).await;
    assert_eq!(closed["alarm_info"]["closed_by"], "recovery", "{closed:?}");

    rule(
        &app,
        &h,
        json!({"type": "event", "identifier": "tamper", "level": 2, "message": "tampered"}),
    )
    .await;
    client
        .publish(
            "event/report/7",
            QoS::AtLeastOnce,
            false,
            json!({"method": "tamper", "params": {"side": "left"}}).to_string(),
        )
        .await
        .unwrap();
    idle(&mut events, Duration::from_millis(500)).await;
    let open = newest_with_status(&app, &h, 1).await;
    assert_eq!(open["alarm_info"]["identifier"], "tamper");
    assert_eq!(open["alarm_info"]["params"]["side"], "left");
    // It stays open on other reports; an operator acknowledges, then clears it.
    report(&client, &mut events, json!({"temperature": 21})).await;
    let id = open["id"].as_str().unwrap().to_owned();
    let acked = app
        .post_auth(
            &format!("/api/v1/alarm/{id}/acknowledge"),
            json!({}),
            &h.token,
        )
        .await;
    assert_eq!(acked.body["info"]["alarm_status"], 2, "{:?}", acked.body);
    let cleared = app
        .post_auth(&format!("/api/v1/alarm/{id}/clear"), json!({}), &h.token)
        .await;
    assert_eq!(
        cleared.body["info"]["alarm_status"], 4,
        "{:?}",
        cleared.body
    );
    // The next tamper opens a new alarm.
    client
        .publish(
            "event/report/8",
            QoS::AtLeastOnce,
            false,
            json!({"method": "tamper", "params": {}}).to_string(),
        )
        .await
        .unwrap();
    idle(&mut events, Duration::from_millis(500)).await;
    let again = newest_with_status(&app, &h, 1).await;
    assert_ne!(again["id"], open["id"]);
    assert_eq!(hook.wait_for(3, Duration::from_secs(3)).await.len(), 3);
}

pub async fn rules_that_ask_for_sms_and_email_send_them(app: TestApp, hook: Hook) {
    let h = home(&app).await;
    rule(
        &app,
        &h,
        json!({"identifier": "temperature", "operator": ">", "threshold": 30, "message": "hot ${value}",
               "notify": {"push": false, "sms": true, "email": true, "close": true}}),
    )
    .await;
    let (client, mut events) = connect(&app, &h.dev);
    report(&client, &mut events, json!({"temperature": 44})).await;
    report(&client, &mut events, json!({"temperature": 20})).await;
    let closed = newest_with_status(&app, &h, 3).await;
    let mut sms = Vec::new();
    for _ in 0..50 {
        sms = app
            .outbox()
            .into_iter()
            .filter(|m| m.purpose == "alarm" && m.channel == "sms")
            .collect::<Vec<_>>();
        if sms.len() == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Opened and closed, to A's phone only (B's switch is off; A has no e-mail).
    assert_eq!(sms.len(), 2, "{sms:?}");
    assert!(sms.iter().all(|m| m.to == h.a.phone), "{sms:?}");
    assert_eq!(sms[0].text, "hot 44");
    assert!(
        app.outbox()
            .iter()
            .all(|m| m.channel != "email" || m.purpose != "alarm")
    );
    assert!(
        hook.calls().is_empty(),
        "push was not asked for: {:?}",
        hook.calls()
    );
    let attempts = logs(&app, &h).await[0]["notify_logs"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(attempts.len(), 2, "{attempts:?} {closed:?}");
    assert_eq!(attempts[0]["event"], "open");
    assert_eq!(attempts[1]["event"], "close");
    assert_eq!(attempts[0]["channel"], "sms");
}
