//! Bad input, unknown routes and tokens: the envelope, and nothing changed.

use serde_json::{Value, json};
use thingstead_testkit::TestApp;

use super::{PW, register_and_login_with};

pub async fn bad_input_gets_the_envelope_and_changes_nothing(app: TestApp) {
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

pub async fn tokens_are_checked(app: TestApp) {
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
