//! Attribute and event reports, and the device reading its attributes.

use super::*;

pub async fn attribute_reports_are_stored_and_read_back(app: TestApp) {
    let token = app.project_token().await;
    let dev = new_dev(&app, &token, "Sensor").await;
    let path = format!("/{}/attributes", dev.access_token);
    let r = device_get(&app, &path, &dev.project_key).await;
    assert_eq!(r.body, json!({"result": 1, "attributes": {}}));

    let sent = json!({"temperature": 24.1, "relay": true, "mode": "auto"});
    let r = device_post(&app, &path, &dev.project_key, sent.clone()).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body, json!({"result": 1}));
    // Answered after the commit: visible at once.
    assert_eq!(raw(&app, &token, &dev).await, sent);
    let r = device_get(&app, &path, &dev.project_key).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body, json!({"result": 1, "attributes": sent}));

    // A second report changes one value and keeps the others.
    device_post(&app, &path, &dev.project_key, json!({"temperature": 25})).await;
    assert_eq!(
        raw(&app, &token, &dev).await,
        json!({"temperature": 25, "relay": true, "mode": "auto"})
    );
    // The device has reported: it is active, and still not online.
    let d = info(
        &app.get_auth(&format!("/api/v1/device/{}", dev.id), &token)
            .await,
    );
    assert_ne!(d["active"], json!({}), "{d}");
    assert_eq!(d["online"], false, "{d}");
}

pub async fn reads_take_a_list_of_keys(app: TestApp) {
    let token = app.project_token().await;
    let dev = new_dev(&app, &token, "Sensor").await;
    let path = format!("/{}/attributes", dev.access_token);
    device_post(
        &app,
        &path,
        &dev.project_key,
        json!({"a": 1, "b": "x", "c": [1]}),
    )
    .await;
    let read = |q: &'static str| {
        let path = format!("{path}{q}");
        let key = dev.project_key.clone();
        let app = &app;
        async move { device_get(app, &path, &key).await.body["attributes"].clone() }
    };
    assert_eq!(read("?keys=a,c").await, json!({"a": 1, "c": [1]}));
    assert_eq!(read("?keys=b,%20missing").await, json!({"b": "x"}));
    assert_eq!(read("?keys=").await, json!({"a": 1, "b": "x", "c": [1]}));
    assert_eq!(read("").await, json!({"a": 1, "b": "x", "c": [1]}));
}

pub async fn events_are_taken_with_or_without_an_id(app: TestApp) {
    let token = app.project_token().await;
    let dev = new_dev(&app, &token, "Doorbell").await;
    let path = format!("/{}/event/report", dev.access_token);
    let r = device_post(
        &app,
        &path,
        &dev.project_key,
        json!({"method": "ring", "params": {"button": 1}, "id": 5}),
    )
    .await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body, json!({"result": 1, "id": "5"}));
    let r = device_post(&app, &path, &dev.project_key, json!({"method": "ring"})).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["result"], 1);
    let id: i64 = r.body["id"].as_str().unwrap().parse().unwrap();
    assert!(id > 1_600_000_000_000, "an id of the time of arrival: {id}");
    // Events are no attributes.
    assert_eq!(raw(&app, &token, &dev).await, json!({}));
}
