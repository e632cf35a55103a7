//! Seed 000 driven over HTTP as a phone app would, on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{Value, json};
use thingstead_testkit::{TestApp, on_both_backends};

mod codes;
mod input;

use codes::*;
use input::*;

const PW: &str = "digest-of-password-1";

on_both_backends!(
    register_login_and_profile,
    resending_within_a_minute_is_throttled,
    codes_are_single_use_and_die_after_five_wrong_tries,
    code_sent_as_number_keeps_leading_zeros,
    unknown_client_key_is_refused,
    login_failures_are_limited_alike_for_unknown_accounts,
    bad_input_gets_the_envelope_and_changes_nothing,
    tokens_are_checked,
    provision_codes_are_fresh_and_single_per_call,
);

on_both_backends!(quick_resend, json!({"code_send_interval_secs": 0}) =>
    duplicates_are_refused,
    send_code_answers_alike,
    reset_password_ends_sessions,
    ten_sends_per_phone_per_day,
);

on_both_backends!(few_per_address, json!({"code_sends_per_address_hour": 3}) => sends_per_client_address_are_limited);

async fn send_code(app: &TestApp, phone: &str, use_type: i64) -> Value {
    let ck = app.client_key();
    app.get(
        &format!(
            "/user/sms/customer/user/phone/sms/code?clientKey={ck}&phone={phone}&useType={use_type}"
        ),
        &[],
    )
    .await
    .body
}

async fn register_and_login_with(app: &TestApp, phone: &str, username: &str) -> String {
    app.register_consumer(phone, username, PW).await;
    app.login_consumer(phone, PW).await
}

async fn register_login_and_profile(app: TestApp) {
    let token = register_and_login_with(&app, "13800000001", "alice").await;
    let t = [("token", token.as_str())];

    let detail = app.get("/user/customer/user/detail", &t).await;
    assert_eq!(detail.status, 200);
    assert_eq!(detail.body["code"], 200);
    assert_eq!(detail.body["msg"], "success");
    let d = &detail.body["data"];
    assert!(d["id"].is_i64());
    assert_eq!(
        d["tenantId"],
        app.credentials["project_id"]
            .as_str()
            .unwrap()
            .parse::<i64>()
            .unwrap()
    );
    assert_eq!(d["username"], "alice");
    assert_eq!(d["nickName"], "alice");
    assert_eq!(d["phone"], "13800000001");
    let created = d["createTime"].as_str().unwrap();
    assert_eq!(created.len(), 19, "yyyy-MM-dd HH:mm:ss: {created}");
    assert_eq!(&created[4..5], "-");

    // Login by user name works too.
    let by_name = app
        .post(
            "/user/customer/user/login",
            json!({"clientKey": app.client_key(), "username": "alice", "password": PW}),
            &[],
        )
        .await;
    assert_eq!(by_name.body["code"], 200);

    // Alarm switch: on by default, then off.
    let sw = app.get("/user/user/property/alarm-switch", &t).await;
    assert_eq!(
        sw.body,
        json!({"code": 200, "msg": "success", "data": "on"})
    );
    let set = app
        .put(
            "/user/user/property/alarm-switch",
            json!({"value": "off"}),
            &t,
        )
        .await;
    assert_eq!(set.body, json!({"code": 200, "msg": "success"}));
    assert_eq!(
        app.get("/user/user/property/alarm-switch", &t).await.body["data"],
        "off"
    );
    let bad = app
        .put(
            "/user/user/property/alarm-switch",
            json!({"value": "maybe"}),
            &t,
        )
        .await;
    assert_eq!(bad.body["code"], 400);
    assert!(bad.body["msg"].as_str().unwrap().contains("value"));
    assert_eq!(
        app.get("/user/user/property/alarm-switch", &t).await.body["data"],
        "off"
    );

    // Nickname.
    let upd = app
        .put(
            "/user/customer/user/update",
            json!({"nickName": "Alice W."}),
            &t,
        )
        .await;
    assert_eq!(upd.body["code"], 200);
    assert_eq!(
        app.get("/user/customer/user/detail", &t).await.body["data"]["nickName"],
        "Alice W."
    );
}

async fn reset_password_ends_sessions(app: TestApp) {
    let token = register_and_login_with(&app, "13800000007", "grace").await;
    // Used just before the reset, so that the server remembers the session.
    assert_eq!(
        app.get("/user/customer/user/detail", &[("token", token.as_str())])
            .await
            .status,
        200
    );
    assert_eq!(send_code(&app, "13800000007", 3).await["code"], 200);
    let code = app.last_code("13800000007");
    let r = app
        .post(
            "/user/customer/user/reset/password",
            json!({"clientKey": app.client_key(), "phone": "13800000007", "newPassword": "new-password-2",
                   "validateCode": code, "registerType": 1}),
            &[],
        )
        .await;
    assert_eq!(r.body, json!({"code": 200, "msg": "success"}));
    let old = app
        .get("/user/customer/user/detail", &[("token", token.as_str())])
        .await;
    assert_eq!(old.status, 401);
    assert_eq!(old.body["code"], 401);
    let login_old = app
        .post(
            "/user/customer/user/login",
            json!({"clientKey": app.client_key(), "phone": "13800000007", "password": PW}),
            &[],
        )
        .await;
    assert_eq!(login_old.body["code"], 1006);
    app.login_consumer("13800000007", "new-password-2").await;
}

