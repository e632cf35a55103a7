//! Extensions: the project's API apps and admins.

use serde_json::json;
use thingstead_testkit::{TestApp, on_both_backends};

use super::{admin_body, info, refused};

on_both_backends!(apps_are_managed, admins_are_managed);

async fn apps_are_managed(app: TestApp) {
    let token = app.project_token().await;
    let first_app_id = app.credentials["api_app"]["app_id"].clone();
    let r = app.get_auth("/api/v1/apps", &token).await;
    let items = info(&r)["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["app_id"], first_app_id);
    assert_eq!(items[0]["name"], "Default API app");
    assert_eq!(
        items[0]["access_key"],
        app.credentials["api_app"]["access_key"]
    );
    assert!(items[0]["id"].is_string() && items[0]["create_time"].is_i64());
    assert!(items[0].get("secret_key").is_none() && items[0].get("secret_hash").is_none());

    let r = app
        .post_json_auth("/api/v1/apps", json!({"name": "Backend"}), &token)
        .await;
    let created = info(&r).clone();
    assert_eq!(created["name"], "Backend");
    assert_eq!(created["app_id"].as_str().unwrap().len(), 12);
    let creds = json!({"api_app": created});
    let backend_token = app.project_token_for(&creds).await;
    info(&app.get_auth("/api/v1/project", &backend_token).await);
    // Without a body: the default name.
    let r = app.post_raw_auth("/api/v1/apps", "", &token).await;
    let unnamed = info(&r).clone();
    assert_eq!(unnamed["name"], "API app");
    let r = app.get_auth("/api/v1/apps", &token).await;
    assert_eq!(info(&r)["items"].as_array().unwrap().len(), 3);

    refused(
        &app.post_json_auth("/api/v1/apps", json!({"name": 7}), &token)
            .await,
        400,
    );
    let long = "x".repeat(65);
    refused(
        &app.post_json_auth("/api/v1/apps", json!({"name": long}), &token)
            .await,
        400,
    );
    refused(
        &app.post_json_auth("/api/v1/apps", json!({"name": " "}), &token)
            .await,
        400,
    );

    // Deleting an app ends its tokens.
    let path = format!("/api/v1/app/{}", created["app_id"].as_str().unwrap());
    info(&app.delete_auth(&path, &token).await);
    refused(&app.get_auth("/api/v1/project", &backend_token).await, 401);
    refused(&app.delete_auth(&path, &token).await, 404);
    refused(
        &app.delete_auth("/api/v1/app/not-a-number", &token).await,
        404,
    );
    let path = format!("/api/v1/app/{}", unnamed["app_id"].as_str().unwrap());
    info(&app.delete_auth(&path, &token).await);
    // The last app stays.
    let path = format!("/api/v1/app/{}", first_app_id.as_str().unwrap());
    refused(&app.delete_auth(&path, &token).await, 423);
    info(&app.get_auth("/api/v1/project", &token).await);
    refused(&app.get("/api/v1/apps", &[]).await, 401);
}

async fn admins_are_managed(app: TestApp) {
    let token = app.admin_token().await;
    let r = app.get_auth("/api/v1/admins", &token).await;
    let items = info(&r)["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["account"], "admin");
    assert!(items[0].get("password_hash").is_none());
    let first_admin_id = items[0]["id"].as_str().unwrap().to_owned();

    let body = json!({"account": "ops", "password": "secret-pass", "name": "Ops team",
                      "email": "Ops@Example.com", "tags": {"team": "a"}});
    let r = app
        .post_json_auth("/api/v1/admins", body.clone(), &token)
        .await;
    let ops = info(&r).clone();
    assert_eq!(ops["account"], "ops");
    assert_eq!(ops["name"], "Ops team");
    assert_eq!(ops["email"], "ops@example.com");
    assert_eq!(ops["tags"], json!({"team": "a"}));
    assert!(ops["create_time"].is_i64());
    let ops_id = ops["id"].as_str().unwrap().to_owned();
    refused(
        &app.post_json_auth("/api/v1/admins", body, &token).await,
        409,
    );

    for (bad, field) in [
        (json!({"account": "ops2"}), "password"),
        (json!({"password": "secret-pass"}), "account"),
        (
            json!({"account": "o", "password": "secret-pass"}),
            "account",
        ),
        (json!({"account": "ops2", "password": "short"}), "password"),
        (
            json!({"account": "ops2", "password": "secret-pass", "email": "nope"}),
            "email",
        ),
        (
            json!({"account": "ops2", "password": "secret-pass", "tags": {"a": 1}}),
            "tags",
        ),
        (
            json!({"account": "ops2", "password": "secret-pass", "tags": {"": "x"}}),
            "tags",
        ),
    ] {
        let r = app
            .post_json_auth("/api/v1/admins", bad.clone(), &token)
            .await;
        refused(&r, 400);
        assert!(
            r.body["message"].as_str().unwrap().contains(field),
            "{bad}: {:?}",
            r.body
        );
    }
    let r = app.get_auth("/api/v1/admins", &token).await;
    assert_eq!(
        info(&r)["items"].as_array().unwrap().len(),
        2,
        "nothing half-made"
    );

    // The new admin logs in and reads itself.
    let ops_creds = json!({"api_app": app.credentials["api_app"],
                           "admin": {"account": "ops", "password": "secret-pass"}});
    let ops_token = app.admin_token_for(&ops_creds).await;
    let r = app.get_auth("/api/v1/admin", &ops_token).await;
    assert_eq!(
        *info(&r),
        json!({"id": ops_id, "account": "ops", "name": "Ops team",
               "email": "ops@example.com", "tags": {"team": "a"}})
    );

    // A new password ends its tokens; the old one no longer logs in.
    let pwd = format!("/api/v1/admin/{ops_id}/pwd");
    refused(&app.put_auth(&pwd, json!({}), &token).await, 400);
    refused(
        &app.put_auth(&pwd, json!({"password": "short"}), &token)
            .await,
        400,
    );
    info(
        &app.put_auth(&pwd, json!({"password": "new-secret"}), &token)
            .await,
    );
    refused(&app.get_auth("/api/v1/admin", &ops_token).await, 401);
    let old = admin_body(&ops_creds, "secret-pass");
    refused(&app.post("/api/v1/admin_login", old, &[]).await, 1001);
    let ops_creds = json!({"api_app": app.credentials["api_app"],
                           "admin": {"account": "ops", "password": "new-secret"}});
    let ops_token = app.admin_token_for(&ops_creds).await;
    refused(
        &app.put_auth(
            "/api/v1/admin/99999/pwd",
            json!({"password": "new-secret"}),
            &token,
        )
        .await,
        404,
    );
    refused(
        &app.put_auth(
            "/api/v1/admin/x/pwd",
            json!({"password": "new-secret"}),
            &token,
        )
        .await,
        404,
    );

    // Deleting an admin ends its tokens; the last admin stays.
    let path = format!("/api/v1/admin/{ops_id}");
    info(&app.delete_auth(&path, &token).await);
    refused(&app.get_auth("/api/v1/admin", &ops_token).await, 401);
    refused(&app.delete_auth(&path, &token).await, 404);
    refused(&app.delete_auth("/api/v1/admin/abc", &token).await, 404);
    let path = format!("/api/v1/admin/{first_admin_id}");
    refused(&app.delete_auth(&path, &token).await, 423);
    // An app token manages admins too.
    let app_token = app.project_token().await;
    let r = app.get_auth("/api/v1/admins", &app_token).await;
    assert_eq!(info(&r)["items"].as_array().unwrap().len(), 1);
}
