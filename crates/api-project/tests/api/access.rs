//! Authentication, project and admin info, and the app and admin
//! extensions, on SQLite and PostgreSQL.

mod manage;

use serde_json::{Value, json};
use thingstead_testkit::{Reply, TestApp, on_both_backends};

on_both_backends!(
    access_token_reads_the_project,
    admin_login_reads_the_admin,
    bad_bodies_get_the_envelope,
    wrong_app_credentials_are_throttled,
    wrong_admin_passwords_are_throttled,
    user_and_project_tokens_do_not_mix,
    expired_and_forged_tokens_are_refused,
    projects_are_isolated,
);

/// A refusal: `result` false with this errcode, HTTP 200.
#[track_caller]
fn refused(r: &Reply, errcode: i64) {
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["result"], false, "{:?}", r.body);
    assert_eq!(r.body["errcode"], errcode, "{:?}", r.body);
    assert!(r.body["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert!(r.body["errors"].is_array(), "{:?}", r.body);
}

/// A success: `result` true; returns `info`.
#[track_caller]
fn info(r: &Reply) -> &Value {
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["result"], true, "{:?}", r.body);
    &r.body["info"]
}

fn app_body(creds: &Value) -> Value {
    let a = &creds["api_app"];
    json!({"app_id": a["app_id"], "access_key": a["access_key"], "secret_key": a["secret_key"]})
}

fn admin_body(creds: &Value, password: &str) -> Value {
    json!({"app_id": creds["api_app"]["app_id"], "account": creds["admin"]["account"],
           "password": password})
}

async fn access_token_reads_the_project(app: TestApp) {
    let r = app
        .post("/api/v1/access_token", app_body(&app.credentials), &[])
        .await;
    let i = info(&r);
    assert_eq!(i["expires_in"], 86400);
    let token = i["access_token"].as_str().unwrap();
    let (id, random) = token.split_once('.').unwrap();
    assert!(id.parse::<i64>().is_ok() && random.len() == 40, "{token}");

    let r = app.get_auth("/api/v1/project", token).await;
    assert_eq!(
        *info(&r),
        json!({"id": app.credentials["project_id"], "name": "Default project",
               "descr": "", "tags": {}})
    );
    // The AppID may come as a number; the Content-Type may be missing.
    let mut body = app_body(&app.credentials);
    body["app_id"] = json!(body["app_id"].as_str().unwrap().parse::<i64>().unwrap());
    let r = app
        .post_raw("/api/v1/access_token", body.to_string(), &[])
        .await;
    assert!(info(&r)["access_token"].is_string());
    // Unknown routes and malformed JSON answer as documented.
    let r = app.get_auth("/api/v1/nothing", token).await;
    assert_eq!(
        (r.status, r.body.clone()),
        (404, json!({"message": "Request invalid"}))
    );
    let r = app
        .post_raw("/api/v1/access_token", "{\"app_id\": ", &[])
        .await;
    assert_eq!(
        (r.status, r.body.clone()),
        (
            404,
            json!({"result": false, "message": "Invalid JSON message", "errcode": 400})
        )
    );
}

async fn admin_login_reads_the_admin(app: TestApp) {
    let password = app.credentials["admin"]["password"].as_str().unwrap();
    let r = app
        .post(
            "/api/v1/admin_login",
            admin_body(&app.credentials, password),
            &[],
        )
        .await;
    let i = info(&r);
    assert_eq!(i.as_object().unwrap().len(), 1, "only access_token: {i}");
    let token = i["access_token"].as_str().unwrap().to_owned();

    let r = app.get_auth("/api/v1/admin", &token).await;
    let a = info(&r);
    assert!(a["id"].as_str().unwrap().parse::<i64>().is_ok(), "{a}");
    assert_eq!(a["account"], "admin");
    assert_eq!(a["name"], "admin");
    assert_eq!(a["email"], "");
    assert_eq!(a["tags"], json!({}));
    // An admin token acts for the project too.
    let r = app.get_auth("/api/v1/project", &token).await;
    assert_eq!(info(&r)["id"], app.credentials["project_id"]);
    // An app token is not an admin.
    let app_token = app.project_token().await;
    refused(&app.get_auth("/api/v1/admin", &app_token).await, 403);
    // Admin tokens last 7 days, app tokens 1 day: any other lifetime is
    // deleted here, and the token would stop working.
    app.execute_sql(
        "DELETE FROM project_tokens WHERE (admin_id IS NOT NULL AND expires_at - created_at <> 604800000) \
         OR (app_id IS NOT NULL AND expires_at - created_at <> 86400000)",
    )
    .await;
    info(&app.get_auth("/api/v1/admin", &token).await);
    info(&app.get_auth("/api/v1/project", &app_token).await);
}

