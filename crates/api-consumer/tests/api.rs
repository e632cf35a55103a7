//! Seed 000 driven over HTTP as a phone app would, on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{Value, json};
use thingstead_testkit::{TestApp, on_both_backends};

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

async fn send_code_answers_alike(app: TestApp) {
    app.register_consumer("13800000002", "bob", PW).await;
    // Reset code to a registered phone and to an unknown one: same answer.
    let known = send_code(&app, "13800000002", 3).await;
    let unknown = send_code(&app, "13899999999", 3).await;
    assert_eq!(known, json!({"code": 200, "msg": "success"}));
    assert_eq!(known, unknown);
    let outbox = app.outbox();
    let last = outbox.last().unwrap();
    assert_eq!(last.channel, "sms");
    assert_eq!(last.purpose, "reset_password");
    assert_eq!(last.code.len(), 6);
    assert!(last.text.contains(&last.code));
}

async fn resending_within_a_minute_is_throttled(app: TestApp) {
    assert_eq!(send_code(&app, "13899999998", 3).await["code"], 200);
    let before = app.outbox().len();
    let again = app
        .get(
            &format!(
                "/user/sms/customer/user/phone/sms/code?clientKey={}&phone=13899999998&useType=1",
                app.client_key()
            ),
            &[],
        )
        .await;
    assert_eq!(again.status, 429);
    assert_eq!(
        again.body,
        json!({"code": 429, "msg": "too many requests, try again later"})
    );
    assert_eq!(
        app.outbox().len(),
        before,
        "a throttled request sends nothing"
    );
    // Another phone is not held back.
    assert_eq!(send_code(&app, "13899999997", 3).await["code"], 200);
}

async fn ten_sends_per_phone_per_day(app: TestApp) {
    for _ in 0..10 {
        assert_eq!(send_code(&app, "13899999996", 1).await["code"], 200);
    }
    assert_eq!(send_code(&app, "13899999996", 1).await["code"], 429);
    assert_eq!(app.outbox().len(), 10);
}

async fn sends_per_client_address_are_limited(app: TestApp) {
    for phone in ["13899999991", "13899999992", "13899999993"] {
        assert_eq!(send_code(&app, phone, 1).await["code"], 200);
    }
    assert_eq!(send_code(&app, "13899999994", 1).await["code"], 429);
}

async fn codes_are_single_use_and_die_after_five_wrong_tries(app: TestApp) {
    let ck = app.client_key();
    assert_eq!(send_code(&app, "13800000003", 1).await["code"], 200);
    let code = app.last_code("13800000003");
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let reg = |c: &str, name: &str| {
        json!({"clientKey": ck, "country": "CN", "registerType": 1, "phone": "13800000003",
               "username": name, "password": PW, "verifyCode": c})
    };
    for _ in 0..5 {
        let r = app
            .post("/user/customer/user/register", reg(wrong, "carol"), &[])
            .await;
        assert_eq!(r.body["code"], 1002, "{:?}", r.body);
    }
    // Dead after five wrong tries, even with the right digits.
    let r = app
        .post("/user/customer/user/register", reg(&code, "carol"), &[])
        .await;
    assert_eq!(r.body["code"], 1002);

    // A fresh code (for another phone) works once, then never again.
    assert_eq!(send_code(&app, "13800000004", 1).await["code"], 200);
    let code = app.last_code("13800000004");
    let body = |name: &str| {
        json!({"clientKey": ck, "country": "CN", "registerType": 1, "phone": "13800000004",
               "username": name, "password": PW, "verifyCode": code})
    };
    assert_eq!(
        app.post("/user/customer/user/register", body("dave"), &[])
            .await
            .body["code"],
        200
    );
    let reuse = app
        .post(
            "/user/customer/user/reset/password",
            json!({"clientKey": ck, "phone": "13800000004", "newPassword": "another-pass", "validateCode": code, "registerType": 1}),
            &[],
        )
        .await;
    assert_eq!(
        reuse.body["code"], 1002,
        "a register code is not a reset code, and it is spent"
    );

    // A code of another purpose does not register.
    assert_eq!(send_code(&app, "13800000005", 3).await["code"], 200);
    let reset_code = app.last_code("13800000005");
    let r = app
        .post(
            "/user/customer/user/register",
            json!({"clientKey": ck, "phone": "13800000005", "username": "erin", "password": PW, "verifyCode": reset_code}),
            &[],
        )
        .await;
    assert_eq!(r.body["code"], 1002);
}

