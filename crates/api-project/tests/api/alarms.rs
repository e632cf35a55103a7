//! Alarms (seed 003 设备告警 and the rule extensions): rules of a device
//! type made, changed and removed; bad rules refused naming their field;
//! alarm logs; other projects' ids; on SQLite and PostgreSQL.

use crate::data::{Dev, report};
use crate::devices::{api, delete, get, info, new_type, post, put, refused};
use serde_json::{Value, json};
use thingstead_testkit::{TestApp, on_both_backends};

on_both_backends!(
    rules_are_created_listed_replaced_and_removed,
    bad_rules_name_their_field_and_change_nothing,
    another_projects_ids_answer_like_missing_ones,
    alarm_logs_of_an_unknown_device_answer_device_not_found,
    alarm_logs_without_alarms_are_empty,
);

/// A type whose devices have reported `t` (a number), `on` (a boolean) and
/// `mode` (a string); returns the type's id and the device.
async fn reported_type(app: &TestApp, token: &str) -> (String, Dev) {
    let type_id = new_type(app, token, "Thermometer").await;
    let r = post(
        app,
        token,
        "/device",
        json!({"name": "Kitchen", "type": type_id}),
    )
    .await;
    let id = info(&r)["id"].as_str().unwrap().to_owned();
    let cert = info(&get(app, token, &format!("/device/{id}/certificate")).await);
    let dev = Dev {
        id,
        access_token: cert["access_token"].as_str().unwrap().to_owned(),
        project_key: cert["project_key"].as_str().unwrap().to_owned(),
    };
    report(app, &dev, json!({"t": 21.5, "on": true, "mode": "auto"})).await;
    (type_id, dev)
}

fn rules_path(type_id: &str) -> String {
    format!("/device_type/{type_id}/alarm_rules")
}

fn rule_path(type_id: &str, rule_id: &str) -> String {
    format!("/device_type/{type_id}/alarm_rule/{rule_id}")
}

/// A valid attribute rule.
fn hot() -> Value {
    json!({
        "name": "Too hot",
        "identifier": "t",
        "operator": ">",
        "threshold": 30,
        "level": 2,
        "message": "${device_name}: ${t} above ${threshold}",
        "recovery": {"identifier": "t", "operator": "<=", "threshold": 28},
        "notify": {"sms": true, "close": true},
    })
}

async fn rules(app: &TestApp, token: &str, type_id: &str) -> Value {
    info(&get(app, token, &rules_path(type_id)).await)
}

pub async fn rules_are_created_listed_replaced_and_removed(app: TestApp) {
    let token = app.project_token().await;
    let (type_id, _) = reported_type(&app, &token).await;
    assert_eq!(rules(&app, &token, &type_id).await, json!([]));

    let created = info(&post(&app, &token, &rules_path(&type_id), hot()).await);
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(created["type_id"], type_id);
    assert_eq!(created["name"], "Too hot");
    assert_eq!(created["type"], "attribute");
    assert_eq!(created["identifier"], "t");
    assert_eq!(created["operator"], ">");
    assert_eq!(created["threshold"], 30);
    assert_eq!(created["offline_seconds"], Value::Null);
    assert_eq!(created["level"], 2);
    assert_eq!(
        created["recovery"],
        json!({"identifier": "t", "operator": "<=", "threshold": 28})
    );
    assert_eq!(
        created["notify"],
        json!({"push": true, "sms": true, "email": false, "close": true})
    );
    assert_eq!(created["enabled"], true);
    assert!(created["create_time"].as_i64().unwrap() > 0);

    // Defaults: attribute, level 1, push only, enabled, no recovery.
    let plain = info(
        &post(
            &app,
            &token,
            &rules_path(&type_id),
            json!({"identifier": "on", "operator": "==", "threshold": false, "message": "off"}),
        )
        .await,
    );
    assert_eq!(plain["type"], "attribute");
    assert_eq!(plain["level"], 1);
    assert_eq!(plain["recovery"], Value::Null);
    assert_eq!(
        plain["notify"],
        json!({"push": true, "sms": false, "email": false, "close": false})
    );
    let offline = info(
        &post(
            &app,
            &token,
            &rules_path(&type_id),
            json!({"type": "offline", "offline_seconds": 300, "level": 3, "message": "${device_id} is gone"}),
        )
        .await,
    );
    assert_eq!(offline["offline_seconds"], 300);
    assert_eq!(offline["identifier"], Value::Null);
    assert_eq!(offline["threshold"], Value::Null);

    let listed = rules(&app, &token, &type_id).await;
    assert_eq!(listed, json!([created, plain, offline]), "oldest first");

    // A whole rule replaces it; id, type and creation time stay.
    let replaced = info(
        &put(
            &app,
            &token,
            &rule_path(&type_id, &id),
            json!({"type": "event", "identifier": "overheat", "message": "overheat at ${t}",
                   "enabled": false}),
        )
        .await,
    );
    assert_eq!(replaced["id"], id);
    assert_eq!(replaced["create_time"], created["create_time"]);
    assert_eq!(replaced["type"], "event");
    assert_eq!(replaced["identifier"], "overheat");
    assert_eq!(replaced["operator"], Value::Null);
    assert_eq!(replaced["level"], 1);
    assert_eq!(replaced["enabled"], false);
    assert_eq!(rules(&app, &token, &type_id).await[0], replaced);

    let r = delete(&app, &token, &rule_path(&type_id, &id)).await;
    assert_eq!(info(&r), json!({}));
    assert_eq!(rules(&app, &token, &type_id).await, json!([plain, offline]));
    let again = delete(&app, &token, &rule_path(&type_id, &id)).await;
    assert_eq!(refused(&again, 404), "alarm rule not found");
}

