//! Devices: create, read, change.

use super::*;

pub async fn devices_get_a_default_type_and_generated_fields(app: TestApp) {
    let token = app.project_token().await;
    let r = post(&app, &token, "/device", json!({"name": "Lamp 1"})).await;
    let created = info(&r);
    assert_eq!(created["name"], "Lamp 1");
    let id = created["id"].as_str().unwrap().to_owned();
    let d = info(&get(&app, &token, &format!("/device/{id}")).await);
    assert_eq!(d["id"], id.as_str());
    assert_eq!(d["name"], "Lamp 1");
    assert_eq!(d["descr"], "");
    assert_eq!(d["device_key"].as_str().unwrap().len(), 16);
    assert_eq!(d["tags"], json!({}));
    assert_eq!(d["alarm"], json!({}));
    assert_eq!(d["active"], json!({}));
    assert_eq!(d["online"], false);
    assert_eq!(d["groups"], json!([]));
    assert_eq!(d["view_token"].as_str().unwrap().len(), 24);
    assert_eq!(d["device_code"].as_str().unwrap().len(), 10);
    assert!(d["create_time"].as_i64().unwrap() > 1_600_000_000_000);
    assert_eq!(d["type_info"]["name"], "Default type");
    assert_eq!(d["type_info"]["conn_type"], "mqtt");
    assert_eq!(d["type_info"]["conn_protocol"], "thingscloud");
    assert_eq!(d["type"], d["type_info"]["id"]);
    assert!(
        d.get("access_token").is_none(),
        "only the certificate shows it"
    );

    // The second device without a type shares the same default type.
    let other = new_device(
        &app,
        &token,
        json!({"name": "Lamp 2", "descr": "hall", "tags": {"a": "1"}, "device_key": "AA:BB:CC"}),
    )
    .await;
    let d2 = info(&get(&app, &token, &format!("/device/{other}")).await);
    assert_eq!(d2["type"], d["type"]);
    assert_eq!(d2["descr"], "hall");
    assert_eq!(d2["tags"], json!({"a": "1"}));
    assert_eq!(d2["device_key"], "AA:BB:CC");
    assert_ne!(d2["view_token"], d["view_token"]);
    let types = info(&get(&app, &token, "/device_types").await);
    assert_eq!(types["items"].as_array().unwrap().len(), 1);
    assert_eq!(types["items"][0]["name"], "Default type");
    assert_eq!(types["items"][0]["device_count"], 2);
}

pub async fn device_creation_is_checked_and_duplicate_keys_refused(app: TestApp) {
    let token = app.project_token().await;
    let t = new_type(&app, &token, "Sensor").await;
    new_device(
        &app,
        &token,
        json!({"name": "s1", "type": t, "device_key": "K-1"}),
    )
    .await;
    for (body, code, message) in [
        (json!({}), 400, "name is required"),
        (json!({"descr": "x"}), 400, "name is required"),
        (
            json!({"name": "x", "type": "999999"}),
            404,
            "device type not found",
        ),
        (
            json!({"name": "x", "type": "abc"}),
            404,
            "device type not found",
        ),
        (
            json!({"name": "x", "device_key": "has space"}),
            400,
            "device_key must be at most 128 characters without spaces",
        ),
        (
            json!({"name": "x", "device_key": "K-1"}),
            409,
            "device_key already exists",
        ),
        (
            json!({"name": "x", "type": t, "device_key": " K-1 "}),
            409,
            "device_key already exists",
        ),
        (json!({"name": 1}), 400, "name has the wrong type"),
        (
            json!({"name": "x", "type": true}),
            400,
            "type has the wrong type",
        ),
        (
            json!({"name": "x", "tags": "a=b"}),
            400,
            "tags has the wrong type",
        ),
    ] {
        let m = refused(&post(&app, &token, "/device", body.clone()).await, code);
        assert!(m.starts_with(message), "{body}: {m}");
    }
    // Nothing half-written: one device, one type (no default type either).
    let list = info(&get(&app, &token, "/devices").await);
    assert_eq!(list["total"], 1);
    let types = info(&get(&app, &token, "/device_types").await);
    assert_eq!(types["items"].as_array().unwrap().len(), 1);
    // Keys are per project.
    let second = app.second_project().await;
    let token_b = app.project_token_for(&second).await;
    new_device(&app, &token_b, json!({"name": "s1", "device_key": "K-1"})).await;
}

