//! Device types and their extend-info definitions.

use super::*;

pub async fn device_types_are_created_listed_changed_and_deleted(app: TestApp) {
    let token = app.project_token().await;
    let empty = info(&get(&app, &token, "/device_types").await);
    assert_eq!(empty, json!({"items": []}));

    let r = post(
        &app,
        &token,
        "/device_type",
        json!({"name": " Lamp ", "descr": "ceiling lamps", "tags": {"floor": "2"},
               "conn_type": "MQTT", "is_gateway": true}),
    )
    .await;
    let created = info(&r);
    let id = created["id"].as_str().unwrap().to_owned();
    assert!(id.parse::<i64>().is_ok());
    assert_eq!(created["name"], "Lamp");
    assert_eq!(created["descr"], "ceiling lamps");
    assert_eq!(created["tags"], json!({"floor": "2"}));
    assert_eq!(created["conn_type"], "mqtt");
    assert_eq!(created["conn_protocol"], "thingscloud");
    assert_eq!(created["device_count"], 0);
    assert_eq!(created["is_gateway"], true);
    assert_eq!(created["allow_share"], true);
    assert_eq!(created["type_key"].as_str().unwrap().len(), 20);
    assert!(created["create_time"].as_i64().unwrap() > 1_600_000_000_000);

    // Listed with its device count.
    new_device(&app, &token, json!({"name": "d1", "type": id})).await;
    new_device(
        &app,
        &token,
        json!({"name": "d2", "type": id.parse::<i64>().unwrap()}),
    )
    .await;
    let list = info(&get(&app, &token, "/device_types").await);
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], id.as_str());
    assert_eq!(items[0]["device_count"], 2);
    assert_eq!(items[0]["type_key"], created["type_key"]);

    // Changed.
    let path = format!("/device_type/{id}");
    let r = put(
        &app,
        &token,
        &path,
        json!({"name": "Lamp 2", "tags": {"a": "b"}, "conn_protocol": "modbus"}),
    )
    .await;
    assert_eq!(info(&r), json!({}));
    let list = info(&get(&app, &token, "/device_types").await);
    assert_eq!(list["items"][0]["name"], "Lamp 2");
    assert_eq!(list["items"][0]["tags"], json!({"a": "b"}));
    assert_eq!(list["items"][0]["conn_protocol"], "modbus");
    assert_eq!(list["items"][0]["descr"], "ceiling lamps");
    let m = refused(&put(&app, &token, &path, json!({})).await, 400);
    assert!(m.starts_with("at least one of"), "{m}");
    refused(
        &put(&app, &token, "/device_type/99999", json!({"name": "x"})).await,
        404,
    );

    // Refused while devices have it.
    let m = refused(&delete(&app, &token, &path).await, 423);
    assert_eq!(m, "still in use by devices");
    let devices = info(&get(&app, &token, &format!("/devices?type={id}")).await);
    for d in devices["items"].as_array().unwrap() {
        let did = d["id"].as_str().unwrap();
        info(&delete(&app, &token, &format!("/device/{did}")).await);
    }
    assert_eq!(info(&delete(&app, &token, &path).await), json!({}));
    let m = refused(&delete(&app, &token, &path).await, 404);
    assert_eq!(m, "device type not found");
    refused(
        &get(&app, &token, &format!("{path}/extend_infos")).await,
        404,
    );
    assert_eq!(
        info(&get(&app, &token, "/device_types").await),
        json!({"items": []})
    );
}