pub async fn bad_rules_name_their_field_and_change_nothing(app: TestApp) {
    let token = app.project_token().await;
    let (type_id, _) = reported_type(&app, &token).await;
    let existing = info(&post(&app, &token, &rules_path(&type_id), hot()).await);
    let rule_id = existing["id"].as_str().unwrap().to_owned();
    let with = |k: &str, v: Value| {
        let mut body = hot();
        body[k] = v;
        body
    };
    let cases = [
        (with("identifier", json!("humidity")), "identifier"),
        (with("threshold", json!("thirty")), "threshold"),
        (with("operator", json!("=>")), "operator"),
        (with("message", json!("at ${pressure}")), "message"),
        (with("level", json!(4)), "level"),
        (with("level", json!("2")), "level"),
        (with("type", json!("sometimes")), "type"),
        (with("name", json!(7)), "name"),
        (with("identifier", json!(["t"])), "identifier"),
        (with("message", json!(42)), "message"),
        (with("enabled", json!("yes")), "enabled"),
        (with("notify", json!({"sms": "on"})), "notify.sms"),
        (with("recovery", json!("t < 28")), "recovery"),
        (
            with(
                "recovery",
                json!({"identifier": "t", "operator": "<", "threshold": "x"}),
            ),
            "recovery.threshold",
        ),
        (
            json!({"type": "offline", "offline_seconds": "soon", "message": "gone"}),
            "offline_seconds",
        ),
    ];
    let before = rules(&app, &token, &type_id).await;
    for (body, field) in cases {
        for r in [
            post(&app, &token, &rules_path(&type_id), body.clone()).await,
            put(&app, &token, &rule_path(&type_id, &rule_id), body.clone()).await,
        ] {
            refused(&r, 400);
            assert_eq!(r.body["errors"][0]["field"], field, "{body}: {:?}", r.body);
        }
    }
    assert_eq!(rules(&app, &token, &type_id).await, before);
}

pub async fn another_projects_ids_answer_like_missing_ones(app: TestApp) {
    let token = app.project_token().await;
    let (type_id, dev) = reported_type(&app, &token).await;
    let rule = info(&post(&app, &token, &rules_path(&type_id), hot()).await);
    let rule_id = rule["id"].as_str().unwrap().to_owned();
    let before = rules(&app, &token, &type_id).await;

    let second = app.second_project().await;
    let b = app.project_token_for(&second).await;
    let (b_type, _) = reported_type(&app, &b).await;
    for t in [type_id.as_str(), "987654321", "abc", "0"] {
        let answers = [
            get(&app, &b, &rules_path(t)).await,
            post(&app, &b, &rules_path(t), hot()).await,
            put(&app, &b, &rule_path(t, &rule_id), hot()).await,
            delete(&app, &b, &rule_path(t, &rule_id)).await,
        ];
        for r in answers {
            assert_eq!(refused(&r, 404), "device type not found", "type {t}");
        }
    }
    // A's rule on B's own type, and unknown rule ids, alike.
    for id in [rule_id.as_str(), "987654321", "abc", "0"] {
        let r = put(&app, &b, &rule_path(&b_type, id), hot()).await;
        assert_eq!(refused(&r, 404), "alarm rule not found", "rule {id}");
        let r = delete(&app, &b, &rule_path(&b_type, id)).await;
        assert_eq!(refused(&r, 404), "alarm rule not found", "rule {id}");
    }
    for id in ["987654321", "abc", "0"] {
        for action in ["acknowledge", "clear"] {
            for tok in [&token, &b] {
                let r = post(&app, tok, &format!("/alarm/{id}/{action}"), json!({})).await;
                assert_eq!(refused(&r, 404), "alarm not found", "{action} {id}");
            }
        }
    }
    let r = get(&app, &b, &format!("/device/{}/alarm_logs", dev.id)).await;
    assert_eq!(refused(&r, 404), "device not found");
    assert_eq!(rules(&app, &token, &type_id).await, before);
}

pub async fn alarm_logs_of_an_unknown_device_answer_device_not_found(app: TestApp) {
    let token = app.project_token().await;
    for id in ["987654321", "abc", "0", "-3"] {
        let r = get(&app, &token, &format!("/device/{id}/alarm_logs")).await;
        assert_eq!(refused(&r, 404), "device not found", "{id}");
    }
    // Without a project token: refused before anything is read.
    let r = app.get_auth(&api("/alarm_logs"), "1.abcdef").await;
    refused(&r, 401);
}

pub async fn alarm_logs_without_alarms_are_empty(app: TestApp) {
    let token = app.project_token().await;
    let (_, dev) = reported_type(&app, &token).await;
    let all = info(&get(&app, &token, "/alarm_logs").await);
    assert_eq!(all, json!({"items": []}));
    let one = info(&get(&app, &token, &format!("/device/{}/alarm_logs", dev.id)).await);
    assert_eq!(one, json!({"items": []}));
    // The query reads like the series endpoint's.
    let q = "?page=2&page_records=5&start_time=1700000000000&end_time=1700000100000";
    let paged = info(&get(&app, &token, &format!("/alarm_logs{q}")).await);
    assert_eq!(paged, json!({"items": []}));
    for (q, field) in [
        ("?page=0", "page"),
        ("?page_records=101", "page_records"),
        ("?start_time=x", "start_time"),
        ("?start_time=1700000000000&end_time=1", "end_time"),
    ] {
        let r = get(&app, &token, &format!("/alarm_logs{q}")).await;
        assert!(refused(&r, 400).starts_with(field), "{q}");
    }
}
