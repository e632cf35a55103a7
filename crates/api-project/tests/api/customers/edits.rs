//! Changing a customer's profile, tags and password, and deleting it.

use serde_json::json;
use thingstead_testkit::TestApp;

use super::*;

async fn put_info(app: &TestApp, token: &str, id: &str, body: Value) -> Reply {
    app.put_auth(&format!("/api/v1/customer/{id}/info"), body, token)
        .await
}

pub async fn info_changes_profile_fields(app: TestApp) {
    let token = app.project_token().await;
    let id = create_customer(
        &app,
        &token,
        json!({"name": "Fay", "account": "fay", "password": PW, "descr": "old",
               "email": "fay@example.com", "mobile": "13800000010", "tags": {"a": "1"}}),
    )
    .await;
    let r = put_info(
        &app,
        &token,
        &id,
        json!({"name": "Fay Two", "descr": "new", "email": "fay2@example.com", "mobile": "13800000011"}),
    )
    .await;
    assert_eq!(info(&r), &json!({}));
    let r = read(&app, &token, &id).await;
    let c = info(&r);
    assert_eq!(
        (&c["name"], &c["descr"], &c["email"], &c["mobile"]),
        (
            &json!("Fay Two"),
            &json!("new"),
            &json!("fay2@example.com"),
            &json!("13800000011")
        )
    );
    assert_eq!(
        (&c["account"], &c["tags"]),
        (&json!("fay"), &json!({"a": "1"}))
    );

    // One field at a time leaves the others alone.
    info(&put_info(&app, &token, &id, json!({"descr": ""})).await);
    let r = read(&app, &token, &id).await;
    assert_eq!(
        (&info(&r)["descr"], &info(&r)["name"]),
        (&json!(""), &json!("Fay Two"))
    );

    // "" removes the e-mail and the mobile; the account still logs in.
    info(&put_info(&app, &token, &id, json!({"email": "", "mobile": ""})).await);
    let r = read(&app, &token, &id).await;
    assert_eq!(
        (&info(&r)["email"], &info(&r)["mobile"]),
        (&json!(""), &json!(""))
    );

    // Extensions: locale and role.
    let role = app
        .post_auth("/api/v1/customer_role", json!({"name": "family"}), &token)
        .await;
    let role_id = info(&role)["id"].as_str().unwrap().to_owned();
    info(
        &put_info(
            &app,
            &token,
            &id,
            json!({"locale": "en-US", "role_id": role_id}),
        )
        .await,
    );
    let r = read(&app, &token, &id).await;
    assert_eq!(
        (&info(&r)["locale"], &info(&r)["role_id"]),
        (&json!("en-US"), &json!(role_id))
    );
    info(&put_info(&app, &token, &id, json!({"role_id": ""})).await);
    let r = read(&app, &token, &id).await;
    assert_eq!(info(&r)["role_id"], "");

    // The new mobile is a login name in seed 001.
    info(&put_info(&app, &token, &id, json!({"mobile": "13800000012"})).await);
    lock_token(&app, "13800000012", PW).await;
}

pub async fn info_refuses_bad_input(app: TestApp) {
    let token = app.project_token().await;
    let id = customer(&app, &token, "gus").await;
    let other = create_customer(
        &app,
        &token,
        json!({"name": "Hal", "account": "hal", "password": PW,
               "mobile": "13800000020", "email": "hal@example.com"}),
    )
    .await;
    let before = read(&app, &token, &id).await.body;
    for (body, field) in [
        (json!({}), "name"),
        (json!({"name": ""}), "name"),
        (json!({"name": 5}), "name"),
        (json!({"email": "nope"}), "email"),
        (json!({"mobile": "x1"}), "mobile"),
        (json!({"locale": "a b"}), "locale"),
        (json!({"descr": ["x"]}), "descr"),
    ] {
        bad_field(&put_info(&app, &token, &id, body).await, field);
    }
    for (body, field) in [
        (json!({"mobile": "13800000020"}), "mobile"),
        (json!({"email": "HAL@example.com"}), "email"),
        // With a valid field beside it: still nothing written.
        (
            json!({"name": "Changed", "email": "hal@example.com"}),
            "email",
        ),
    ] {
        let r = put_info(&app, &token, &id, body).await;
        refused(&r, 409);
        assert_eq!(r.body["message"], format!("{field} already exists"));
    }
    // A role that does not exist, and ids that name nothing.
    refused(
        &put_info(&app, &token, &id, json!({"role_id": "777777"})).await,
        404,
    );
    refused(
        &put_info(&app, &token, &id, json!({"role_id": "abc"})).await,
        404,
    );
    for bad in ["999999", "abc"] {
        refused(
            &put_info(&app, &token, bad, json!({"name": "x"})).await,
            404,
        );
    }
    // Nothing changed.
    assert_eq!(read(&app, &token, &id).await.body, before);
    assert_eq!(
        info(&read(&app, &token, &other).await)["mobile"],
        "13800000020"
    );
    // A customer that logs in with its mobile only keeps it.
    app.code_login_lock("13500000001", "phone-1").await;
    let app_user = all_customers(&app, &token)
        .await
        .into_iter()
        .find(|c| c["mobile"] == "13500000001")
        .unwrap();
    let r = put_info(
        &app,
        &token,
        app_user["id"].as_str().unwrap(),
        json!({"mobile": ""}),
    )
    .await;
    bad_field(&r, "mobile");
}

