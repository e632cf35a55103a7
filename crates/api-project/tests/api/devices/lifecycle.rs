//! Certificates and deleting devices.

use super::*;

pub async fn certificates_show_and_rotate_the_access_token(app: TestApp) {
    let token = app.project_token().await;
    let id = new_device(&app, &token, json!({"name": "meter"})).await;
    let path = format!("/device/{id}/certificate");
    let cert = info(&get(&app, &token, &path).await);
    assert_eq!(cert["id"], id.as_str());
    assert_eq!(cert["name"], "meter");
    let access = cert["access_token"].as_str().unwrap().to_owned();
    assert!(access.len() >= 22, "{access}");
    assert_eq!(cert["project_key"], app.credentials["project_key"]);
    // The same token every time it is read.
    assert_eq!(info(&get(&app, &token, &path).await), cert);
    // Every device has its own.
    let other = new_device(&app, &token, json!({"name": "meter 2"})).await;
    let other_cert = info(&get(&app, &token, &format!("/device/{other}/certificate")).await);
    assert_ne!(other_cert["access_token"], cert["access_token"]);

    let rotated = info(&post(&app, &token, &format!("{path}/rotate"), json!({})).await);
    assert_ne!(rotated["access_token"], cert["access_token"]);
    assert!(rotated["access_token"].as_str().unwrap().len() >= 22);
    assert_eq!(rotated["project_key"], cert["project_key"]);
    assert_eq!(info(&get(&app, &token, &path).await), rotated);
    refused(&get(&app, &token, "/device/999999/certificate").await, 404);
    refused(
        &post(&app, &token, "/device/999999/certificate/rotate", json!({})).await,
        404,
    );
}

pub async fn devices_are_deleted_with_their_links(app: TestApp) {
    let token = app.project_token().await;
    let t = new_type(&app, &token, "T").await;
    let def = new_info(&app, &token, &t, "string").await;
    let g = new_group(&app, &token, "g", None).await;
    let id = new_device(
        &app,
        &token,
        json!({"name": "d", "type": t, "device_key": "dk"}),
    )
    .await;
    info(
        &put(
            &app,
            &token,
            &format!("/device/{id}/groups"),
            json!({"groups": [g]}),
        )
        .await,
    );
    info(
        &post(
            &app,
            &token,
            &format!("/device/{id}/extend_infos"),
            json!({"infos": {def.clone(): "v"}}),
        )
        .await,
    );
    info(
        &post(
            &app,
            &token,
            &format!("/device/{id}/standard_infos"),
            json!({"info_type": "contact", "value": {"name": "Li"}}),
        )
        .await,
    );

    assert_eq!(
        info(&delete(&app, &token, &format!("/device/{id}")).await),
        json!({})
    );
    assert_eq!(
        refused(&get(&app, &token, &format!("/device/{id}")).await, 404),
        "device not found"
    );
    refused(&delete(&app, &token, &format!("/device/{id}")).await, 404);
    refused(&delete(&app, &token, "/device/abc").await, 404);
    assert_eq!(
        info(&get(&app, &token, &format!("/devices?group={g}")).await)["total"],
        0
    );
    // The key is free again; the type and group can go.
    new_device(&app, &token, json!({"name": "d", "device_key": "dk"})).await;
    info(&delete(&app, &token, &format!("/device_group/{g}")).await);
    info(&delete(&app, &token, &format!("/device_type/{t}")).await);
}
