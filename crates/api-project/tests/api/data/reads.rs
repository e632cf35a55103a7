//! Current attributes: reported, cloud, removed.

use super::*;

pub async fn reports_are_read_back_with_their_types(app: TestApp) {
    let token = app.project_token().await;
    let dev = new_dev(&app, &token, "Sensor").await;
    // Nothing reported yet.
    assert_eq!(raw(&app, &token, &dev).await, json!({}));
    let empty = info(&get(&app, &token, &format!("/device/{}/attributes", dev.id)).await);
    assert_eq!(empty, json!([]));

    let before = now_ms();
    let sent = json!({"temperature": 24.1, "relay1": true, "mode": "auto",
                      "cfg": {"a": 1}, "levels": [1, 2]});
    report(&app, &dev, sent.clone()).await;
    let after = now_ms();

    assert_eq!(raw(&app, &token, &dev).await, sent);
    let items = info(&get(&app, &token, &format!("/device/{}/attributes", dev.id)).await);
    assert_eq!(items.as_array().unwrap().len(), 5, "{items}");
    for (identifier, data_type) in [
        ("temperature", "number"),
        ("relay1", "boolean"),
        ("mode", "string"),
        ("cfg", "json"),
        ("levels", "json"),
    ] {
        let a = item(&items, identifier);
        assert_eq!(a["value"], sent[identifier], "{a}");
        assert_eq!(a["attr_type"], "report", "{a}");
        assert_eq!(a["data_type"], data_type, "{a}");
        let ts = a["ts"].as_i64().unwrap();
        assert!(
            before - 1000 <= ts && ts <= after + 1000,
            "{ts} not in {before}..{after}"
        );
        let model = &a["model"];
        assert!(model["name"].as_str().is_some_and(|n| !n.is_empty()), "{a}");
        assert_eq!(model["attr_type"], "report", "{a}");
        assert_eq!(model["data_type"], data_type, "{a}");
        assert!(model["data_options"].is_object(), "{a}");
    }
}

pub async fn later_reports_replace_current_values_and_add_history(app: TestApp) {
    let token = app.project_token().await;
    let dev = new_dev(&app, &token, "Sensor").await;
    report(&app, &dev, json!({"temperature": 24.1, "humidity": 56.8})).await;
    report(&app, &dev, json!({"temperature": 25.5})).await;
    assert_eq!(
        raw(&app, &token, &dev).await,
        json!({"temperature": 25.5, "humidity": 56.8})
    );
    let points = info(&series_of(&app, &token, &dev, "temperature", "").await);
    assert_eq!(values(&points), vec![json!(25.5), json!(24.1)]);
    for p in points.as_array().unwrap() {
        assert_eq!(p["name"], "temperature", "{p}");
        assert_eq!(p["type"], "number", "{p}");
        assert!(p["ts"].as_i64().unwrap() > 1_600_000_000_000, "{p}");
    }
    let humidity = info(&series_of(&app, &token, &dev, "humidity", "").await);
    assert_eq!(values(&humidity), vec![json!(56.8)]);
    // An identifier never reported has no history.
    let none = info(&series_of(&app, &token, &dev, "pressure", "").await);
    assert_eq!(none, json!([]));
}