pub async fn device_info_tags_and_groups_change(app: TestApp) {
    let token = app.project_token().await;
    let id = new_device(
        &app,
        &token,
        json!({"name": "d", "device_key": "k1", "tags": {"a": "1", "b": "2"}}),
    )
    .await;
    new_device(&app, &token, json!({"name": "other", "device_key": "k2"})).await;
    let path = format!("/device/{id}");

    info(
        &put(
            &app,
            &token,
            &format!("{path}/info"),
            json!({"name": "renamed", "descr": "desk"}),
        )
        .await,
    );
    info(
        &put(
            &app,
            &token,
            &format!("{path}/info"),
            json!({"device_key": "k3"}),
        )
        .await,
    );
    let d = info(&get(&app, &token, &path).await);
    assert_eq!(
        (
            d["name"].as_str(),
            d["descr"].as_str(),
            d["device_key"].as_str()
        ),
        (Some("renamed"), Some("desk"), Some("k3"))
    );
    let m = refused(
        &put(
            &app,
            &token,
            &format!("{path}/info"),
            json!({"device_key": "k2", "name": "zz"}),
        )
        .await,
        409,
    );
    assert_eq!(m, "device_key already exists");
    let m = refused(
        &put(&app, &token, &format!("{path}/info"), json!({})).await,
        400,
    );
    assert_eq!(m, "at least one of name, descr, device_key is required");
    refused(
        &put(&app, &token, &format!("{path}/info"), json!({"name": ""})).await,
        400,
    );
    refused(
        &put(&app, &token, "/device/999999/info", json!({"name": "x"})).await,
        404,
    );
    assert_eq!(info(&get(&app, &token, &path).await)["name"], "renamed");

    // Tags merge, then keys go.
    assert_eq!(
        info(
            &put(
                &app,
                &token,
                &format!("{path}/tags"),
                json!({"tags": {"b": "20", "c": "3"}})
            )
            .await
        ),
        json!({})
    );
    assert_eq!(
        info(&get(&app, &token, &path).await)["tags"],
        json!({"a": "1", "b": "20", "c": "3"})
    );
    info(
        &post(
            &app,
            &token,
            &format!("{path}/tags_remove"),
            json!({"keys": ["a", "c", "zz"]}),
        )
        .await,
    );
    assert_eq!(
        info(&get(&app, &token, &path).await)["tags"],
        json!({"b": "20"})
    );
    assert_eq!(
        refused(
            &put(&app, &token, &format!("{path}/tags"), json!({})).await,
            400
        ),
        "tags is required"
    );
    assert_eq!(
        refused(
            &post(&app, &token, &format!("{path}/tags_remove"), json!({})).await,
            400
        ),
        "keys is required"
    );
    refused(
        &post(
            &app,
            &token,
            &format!("{path}/tags_remove"),
            json!({"keys": "a"}),
        )
        .await,
        400,
    );
    let many: serde_json::Map<String, Value> =
        (0..50).map(|i| (format!("t{i}"), json!("v"))).collect();
    let m = refused(
        &put(&app, &token, &format!("{path}/tags"), json!({"tags": many})).await,
        400,
    );
    assert_eq!(m, "a device can have at most 50 tags");
    refused(
        &put(
            &app,
            &token,
            "/device/999999/tags",
            json!({"tags": {"a": "b"}}),
        )
        .await,
        404,
    );
    assert_eq!(
        info(&get(&app, &token, &path).await)["tags"],
        json!({"b": "20"})
    );

    // Groups are replaced as a set; an unknown group changes nothing.
    let g1 = new_group(&app, &token, "g1", None).await;
    let g2 = new_group(&app, &token, "g2", Some(&g1)).await;
    info(
        &put(
            &app,
            &token,
            &format!("{path}/groups"),
            json!({"groups": [g2, g1, g1]}),
        )
        .await,
    );
    assert_eq!(
        info(&get(&app, &token, &path).await)["groups"],
        json!([g1, g2])
    );
    let m = refused(
        &put(
            &app,
            &token,
            &format!("{path}/groups"),
            json!({"groups": [g1, "999999"]}),
        )
        .await,
        404,
    );
    assert_eq!(m, "device group not found");
    refused(
        &put(
            &app,
            &token,
            &format!("{path}/groups"),
            json!({"groups": ["abc"]}),
        )
        .await,
        404,
    );
    assert_eq!(
        info(&get(&app, &token, &path).await)["groups"],
        json!([g1, g2])
    );
    info(
        &put(
            &app,
            &token,
            &format!("{path}/groups"),
            json!({"groups": [g2.parse::<i64>().unwrap()]}),
        )
        .await,
    );
    assert_eq!(info(&get(&app, &token, &path).await)["groups"], json!([g2]));
    info(
        &put(
            &app,
            &token,
            &format!("{path}/groups"),
            json!({"groups": []}),
        )
        .await,
    );
    assert_eq!(info(&get(&app, &token, &path).await)["groups"], json!([]));
    assert_eq!(
        refused(
            &put(&app, &token, &format!("{path}/groups"), json!({})).await,
            400
        ),
        "groups is required"
    );
    refused(
        &put(&app, &token, "/device/999999/groups", json!({"groups": []})).await,
        404,
    );
}