pub async fn tags_merge(app: TestApp) {
    let token = app.project_token().await;
    let id = create_customer(
        &app,
        &token,
        json!({"name": "Ida", "account": "ida", "password": PW, "tags": {"a": "1", "b": "2"}}),
    )
    .await;
    let path = format!("/api/v1/customer/{id}/tags");
    let r = app
        .put_auth(&path, json!({"tags": {"b": "3", "c": "4"}}), &token)
        .await;
    assert_eq!(info(&r), &json!({}));
    let r = read(&app, &token, &id).await;
    assert_eq!(info(&r)["tags"], json!({"a": "1", "b": "3", "c": "4"}));
    // An empty map changes nothing.
    info(&app.put_auth(&path, json!({"tags": {}}), &token).await);
    for (body, field) in [
        (json!({}), "tags"),
        (json!({"tags": "a=1"}), "tags"),
        (json!({"tags": {"k": true}}), "tags"),
        (json!({"tags": {" ": "v"}}), "tags"),
    ] {
        bad_field(&app.put_auth(&path, body, &token).await, field);
    }
    // At most 64 tags in all.
    let many: serde_json::Map<String, Value> =
        (0..62).map(|i| (format!("k{i}"), json!("v"))).collect();
    bad_field(
        &app.put_auth(&path, json!({"tags": many}), &token).await,
        "tags",
    );
    let r = read(&app, &token, &id).await;
    assert_eq!(info(&r)["tags"], json!({"a": "1", "b": "3", "c": "4"}));
    for bad in ["999999", "x"] {
        let r = app
            .put_auth(
                &format!("/api/v1/customer/{bad}/tags"),
                json!({"tags": {"a": "b"}}),
                &token,
            )
            .await;
        refused(&r, 404);
    }
}

pub async fn password_change_ends_the_customers_sessions(app: TestApp) {
    let token = app.project_token().await;
    let id = customer(&app, &token, "jan").await;
    let session = lock_token(&app, "jan", PW).await;
    let other = customer(&app, &token, "kim").await;
    let bystander = lock_token(&app, "kim", PW).await;
    assert_eq!(detail_code(&app, &session).await, 0);
    let path = format!("/api/v1/customer/{id}/pwd");
    bad_field(&app.put_auth(&path, json!({}), &token).await, "password");
    bad_field(
        &app.put_auth(&path, json!({"password": "short"}), &token)
            .await,
        "password",
    );
    bad_field(
        &app.put_auth(&path, json!({"password": ["x"]}), &token)
            .await,
        "password",
    );
    refused(
        &app.put_auth(
            "/api/v1/customer/999999/pwd",
            json!({"password": "new-pass-22"}),
            &token,
        )
        .await,
        404,
    );
    // Still the old password and session.
    assert_eq!(detail_code(&app, &session).await, 0);

    let r = app
        .put_auth(&path, json!({"password": "new-pass-22"}), &token)
        .await;
    assert_eq!(info(&r), &json!({}));
    let gone = app.post_auth("/v1/user/detail", json!({}), &session).await;
    assert_eq!(
        (gone.status, gone.body["errorCode"].as_i64()),
        (401, Some(401))
    );
    assert_ne!(lock_login(&app, "jan", PW).await.body["errorCode"], 0);
    lock_token(&app, "jan", "new-pass-22").await;
    // Another customer's session is untouched.
    assert_eq!(detail_code(&app, &bystander).await, 0);
    assert!(read(&app, &token, &other).await.body["result"] == true);
}

pub async fn delete_removes_the_customer_and_its_sessions(app: TestApp) {
    let token = app.project_token().await;
    let id = create_customer(
        &app,
        &token,
        json!({"name": "Lea", "account": "lea", "password": PW, "mobile": "13800000030"}),
    )
    .await;
    // A session with a terminal, and one without.
    let phone = app.code_login_lock("13800000030", "lea-phone").await;
    let web = lock_token(&app, "lea", PW).await;
    let keep = customer(&app, &token, "max").await;
    let kept_session = lock_token(&app, "max", PW).await;

    let path = format!("/api/v1/customer/{id}");
    let r = app.delete_auth(&path, &token).await;
    assert_eq!(info(&r), &json!({}));
    for session in [&web, &phone] {
        let gone = app.post_auth("/v1/user/detail", json!({}), session).await;
        assert_eq!(
            (gone.status, gone.body["errorCode"].as_i64()),
            (401, Some(401))
        );
    }
    refused(&read(&app, &token, &id).await, 404);
    refused(&app.delete_auth(&path, &token).await, 404);
    assert_ne!(lock_login(&app, "lea", PW).await.body["errorCode"], 0);
    assert_ne!(
        lock_login(&app, "13800000030", PW).await.body["errorCode"],
        0
    );
    for bad in ["999999", "zzz", "0"] {
        refused(
            &app.delete_auth(&format!("/api/v1/customer/{bad}"), &token)
                .await,
            404,
        );
    }
    // Others stay; the account and mobile are free again.
    let left = all_customers(&app, &token).await;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["id"], keep.as_str());
    assert_eq!(detail_code(&app, &kept_session).await, 0);
    create_customer(
        &app,
        &token,
        json!({"name": "Lea again", "account": "lea", "password": PW, "mobile": "13800000030"}),
    )
    .await;
}