async fn code_sent_as_number_keeps_leading_zeros(app: TestApp) {
    // Send codes until one starts with 0 is unlikely in a test; instead send
    // the code as a number and check it is accepted whatever its digits.
    assert_eq!(send_code(&app, "13800000006", 1).await["code"], 200);
    let code = app.last_code("13800000006");
    let as_number: i64 = code.parse().unwrap();
    let r = app
        .post(
            "/user/customer/user/register",
            json!({"clientKey": app.client_key(), "country": "CN", "registerType": 1, "phone": "13800000006",
                   "username": "frank", "password": PW, "verifyCode": as_number}),
            &[],
        )
        .await;
    assert_eq!(r.body["code"], 200, "{:?}", r.body);
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

async fn bad_input_gets_the_envelope_and_changes_nothing(app: TestApp) {
    let ck = app.client_key();
    let cases: Vec<(&str, &str, Value, u16, &str)> = vec![
        (
            "POST",
            "/user/customer/user/register",
            json!({"clientKey": ck, "username": "x1", "password": PW, "verifyCode": "123456"}),
            400,
            "phone is required",
        ),
        (
            "POST",
            "/user/customer/user/register",
            json!({"clientKey": ck, "phone": 13800000013_i64, "username": "lena", "password": PW, "verifyCode": "123456"}),
            400,
            "phone",
        ),
        (
            "POST",
            "/user/customer/user/register",
            json!({"clientKey": ck, "phone": "138", "username": "lena", "password": PW, "verifyCode": "123456"}),
            400,
            "phone",
        ),
        (
            "POST",
            "/user/customer/user/register",
            json!({"clientKey": ck, "phone": "13800000013", "username": "lena", "password": "123", "verifyCode": "123456"}),
            400,
            "password",
        ),
        (
            "POST",
            "/user/customer/user/register",
            json!({"clientKey": ck, "phone": "13800000013", "username": "lena", "password": PW}),
            400,
            "verifyCode is required",
        ),
        (
            "POST",
            "/user/customer/user/register",
            json!({"clientKey": ck, "phone": "13800000013", "username": "lena", "password": PW, "verifyCode": "123456", "registerType": 2}),
            400,
            "registerType",
        ),
        (
            "POST",
            "/user/customer/user/register",
            json!({"phone": "13800000013", "username": "lena", "password": PW, "verifyCode": "123456"}),
            400,
            "clientKey is required",
        ),
        (
            "POST",
            "/user/customer/user/reset/password",
            json!({"clientKey": ck, "phone": "13800000013", "validateCode": "123456"}),
            400,
            "newPassword is required",
        ),
        (
            "POST",
            "/user/customer/user/reset/password",
            json!({"clientKey": ck, "phone": "13800000013", "newPassword": PW, "validateCode": "12x"}),
            400,
            "validateCode",
        ),
        (
            "POST",
            "/user/customer/user/login",
            json!({"clientKey": ck, "password": PW}),
            400,
            "phone is required",
        ),
        (
            "POST",
            "/user/customer/user/login",
            json!({"clientKey": ck, "phone": "13800000013"}),
            400,
            "password is required",
        ),
        (
            "POST",
            "/user/customer/user/login",
            json!([1, 2]),
            400,
            "must be a JSON object",
        ),
        (
            "GET",
            "/user/sms/customer/user/phone/sms/code?phone=13800000013&useType=1",
            Value::Null,
            400,
            "clientKey is required",
        ),
        (
            "GET",
            "/user/sms/customer/user/phone/sms/code?clientKey=k&useType=1",
            Value::Null,
            400,
            "phone is required",
        ),
        (
            "GET",
            "/user/sms/customer/user/phone/sms/code?clientKey=k&phone=13800000013&useType=9",
            Value::Null,
            400,
            "useType",
        ),
        (
            "GET",
            "/user/sms/customer/user/phone/sms/code?clientKey=k&phone=13800000013&useType=x",
            Value::Null,
            400,
            "useType",
        ),
        (
            "GET",
            "/user/no/such/route",
            Value::Null,
            404,
            "no such endpoint",
        ),
        (
            "DELETE",
            "/user/customer/user/register",
            Value::Null,
            405,
            "method",
        ),
    ];
    for (method, path, body, status, needle) in cases {
        let req = match method {
            "POST" => app.http.post(app.url(path)).json(&body),
            "GET" => app.http.get(app.url(path)),
            _ => app.http.delete(app.url(path)),
        };
        let r = app.send(req).await;
        assert_eq!(r.status, status, "{method} {path} {body}: {:?}", r.body);
        assert_eq!(
            r.body["code"], status as i64,
            "{method} {path}: {:?}",
            r.body
        );
        let msg = r.body["msg"].as_str().unwrap_or_default();
        assert!(
            msg.contains(needle),
            "{method} {path}: {msg:?} should mention {needle:?}"
        );
        assert_eq!(r.body.as_object().map(|o| o.len()), Some(2), "{:?}", r.body);
    }
    // Malformed JSON, without a content type.
    let r = app
        .post_raw("/user/customer/user/register", "{\"phone\": ", &[])
        .await;
    assert_eq!((r.status, r.body["code"].as_i64()), (400, Some(400)));
    assert_eq!(r.body["msg"], "request body is not valid JSON");
    // Over 64 KiB.
    let big = format!("{{\"nickName\": \"{}\"}}", "a".repeat(70 * 1024));
    let r = app
        .post_raw(
            "/user/customer/user/register",
            big,
            &[("content-type", "application/json")],
        )
        .await;
    assert_eq!((r.status, r.body["code"].as_i64()), (413, Some(413)));
    // Nothing was written: the phone can still register, and nothing was sent.
    assert!(app.outbox().is_empty());
    app.register_consumer("13800000013", "lena", PW).await;
}

async fn tokens_are_checked(app: TestApp) {
    let token = register_and_login_with(&app, "13800000014", "mike").await;
    let (id, _) = token.split_once('|').unwrap();
    let forged = format!("{id}|{}", "A".repeat(40));
    for headers in [
        vec![],
        vec![("token", "garbage")],
        vec![("token", forged.as_str())],
        vec![("token", "")],
    ] {
        for path in [
            "/user/customer/user/detail",
            "/user/user/property/alarm-switch",
        ] {
            let r = app.get(path, &headers).await;
            assert_eq!(r.status, 401, "{path} {headers:?}");
            assert_eq!(r.body["code"], 401);
        }
        let r = app
            .put(
                "/user/customer/user/update",
                json!({"nickName": "evil"}),
                &headers,
            )
            .await;
        assert_eq!(r.body["code"], 401);
        let r = app
            .post(
                "/user/customer/user/provision",
                json!({"provisionType": 1}),
                &headers,
            )
            .await;
        assert_eq!(r.body["code"], 401);
    }
    let r = app
        .get("/user/customer/user/detail", &[("token", token.as_str())])
        .await;
    assert_eq!(r.body["data"]["nickName"], "mike");
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

/// Settings whose SMS webhook points at a port nothing listens on.
fn failing_sms_provider() -> Value {
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    json!({"sms_provider": "webhook", "sms_webhook_url": format!("http://{closed}/sms")})
}

on_both_backends!(failing_provider, failing_sms_provider() => provider_failure_spends_nothing);

async fn provider_failure_spends_nothing(app: TestApp) {
    for _ in 0..2 {
        // Not throttled the second time: a failed send does not count.
        let r = app
            .get(&format!("/user/sms/customer/user/phone/sms/code?clientKey={}&phone=13800000016&useType=1", app.client_key()), &[])
            .await;
        assert_eq!(r.status, 503, "{:?}", r.body);
        assert_eq!(r.body["code"], 503);
    }
}

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
