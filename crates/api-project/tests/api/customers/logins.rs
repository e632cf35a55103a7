//! Customers are users of the identity core: they log in through seeds 000
//! and 001, app users are customers, and `customer_auth` checks passwords
//! within the same failure limit.

use serde_json::json;
use thingstead_testkit::TestApp;

use super::*;

/// Seed 000 login (extension) with `body` plus the client key.
async fn consumer_login(app: &TestApp, mut body: Value) -> Reply {
    body["clientKey"] = json!(app.client_key());
    app.post("/user/customer/user/login", body, &[]).await
}

/// The seed 000 user id behind a login answer.
async fn consumer_id(app: &TestApp, login: &Reply) -> i64 {
    assert_eq!(login.body["code"], 200, "login: {:?}", login.body);
    let token = login.body["data"]["token"].as_str().unwrap();
    let r = app
        .get("/user/customer/user/detail", &[("token", token)])
        .await;
    r.body["data"]["id"].as_i64().unwrap()
}

/// The seed 001 user id behind a token.
async fn lock_id(app: &TestApp, token: &str) -> i64 {
    let r = app.post_auth("/v1/user/detail", json!({}), token).await;
    r.body["data"]["id"].as_i64().unwrap()
}

async fn customer_auth(app: &TestApp, token: &str, account: Value, password: Value) -> Reply {
    app.post_auth(
        "/api/v1/customer_auth",
        json!({"account": account, "password": password}),
        token,
    )
    .await
}

pub async fn customer_logs_in_through_seeds_000_and_001(app: TestApp) {
    let token = app.project_token().await;
    // An all-digit account without a mobile.
    let digits = customer(&app, &token, "13800001111").await;
    let digits_id: i64 = digits.parse().unwrap();
    let t = lock_token(&app, "13800001111", PW).await;
    assert_eq!(lock_id(&app, &t).await, digits_id);
    let r = consumer_login(&app, json!({"username": "13800001111", "password": PW})).await;
    assert_eq!(consumer_id(&app, &r).await, digits_id);
    let r = consumer_login(&app, json!({"phone": "13800001111", "password": PW})).await;
    assert_eq!(consumer_id(&app, &r).await, digits_id);

    // A name account with a mobile logs in with either.
    let named = create_customer(
        &app,
        &token,
        json!({"name": "Nia", "account": "nia_w", "password": PW, "mobile": "13900002222"}),
    )
    .await;
    let named_id: i64 = named.parse().unwrap();
    for name in ["nia_w", "13900002222"] {
        let t = lock_token(&app, name, PW).await;
        assert_eq!(lock_id(&app, &t).await, named_id);
    }
    let r = consumer_login(&app, json!({"username": "nia_w", "password": PW})).await;
    assert_eq!(consumer_id(&app, &r).await, named_id);
    let r = consumer_login(&app, json!({"phone": "13900002222", "password": PW})).await;
    assert_eq!(consumer_id(&app, &r).await, named_id);
    // The seed 001 profile shows the customer's name and mobile.
    let t = lock_token(&app, "nia_w", PW).await;
    let d = app.post_auth("/v1/user/detail", json!({}), &t).await.body;
    assert_eq!(
        (&d["data"]["nickname"], &d["data"]["phone"]),
        (&json!("Nia"), &json!("13900002222"))
    );

    // Accounts that are no seed 000 user name: short digits, other signs.
    for account in ["4321", "ops+1", "x@y", "李雷"] {
        let id: i64 = customer(&app, &token, account).await.parse().unwrap();
        let t = lock_token(&app, account, PW).await;
        assert_eq!(lock_id(&app, &t).await, id, "{account}");
    }
    // A wrong password is refused as usual.
    assert_eq!(
        lock_login(&app, "nia_w", "wrong-pass-1").await.body["errorCode"],
        1002
    );
    let r = consumer_login(
        &app,
        json!({"username": "13800001111", "password": "wrong-pass-1"}),
    )
    .await;
    assert_ne!(r.body["code"], 200);
}