async fn bad_bodies_get_the_envelope(app: TestApp) {
    let r = app.post("/api/v1/access_token", json!({}), &[]).await;
    refused(&r, 400);
    assert_eq!(r.body["message"], "app_id is required");
    assert_eq!(r.body["errors"][0]["field"], "app_id");
    let mut body = app_body(&app.credentials);
    body["secret_key"] = json!("  ");
    let r = app.post("/api/v1/access_token", body, &[]).await;
    assert_eq!(r.body["message"], "secret_key is required");
    let mut body = app_body(&app.credentials);
    body["access_key"] = json!(["x"]);
    let r = app.post("/api/v1/access_token", body, &[]).await;
    refused(&r, 400);
    assert!(
        r.body["message"].as_str().unwrap().contains("access_key"),
        "{:?}",
        r.body
    );
    let r = app.post_raw("/api/v1/access_token", "[1]", &[]).await;
    refused(&r, 400);

    let r = app
        .post(
            "/api/v1/admin_login",
            json!({"app_id": "1", "account": "admin"}),
            &[],
        )
        .await;
    refused(&r, 400);
    assert_eq!(r.body["message"], "password is required");
    let r = app
        .post(
            "/api/v1/admin_login",
            json!({"app_id": "1", "password": 5, "account": {}}),
            &[],
        )
        .await;
    refused(&r, 400);
    assert!(
        r.body["message"].as_str().unwrap().contains("account"),
        "{:?}",
        r.body
    );
}

async fn wrong_app_credentials_are_throttled(app: TestApp) {
    let good = app_body(&app.credentials);
    let mut wrong_key = good.clone();
    wrong_key["access_key"] = json!("not-the-key");
    let mut wrong_secret = good.clone();
    wrong_secret["secret_key"] = json!("not-the-secret");
    let mut unknown_app = good.clone();
    unknown_app["app_id"] = json!("999999999999");

    // Unknown app and wrong keys answer alike.
    let unknown = app
        .post("/api/v1/access_token", unknown_app.clone(), &[])
        .await;
    refused(&unknown, 1001);
    let r = app
        .post("/api/v1/access_token", wrong_key.clone(), &[])
        .await;
    refused(&r, 1001);
    assert_eq!(r.body["message"], unknown.body["message"]);
    // A success clears the count.
    for _ in 0..8 {
        refused(
            &app.post("/api/v1/access_token", wrong_secret.clone(), &[])
                .await,
            1001,
        );
    }
    info(&app.post("/api/v1/access_token", good.clone(), &[]).await);
    for body in [&wrong_key, &wrong_secret].repeat(5) {
        refused(
            &app.post("/api/v1/access_token", body.clone(), &[]).await,
            1001,
        );
    }
    // Ten failures: even the right secret is refused now.
    refused(
        &app.post("/api/v1/access_token", wrong_secret, &[]).await,
        429,
    );
    refused(
        &app.post("/api/v1/access_token", good.clone(), &[]).await,
        429,
    );
    // Other keys are not locked: another app id, and admin logins.
    refused(
        &app.post("/api/v1/access_token", unknown_app, &[]).await,
        1001,
    );
    app.admin_token().await;
    // Once the window has passed, the app logs in again.
    app.execute_sql("UPDATE auth_failures SET at = at - 900001")
        .await;
    info(&app.post("/api/v1/access_token", good, &[]).await);
}

async fn wrong_admin_passwords_are_throttled(app: TestApp) {
    let password = app.credentials["admin"]["password"].as_str().unwrap();
    let good = admin_body(&app.credentials, password);
    let wrong = admin_body(&app.credentials, "wrong-password");
    let mut unknown_account = good.clone();
    unknown_account["account"] = json!("nobody");
    let mut unknown_app = good.clone();
    unknown_app["app_id"] = json!("999999999999");
    refused(
        &app.post("/api/v1/admin_login", unknown_account.clone(), &[])
            .await,
        1001,
    );
    refused(
        &app.post("/api/v1/admin_login", unknown_app, &[]).await,
        1001,
    );
    for _ in 0..10 {
        refused(
            &app.post("/api/v1/admin_login", wrong.clone(), &[]).await,
            1001,
        );
    }
    let r = app.post("/api/v1/admin_login", good, &[]).await;
    refused(&r, 429);
    assert!(
        r.body["message"].as_str().unwrap().contains("too many"),
        "{:?}",
        r.body
    );
    // Another account, and app tokens, are not locked.
    refused(
        &app.post("/api/v1/admin_login", unknown_account, &[]).await,
        1001,
    );
    app.project_token().await;
}

async fn user_and_project_tokens_do_not_mix(app: TestApp) {
    let user_token = app.code_login_lock("13900000011", "phone-1").await;
    refused(&app.get_auth("/api/v1/project", &user_token).await, 401);
    refused(&app.get_auth("/api/v1/apps", &user_token).await, 401);
    app.register_consumer("13900000012", "consumer12", "password-12")
        .await;
    let consumer_token = app.login_consumer("13900000012", "password-12").await;
    refused(&app.get_auth("/api/v1/project", &consumer_token).await, 401);

    for token in [app.project_token().await, app.admin_token().await] {
        let r = app.post_auth("/v1/user/detail", json!({}), &token).await;
        assert_eq!(r.body["errorCode"], 401, "{:?}", r.body);
        let r = app
            .get("/user/customer/user/detail", &[("token", token.as_str())])
            .await;
        assert_eq!(r.body["code"], 401, "{:?}", r.body);
    }
}