pub async fn cloud_attributes_show_as_cloud(app: TestApp) {
    let token = app.project_token().await;
    let dev = new_dev(&app, &token, "Thermostat").await;
    report(&app, &dev, json!({"temperature": 20})).await;
    // The device is not connected: cloud attributes are stored all the same.
    let r = put(
        &app,
        &token,
        &format!("/control/device/{}/attributes", dev.id),
        json!({"target": 22.5, "schedule": "eco"}),
    )
    .await;
    assert_eq!(info(&r), json!({}));
    let items = info(&get(&app, &token, &format!("/device/{}/attributes", dev.id)).await);
    let target = item(&items, "target");
    assert_eq!(target["value"], 22.5);
    assert_eq!(target["attr_type"], "cloud");
    assert_eq!(target["data_type"], "number");
    assert_eq!(item(&items, "schedule")["attr_type"], "cloud");
    assert_eq!(item(&items, "temperature")["attr_type"], "report");
    assert_eq!(
        raw(&app, &token, &dev).await,
        json!({"temperature": 20, "target": 22.5, "schedule": "eco"})
    );
    // The device reads them over its own API.
    let r = app
        .get(
            &format!("/device/v1/{}/attributes?keys=target", dev.access_token),
            &[("Project-Key", dev.project_key.as_str())],
        )
        .await;
    assert_eq!(r.body, json!({"result": 1, "attributes": {"target": 22.5}}));

    // Bad bodies name what is wrong and store nothing.
    let path = api(&format!("/control/device/{}/attributes", dev.id));
    for body in [
        json!({}),
        json!({" ": 1}),
        json!({"1st": 1}),
        json!({"t": null}),
        json!({"target": "warm"}),
    ] {
        let r = put(
            &app,
            &token,
            &format!("/control/device/{}/attributes", dev.id),
            body.clone(),
        )
        .await;
        refused(&r, 400);
        assert_eq!(
            r.body["errors"][0]["field"], "attributes",
            "{body}: {:?}",
            r.body
        );
    }
    let r = app
        .send(app.http.put(app.url(&path)).bearer_auth(&token).body("[1]"))
        .await;
    assert!(refused(&r, 400).contains("JSON object"), "{:?}", r.body);
    let r = app
        .send(
            app.http
                .put(app.url(&path))
                .bearer_auth(&token)
                .body("{\"a\":"),
        )
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(r.body["message"], "Invalid JSON message");
    assert_eq!(
        raw(&app, &token, &dev).await,
        json!({"temperature": 20, "target": 22.5, "schedule": "eco"})
    );
}

pub async fn attributes_are_removed_and_history_stays(app: TestApp) {
    let token = app.project_token().await;
    let dev = new_dev(&app, &token, "Sensor").await;
    report(&app, &dev, json!({"a": 1, "b": 2, "c": 3})).await;
    let r = post(
        &app,
        &token,
        &format!("/device/{}/attributes_remove", dev.id),
        json!({"keys": ["a", "b", "never-reported"]}),
    )
    .await;
    assert_eq!(info(&r), json!({}));
    assert_eq!(raw(&app, &token, &dev).await, json!({"c": 3}));
    let items = info(&get(&app, &token, &format!("/device/{}/attributes", dev.id)).await);
    assert_eq!(items.as_array().unwrap().len(), 1, "{items}");
    // History is kept.
    let points = info(&series_of(&app, &token, &dev, "a", "").await);
    assert_eq!(values(&points), vec![json!(1)]);
    // A new report brings the attribute back.
    report(&app, &dev, json!({"a": 5})).await;
    assert_eq!(raw(&app, &token, &dev).await, json!({"a": 5, "c": 3}));
}

pub async fn remove_refuses_bad_bodies(app: TestApp) {
    let token = app.project_token().await;
    let dev = new_dev(&app, &token, "Sensor").await;
    report(&app, &dev, json!({"a": 1})).await;
    let path = format!("/device/{}/attributes_remove", dev.id);
    let cases = [
        (json!({}), "keys is required"),
        (json!({"keys": []}), "keys must list"),
        (json!({"keys": "a"}), "keys has the wrong type"),
        (json!({"keys": [1]}), "keys[0] has the wrong type"),
        (json!({"keys": [""]}), "blank"),
    ];
    for (body, message) in cases {
        let r = post(&app, &token, &path, body.clone()).await;
        let m = refused(&r, 400);
        assert!(m.contains(message), "{body}: {m}");
    }
    let many: Vec<String> = (0..257).map(|i| format!("k{i}")).collect();
    let r = post(&app, &token, &path, json!({ "keys": many })).await;
    assert!(refused(&r, 400).contains("keys"), "{:?}", r.body);
    assert_eq!(raw(&app, &token, &dev).await, json!({"a": 1}));
}