async fn duplicates_are_refused(app: TestApp) {
    app.register_consumer("13800000008", "heidi", PW).await;
    let ck = app.client_key();
    // Same user name, other phone: refused before any code is spent.
    assert_eq!(send_code(&app, "13800000009", 1).await["code"], 200);
    let code = app.last_code("13800000009");
    let r = app
        .post(
            "/user/customer/user/register",
            json!({"clientKey": ck, "phone": "13800000009", "username": "heidi", "password": PW, "verifyCode": code}),
            &[],
        )
        .await;
    assert_eq!(r.body["code"], 1004);
    // The code is still good for another name.
    let r = app
        .post(
            "/user/customer/user/register",
            json!({"clientKey": ck, "phone": "13800000009", "username": "ivan", "password": PW, "verifyCode": code}),
            &[],
        )
        .await;
    assert_eq!(r.body["code"], 200);
    // Same phone again.
    let r = app.http.get(app.url(&format!(
        "/user/sms/customer/user/phone/sms/code?clientKey={ck}&phone=13800000008&useType=1"
    )));
    assert_eq!(app.send(r).await.body["code"], 200);
    let code = app.last_code("13800000008");
    let r = app
        .post(
            "/user/customer/user/register",
            json!({"clientKey": ck, "phone": "13800000008", "username": "judy", "password": PW, "verifyCode": code}),
            &[],
        )
        .await;
    assert_eq!(r.body["code"], 1003);
}

async fn unknown_client_key_is_refused(app: TestApp) {
    let r = app
        .get(
            "/user/sms/customer/user/phone/sms/code?clientKey=nope&phone=13800000010&useType=1",
            &[],
        )
        .await;
    assert_eq!(r.body["code"], 1001);
    assert!(app.outbox().is_empty());
    let r = app
        .post(
            "/user/customer/user/login",
            json!({"clientKey": "nope", "phone": "13800000010", "password": PW}),
            &[],
        )
        .await;
    assert_eq!(r.body["code"], 1001);
}

async fn login_failures_are_limited_alike_for_unknown_accounts(app: TestApp) {
    app.register_consumer("13800000011", "kate", PW).await;
    let ck = app.client_key();
    for phone in ["13800000011", "13800000012"] {
        for _ in 0..10 {
            let r = app
                .post(
                    "/user/customer/user/login",
                    json!({"clientKey": ck, "phone": phone, "password": "wrong-password"}),
                    &[],
                )
                .await;
            assert_eq!(
                r.body,
                json!({"code": 1006, "msg": "account or password is wrong"})
            );
        }
        let r = app
            .post(
                "/user/customer/user/login",
                json!({"clientKey": ck, "phone": phone, "password": PW}),
                &[],
            )
            .await;
        assert_eq!(r.status, 429, "{phone}: {:?}", r.body);
        assert_eq!(r.body["code"], 429);
    }
}

async fn provision_codes_are_fresh_and_single_per_call(app: TestApp) {
    let token = register_and_login_with(&app, "13800000015", "nina").await;
    let t = [("token", token.as_str())];
    let a = app
        .post(
            "/user/customer/user/provision",
            json!({"provisionType": 1}),
            &t,
        )
        .await;
    let b = app
        .post(
            "/user/customer/user/provision",
            json!({"provisionType": 1}),
            &t,
        )
        .await;
    assert_eq!(a.body["code"], 200);
    let (a, b) = (
        a.body["data"].as_str().unwrap().to_owned(),
        b.body["data"].as_str().unwrap().to_owned(),
    );
    assert_ne!(a, b);
    assert!(
        a.len() >= 22 && a.chars().all(|c| c.is_ascii_alphanumeric()),
        "{a}"
    );
    let r = app
        .post(
            "/user/customer/user/provision",
            json!({"provisionType": 2}),
            &t,
        )
        .await;
    assert_eq!(r.body["code"], 400);
    let r = app
        .post("/user/customer/user/provision", json!({}), &t)
        .await;
    assert_eq!(r.body["msg"], "provisionType is required");
}

on_both_backends!(failing_provider, failing_sms_provider() => provider_failure_spends_nothing);

on_both_backends!(short_lived, json!({"session_idle_app_secs": 1, "code_ttl_secs": 1}) =>
    idle_sessions_and_old_codes_expire,
);

async fn idle_sessions_and_old_codes_expire(app: TestApp) {
    let token = register_and_login_with(&app, "13800000017", "olivia").await;
    let t = [("token", token.as_str())];
    assert_eq!(app.get("/user/customer/user/detail", &t).await.status, 200);
    assert_eq!(send_code(&app, "13800000018", 1).await["code"], 200);
    let code = app.last_code("13800000018");
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let r = app.get("/user/customer/user/detail", &t).await;
    assert_eq!(
        (r.status, r.body["code"].as_i64()),
        (401, Some(401)),
        "idle session expired"
    );
    let r = app
        .post(
            "/user/customer/user/register",
            json!({"clientKey": app.client_key(), "phone": "13800000018", "username": "pia", "password": PW, "verifyCode": code}),
            &[],
        )
        .await;
    assert_eq!(r.body["code"], 1002, "expired code");
}