async fn expired_and_forged_tokens_are_refused(app: TestApp) {
    let token = app.project_token().await;
    let (id, random) = token.split_once('.').unwrap();
    let flipped: String = random
        .chars()
        .map(|c| if c == 'a' { 'b' } else { 'a' })
        .collect();
    for bad in [
        format!("{id}.{flipped}"),
        format!("{}.{random}", id.parse::<i64>().unwrap() + 1000),
        format!("{id}|{random}"),
        format!("{id}.{}", &random[1..]),
        "garbage".to_owned(),
    ] {
        refused(&app.get_auth("/api/v1/project", &bad).await, 401);
    }
    refused(&app.get("/api/v1/project", &[]).await, 401);
    let basic = format!("Basic {token}");
    refused(
        &app.get("/api/v1/project", &[("authorization", basic.as_str())])
            .await,
        401,
    );
    info(&app.get_auth("/api/v1/project", &token).await);

    app.execute_sql(&format!(
        "UPDATE project_tokens SET expires_at = created_at WHERE id = {id}"
    ))
    .await;
    refused(&app.get_auth("/api/v1/project", &token).await, 401);
    let admin = app.admin_token().await;
    app.execute_sql("UPDATE project_tokens SET expires_at = 0")
        .await;
    refused(&app.get_auth("/api/v1/admin", &admin).await, 401);
}

async fn projects_are_isolated(app: TestApp) {
    let first = app.credentials.clone();
    let second = app.second_project().await;
    assert_ne!(second["project_id"], first["project_id"]);
    let t1 = app.project_token().await;
    let t2 = app.project_token_for(&second).await;
    let a2 = app.admin_token_for(&second).await;

    let r = app.get_auth("/api/v1/project", &t2).await;
    assert_eq!(info(&r)["id"], second["project_id"]);
    assert!(info(&r)["name"].as_str().unwrap().starts_with("Project "));
    let r = app.get_auth("/api/v1/apps", &t2).await;
    let apps = info(&r)["items"].as_array().unwrap().clone();
    assert_eq!(apps.len(), 1);
    assert_eq!(apps[0]["app_id"], second["api_app"]["app_id"]);
    let r = app.get_auth("/api/v1/admins", &a2).await;
    let admins = info(&r)["items"].as_array().unwrap().clone();
    assert_eq!(admins.len(), 1);
    let second_admin_id = admins[0]["id"].as_str().unwrap().to_owned();
    let r = app.get_auth("/api/v1/admin", &a2).await;
    assert_eq!(info(&r)["id"], second_admin_id);
    let r = app.get_auth("/api/v1/admins", &t1).await;
    let first_admin_id = info(&r)["items"][0]["id"].as_str().unwrap().to_owned();
    assert_ne!(first_admin_id, second_admin_id);

    // Both have an admin named "admin": an app id logs in only its own.
    let first_password = first["admin"]["password"].as_str().unwrap();
    let mut cross = admin_body(&first, first_password);
    cross["app_id"] = second["api_app"]["app_id"].clone();
    refused(&app.post("/api/v1/admin_login", cross, &[]).await, 1001);

    // Give each project a second app and admin, so that only isolation can refuse.
    for token in [&t1, &t2] {
        info(&app.post_json_auth("/api/v1/apps", json!({}), token).await);
        let body = json!({"account": "ops", "password": "secret-pass"});
        info(&app.post_json_auth("/api/v1/admins", body, token).await);
    }
    for (token, other) in [(&t2, &first), (&t1, &second)] {
        let other_app = other["api_app"]["app_id"].as_str().unwrap();
        refused(
            &app.delete_auth(&format!("/api/v1/app/{other_app}"), token)
                .await,
            404,
        );
    }
    for (token, other_admin) in [(&t2, &first_admin_id), (&t1, &second_admin_id)] {
        let path = format!("/api/v1/admin/{other_admin}");
        refused(&app.delete_auth(&path, token).await, 404);
        let body = json!({"password": "taken-over"});
        refused(
            &app.put_auth(&format!("{path}/pwd"), body, token).await,
            404,
        );
    }
    // Nothing changed: every original credential still works.
    app.project_token_for(&first).await;
    app.project_token_for(&second).await;
    app.admin_token_for(&first).await;
    app.admin_token_for(&second).await;
    for token in [&t1, &t2] {
        let r = app.get_auth("/api/v1/apps", token).await;
        assert_eq!(info(&r)["items"].as_array().unwrap().len(), 2);
        let r = app.get_auth("/api/v1/admins", token).await;
        assert_eq!(info(&r)["items"].as_array().unwrap().len(), 2);
    }
}