pub async fn app_users_appear_in_customers(app: TestApp) {
    let token = app.project_token().await;
    app.register_consumer("13700000001", "olive", PW).await;
    app.code_login_lock("13700000002", "phone-2").await;
    let items = all_customers(&app, &token).await;
    assert_eq!(items.len(), 2);
    let olive = &items[0];
    assert_eq!(olive["account"], "olive");
    assert_eq!(olive["name"], "olive");
    assert_eq!(olive["mobile"], "13700000001");
    assert_eq!(olive["email"], "");
    assert_eq!(olive["descr"], "");
    assert_eq!(olive["role_id"], "");
    assert_eq!(olive["tags"], json!({}));
    assert_eq!(olive["locale"], "zh-CN");
    assert_eq!(olive["count"], json!({"device_count": 0}));
    assert!(olive["create_time"].as_i64().unwrap() > 1_700_000_000_000);
    // Registered by code, without a user name: the account is the mobile.
    assert_eq!(items[1]["account"], "13700000002");
    assert_eq!(items[1]["mobile"], "13700000002");
    // The project API reads and edits them like any customer.
    let id = olive["id"].as_str().unwrap();
    assert_eq!(&read(&app, &token, id).await.body["info"], olive);
    let r = app
        .put_auth(
            &format!("/api/v1/customer/{id}/info"),
            json!({"descr": "from the app"}),
            &token,
        )
        .await;
    info(&r);
    let r = customer_auth(&app, &token, json!("olive"), json!(PW)).await;
    assert_eq!(info(&r)["id"], id);
}

pub async fn customer_auth_checks_the_password(app: TestApp) {
    let token = app.project_token().await;
    let id = create_customer(
        &app,
        &token,
        json!({"name": "Pia", "account": "pia", "password": PW, "mobile": "13800000040"}),
    )
    .await;
    let r = customer_auth(&app, &token, json!("pia"), json!(PW)).await;
    assert_eq!(info(&r), &json!({"id": id, "name": "Pia"}));
    // By mobile too.
    let r = customer_auth(&app, &token, json!("13800000040"), json!(PW)).await;
    assert_eq!(info(&r)["id"], id.as_str());
    // Wrong password, unknown account, impossible account: 1001 alike.
    let wrong = customer_auth(&app, &token, json!("pia"), json!("wrong-pass-1")).await;
    refused(&wrong, 1001);
    for (account, password) in [
        (json!("nobody"), json!(PW)),
        (json!("x"), json!(PW)),
        (json!("pia"), json!("123")),
    ] {
        let r = customer_auth(&app, &token, account, password).await;
        refused(&r, 1001);
        assert_eq!(r.body["message"], wrong.body["message"]);
    }
    // Missing and wrongly typed fields.
    for (body, field) in [
        (json!({"password": PW}), "account"),
        (json!({"account": "pia"}), "password"),
        (json!({"account": "", "password": PW}), "account"),
        (json!({"account": ["pia"], "password": PW}), "account"),
        (json!({"account": "pia", "password": {}}), "password"),
    ] {
        let r = app.post_auth("/api/v1/customer_auth", body, &token).await;
        bad_field(&r, field);
    }
    // Checking opens no session: the customer has none to end.
    let r = customer_auth(&app, &token, json!("pia"), json!(PW)).await;
    info(&r);
}

pub async fn customer_auth_counts_in_the_login_failure_limit(app: TestApp) {
    // login_failure_max = 3 for this test.
    let token = app.project_token().await;
    customer(&app, &token, "quinn").await;
    for _ in 0..2 {
        let r = customer_auth(&app, &token, json!("quinn"), json!("wrong-pass-1")).await;
        refused(&r, 1001);
    }
    // The third failure comes through seed 001.
    assert_eq!(
        lock_login(&app, "quinn", "wrong-pass-1").await.body["errorCode"],
        1002
    );
    // Now even the right password is refused, here and in seed 001.
    let r = customer_auth(&app, &token, json!("quinn"), json!(PW)).await;
    refused(&r, 429);
    assert_ne!(lock_login(&app, "quinn", PW).await.body["errorCode"], 0);
    // A success clears the count: another customer is unaffected.
    customer(&app, &token, "rosa").await;
    customer_auth(&app, &token, json!("rosa"), json!("wrong-pass-1")).await;
    info(&customer_auth(&app, &token, json!("rosa"), json!(PW)).await);
    for _ in 0..2 {
        customer_auth(&app, &token, json!("rosa"), json!("wrong-pass-1")).await;
    }
    info(&customer_auth(&app, &token, json!("rosa"), json!(PW)).await);
}
