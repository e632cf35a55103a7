//! A device's extend infos and the device statistics.

use super::*;

pub async fn extend_infos_take_values_of_their_type(app: TestApp) {
    let token = app.project_token().await;
    let t = new_type(&app, &token, "Kiosk").await;
    let text = new_info(&app, &token, &t, "string").await;
    let number = new_info(&app, &token, &t, "number").await;
    let flag = new_info(&app, &token, &t, "boolean").await;
    let object = new_info(&app, &token, &t, "object").await;
    let id = new_device(&app, &token, json!({"name": "k1", "type": t})).await;
    let path = format!("/device/{id}/extend_infos");

    let before = info(&get(&app, &token, &path).await);
    let items = before["items"].as_array().unwrap();
    assert_eq!(items.len(), 6);
    assert!(items.iter().all(|i| i["value"].is_null()));
    assert_eq!(items[0]["info_type"], "location");
    assert_eq!(items[0]["is_standard"], true);
    assert_eq!(items[2]["id"], text.as_str());
    for key in [
        "id",
        "info_type",
        "name",
        "descr",
        "value",
        "options",
        "create_time",
        "update_time",
        "is_standard",
    ] {
        assert!(items[2].get(key).is_some(), "{key}");
    }

    let body = json!({"infos": {
        text.clone(): "hello", number.clone(): 2.5, flag.clone(): true, object.clone(): {"a": [1]}
    }});
    let written = info(&post(&app, &token, &path, body).await);
    assert_eq!(written[&text], "hello");
    assert_eq!(written[&number], 2.5);
    assert_eq!(written[&flag], true);
    assert_eq!(written[&object], json!({"a": [1]}));
    let after = info(&get(&app, &token, &path).await);
    let value = |id: &str| {
        after["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .unwrap()["value"]
            .clone()
    };
    assert_eq!(value(&text), "hello");
    assert_eq!(value(&object), json!({"a": [1]}));
    // Only the ones given change.
    // "07" and "7" name the same definition: one value is written.
    let padded = format!("0{number}");
    let r = post(
        &app,
        &token,
        &path,
        json!({"infos": {number.clone(): 1, padded: 1}}),
    )
    .await;
    assert_eq!(info(&r), json!({number.clone(): 1}));
    info(&post(&app, &token, &path, json!({"infos": {number.clone(): 3}})).await);
    let again = info(&get(&app, &token, &path).await);
    assert_eq!(again["items"][2]["value"], "hello");
    assert_eq!(again["items"][3]["value"], 3);

    let standard = before["items"][0]["id"].as_str().unwrap().to_owned();
    let other_type = new_type(&app, &token, "Other").await;
    let foreign_def = new_info(&app, &token, &other_type, "string").await;
    for (infos, code, message) in [
        (
            json!({number.clone(): "3"}),
            400,
            format!("infos.{number} must be a number"),
        ),
        (
            json!({text.clone(): 1}),
            400,
            format!("infos.{text} must be a string"),
        ),
        (
            json!({flag.clone(): "true"}),
            400,
            format!("infos.{flag} must be a boolean"),
        ),
        (
            json!({object.clone(): [1]}),
            400,
            format!("infos.{object} must be an object"),
        ),
        (
            json!({text.clone(): "x", "999999": "y"}),
            404,
            "extend info not found".to_owned(),
        ),
        (json!({"abc": "y"}), 404, "extend info not found".to_owned()),
        (
            json!({standard.clone(): {"lng": 1, "lat": 1}}),
            404,
            "extend info not found".to_owned(),
        ),
        (
            json!({foreign_def.clone(): "x"}),
            404,
            "extend info not found".to_owned(),
        ),
        (json!({}), 400, "infos must not be empty".to_owned()),
    ] {
        let m = refused(
            &post(&app, &token, &path, json!({"infos": infos})).await,
            code,
        );
        assert_eq!(m, message);
    }
    assert_eq!(
        refused(&post(&app, &token, &path, json!({})).await, 400),
        "infos is required"
    );
    refused(&post(&app, &token, &path, json!({"infos": [1]})).await, 400);
    refused(
        &post(
            &app,
            &token,
            "/device/999999/extend_infos",
            json!({"infos": {text.clone(): "x"}}),
        )
        .await,
        404,
    );
    refused(&get(&app, &token, "/device/999999/extend_infos").await, 404);
    // Nothing of the refused writes landed.
    assert_eq!(info(&get(&app, &token, &path).await), again);
}

pub async fn standard_infos_are_checked_per_type(app: TestApp) {
    let token = app.project_token().await;
    let id = new_device(&app, &token, json!({"name": "pole"})).await;
    let path = format!("/device/{id}/standard_infos");
    let location = json!({"lng": 120.15, "lat": 30.28, "address": "West Lake"});
    let r = post(
        &app,
        &token,
        &path,
        json!({"info_type": "location", "value": location}),
    )
    .await;
    assert_eq!(info(&r), json!({"location": location}));
    let r = post(
        &app,
        &token,
        &path,
        json!({"info_type": "contact", "value": {"name": "Wang", "phone": "13800000000"}}),
    )
    .await;
    assert_eq!(
        info(&r),
        json!({"contact": {"name": "Wang", "phone": "13800000000"}})
    );
    let infos = info(&get(&app, &token, &format!("/device/{id}/extend_infos")).await);
    assert_eq!(infos["items"][0]["value"], location);
    assert_eq!(infos["items"][1]["value"]["name"], "Wang");
    // Replaced, not merged.
    info(
        &post(
            &app,
            &token,
            &path,
            json!({"info_type": "location", "value": {"lng": 1, "lat": 2}}),
        )
        .await,
    );
    let infos = info(&get(&app, &token, &format!("/device/{id}/extend_infos")).await);
    assert_eq!(infos["items"][0]["value"], json!({"lng": 1, "lat": 2}));

    for (body, message) in [
        (json!({"value": {}}), "info_type is required"),
        (
            json!({"info_type": "weather", "value": {}}),
            "info_type must be one of location, contact",
        ),
        (json!({"info_type": "location"}), "value is required"),
        (
            json!({"info_type": "location", "value": {"lng": 1}}),
            "value.lat is required",
        ),
        (
            json!({"info_type": "location", "value": {"lng": 1, "lat": 91}}),
            "value.lat must be a number from -90 to 90",
        ),
        (
            json!({"info_type": "location", "value": {"lng": 1, "lat": 1, "alt": 3}}),
            "value.alt is not a key of this info type (lng, lat, address)",
        ),
        (
            json!({"info_type": "location", "value": "here"}),
            "value must be an object",
        ),
        (
            json!({"info_type": "contact", "value": {}}),
            "value must have at least one of name, phone, email",
        ),
        (
            json!({"info_type": "contact", "value": {"phone": 138}}),
            "value.phone must be a string of at most 32 characters",
        ),
    ] {
        assert_eq!(
            refused(&post(&app, &token, &path, body).await, 400),
            message
        );
    }
    refused(
        &post(
            &app,
            &token,
            "/device/999999/standard_infos",
            json!({"info_type": "location", "value": location}),
        )
        .await,
        404,
    );
    let still = info(&get(&app, &token, &format!("/device/{id}/extend_infos")).await);
    assert_eq!(still["items"][0]["value"], json!({"lng": 1, "lat": 2}));
}

pub async fn statistics_count_the_project_devices(app: TestApp) {
    let token = app.project_token().await;
    let stat = info(&get(&app, &token, "/devices_stat").await);
    assert_eq!(
        stat,
        json!({"device_total": 0, "online_device_total": 0, "offline_device_total": 0,
               "active_device_total": 0, "inactive_device_total": 0, "alarm_device_total": 0})
    );
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(new_device(&app, &token, json!({"name": format!("d{i}")})).await);
    }
    let stat = info(&get(&app, &token, "/devices_stat").await);
    assert_eq!(stat["device_total"], 5);
    assert_eq!(stat["offline_device_total"], 5);
    assert_eq!(stat["inactive_device_total"], 5);
    assert_eq!(stat["alarm_device_total"], 0);
    let alarm = info(&get(&app, &token, "/devices_alarm_stat").await);
    assert_eq!(
        alarm,
        json!({"device_total": 5, "alarm_1_total": 0, "alarm_2_total": 0, "alarm_3_total": 0, "normal_total": 5})
    );

    // What the connectivity and alarm features will write.
    app.execute_sql(&format!(
        "UPDATE devices SET online = TRUE, active = '{{\"attributes\": 1700000000000}}' WHERE id IN ({}, {})",
        ids[0], ids[1]
    ))
    .await;
    app.execute_sql(&format!(
        "UPDATE devices SET alarm = '{{\"level\": 2}}', alarm_level = 2 WHERE id = {}",
        ids[2]
    ))
    .await;
    app.execute_sql(&format!(
        "UPDATE devices SET alarm = '{{\"level\": 3}}', alarm_level = 3 WHERE id = {}",
        ids[3]
    ))
    .await;
    let stat = info(&get(&app, &token, "/devices_stat").await);
    assert_eq!(
        stat,
        json!({"device_total": 5, "online_device_total": 2, "offline_device_total": 3,
               "active_device_total": 2, "inactive_device_total": 3, "alarm_device_total": 2})
    );
    let alarm = info(&get(&app, &token, "/devices_alarm_stat").await);
    assert_eq!(
        alarm,
        json!({"device_total": 5, "alarm_1_total": 0, "alarm_2_total": 1, "alarm_3_total": 1, "normal_total": 3})
    );
    let d = info(&get(&app, &token, &format!("/device/{}", ids[0])).await);
    assert_eq!(d["online"], true);
    assert_eq!(d["active"], json!({"attributes": 1_700_000_000_000_i64}));

    // Another project counts its own.
    let second = app.second_project().await;
    let token_b = app.project_token_for(&second).await;
    assert_eq!(
        info(&get(&app, &token_b, "/devices_stat").await)["device_total"],
        0
    );
    assert_eq!(
        info(&get(&app, &token_b, "/devices_alarm_stat").await)["normal_total"],
        0
    );
}