pub async fn extend_info_definitions_are_defined_and_deleted(app: TestApp) {
    let token = app.project_token().await;
    let id = new_type(&app, &token, "Meter").await;
    let path = format!("/device_type/{id}/extend_infos");
    let defs = info(&get(&app, &token, &path).await);
    let items = defs["items"].as_array().unwrap();
    let standard: Vec<&str> = items
        .iter()
        .map(|i| i["info_type"].as_str().unwrap())
        .collect();
    assert_eq!(standard, ["location", "contact"]);
    for i in items {
        assert_eq!(i["is_standard"], true);
        assert_eq!(i["enabled"], true);
        assert!(i["options"].is_object());
        assert!(i["id"].is_string());
        assert!(i["create_time"].is_i64() && i["update_time"].is_i64());
    }

    let r = post(
        &app,
        &token,
        &format!("/device_type/{id}/extend_info"),
        json!({"info_type": "number", "name": "Floor", "descr": "which floor", "options": {"unit": "m"}}),
    )
    .await;
    let def = info(&r);
    assert_eq!(def["info_type"], "number");
    assert_eq!(def["name"], "Floor");
    assert_eq!(def["options"], json!({"unit": "m"}));
    assert_eq!(def["is_standard"], false);
    assert_eq!(def["enabled"], true);
    let disabled = post(
        &app,
        &token,
        &format!("/device_type/{id}/extend_info"),
        json!({"info_type": "object", "name": "Spec", "enabled": false}),
    )
    .await;
    assert_eq!(info(&disabled)["enabled"], false);
    let defs = info(&get(&app, &token, &path).await);
    assert_eq!(defs["items"].as_array().unwrap().len(), 4);
    assert_eq!(defs["items"][2]["id"], def["id"]);

    for (body, message) in [
        (json!({"name": "x"}), "info_type is required"),
        (
            json!({"info_type": "date", "name": "x"}),
            "info_type must be string, number, boolean or object",
        ),
        (json!({"info_type": "string"}), "name is required"),
        (
            json!({"info_type": "string", "name": "x", "options": [1]}),
            "options must be an object",
        ),
    ] {
        let r = post(
            &app,
            &token,
            &format!("/device_type/{id}/extend_info"),
            body,
        )
        .await;
        assert_eq!(refused(&r, 400), message);
    }
    let r = post(
        &app,
        &token,
        "/device_type/424242/extend_info",
        json!({"info_type": "string", "name": "x"}),
    )
    .await;
    refused(&r, 404);

    // Standard ones stay; custom ones go.
    let location = defs["items"][0]["id"].as_str().unwrap();
    let r = delete(
        &app,
        &token,
        &format!("/device_type/{id}/extend_info/{location}"),
    )
    .await;
    assert_eq!(refused(&r, 400), "standard extend infos cannot be deleted");
    let custom = def["id"].as_str().unwrap();
    let r = delete(
        &app,
        &token,
        &format!("/device_type/{id}/extend_info/{custom}"),
    )
    .await;
    assert_eq!(info(&r), json!({}));
    let r = delete(
        &app,
        &token,
        &format!("/device_type/{id}/extend_info/{custom}"),
    )
    .await;
    assert_eq!(refused(&r, 404), "extend info not found");
    let r = delete(&app, &token, &format!("/device_type/{id}/extend_info/abc")).await;
    refused(&r, 404);
    // A definition of another type is not this type's.
    let other = new_type(&app, &token, "Other").await;
    let spec = info(&disabled)["id"].as_str().unwrap().to_owned();
    let r = delete(
        &app,
        &token,
        &format!("/device_type/{other}/extend_info/{spec}"),
    )
    .await;
    refused(&r, 404);
    assert_eq!(
        info(&get(&app, &token, &path).await)["items"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

pub async fn device_type_input_is_checked(app: TestApp) {
    let token = app.project_token().await;
    for (body, message) in [
        (json!({}), "name is required"),
        (json!({"name": "  "}), "name is required"),
        (
            json!({"name": "x", "conn_type": "coap"}),
            "conn_type must be mqtt, tcp or http",
        ),
        (
            json!({"name": "x", "conn_protocol": "has space"}),
            "conn_protocol must be 1 to 32 letters, digits, '_' or '-'",
        ),
        (
            json!({"name": "x".repeat(129)}),
            "name must be at most 128 characters without control characters",
        ),
    ] {
        let r = post(&app, &token, "/device_type", body).await;
        assert_eq!(refused(&r, 400), message);
    }
    // Wrong JSON types are named.
    let r = post(&app, &token, "/device_type", json!({"name": 5})).await;
    assert!(refused(&r, 400).starts_with("name has the wrong type"));
    let r = post(
        &app,
        &token,
        "/device_type",
        json!({"name": "x", "tags": {"k": 1}}),
    )
    .await;
    assert!(refused(&r, 400).starts_with("tags.k has the wrong type"));
    let r = post(
        &app,
        &token,
        "/device_type",
        json!({"name": "x", "is_gateway": "yes"}),
    )
    .await;
    assert!(refused(&r, 400).starts_with("is_gateway has the wrong type"));
    // Malformed JSON: the document's 404.
    let r = app
        .send(
            app.http
                .post(app.url("/api/v1/device_type"))
                .bearer_auth(&token)
                .body("{\"name\": "),
        )
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(
        r.body,
        json!({"result": false, "message": "Invalid JSON message", "errcode": 400})
    );
    assert_eq!(
        info(&get(&app, &token, "/device_types").await),
        json!({"items": []})
    );
}
