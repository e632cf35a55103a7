//! Bad input, unknown routes and tokens: the envelope, and nothing changed.

use serde_json::{Value, json};
use thingstead_testkit::TestApp;

use super::support::PW;

pub async fn tokens_are_checked(app: TestApp) {
    let token = app.code_login_lock("13900000012", "p").await;
    let (id, _) = token.split_once('|').unwrap();
    let forged = format!("Bearer {id}|{}", "B".repeat(40));
    let paths = [
        "/v1/user/detail",
        "/v1/user/getBindMobileDevice",
        "/v1/user/unbindMobileDevice",
        "/v1/user/changePassword",
        "/v1/user/updateUserInfo",
        "/v1/common/sendValidationCodeAuth",
    ];
    for header in [
        None,
        Some("Bearer nonsense"),
        Some(forged.as_str()),
        Some("Basic abc"),
    ] {
        for path in paths {
            let headers: Vec<(&str, &str)> = header
                .map(|h| vec![("authorization", h)])
                .unwrap_or_default();
            let r = app.post(path, json!({}), &headers).await;
            assert_eq!(
                (r.status, r.body["errorCode"].as_i64()),
                (401, Some(401)),
                "{path} {header:?}"
            );
        }
    }
}

pub async fn bad_input_gets_the_envelope_and_changes_nothing(app: TestApp) {
    let cases: Vec<(&str, Value, u16, &str)> = vec![
        (
            "/v1/user/pwdLogin",
            json!({"username": "13900000013", "password": PW}),
            400,
            "platId is required",
        ),
        (
            "/v1/user/pwdLogin",
            json!({"platId": 7, "username": "13900000013", "password": PW}),
            400,
            "platId",
        ),
        (
            "/v1/user/pwdLogin",
            json!({"platId": "two", "username": "13900000013", "password": PW}),
            400,
            "platId",
        ),
        (
            "/v1/user/pwdLogin",
            json!({"platId": 1, "password": PW}),
            400,
            "username is required",
        ),
        (
            "/v1/user/pwdLogin",
            json!({"platId": 1, "username": "13900000013"}),
            400,
            "password is required",
        ),
        (
            "/v1/user/pwdLogin",
            json!({"platId": 1, "username": "13900000013", "password": PW, "deviceInfo": "x"}),
            400,
            "deviceInfo",
        ),
        (
            "/v1/user/codeLogin",
            json!({"platId": 2, "verificationCode": "123456"}),
            400,
            "phone is required",
        ),
        (
            "/v1/user/codeLogin",
            json!({"platId": 2, "phone": "13900000013"}),
            400,
            "verificationCode is required",
        ),
        (
            "/v1/user/codeLogin",
            json!({"platId": 2, "phone": "13900000013", "verificationCode": "12345678"}),
            400,
            "verificationCode",
        ),
        (
            "/v1/user/codeLogin",
            json!({"platId": 2, "phone": "13900000013", "verificationCode": true}),
            400,
            "verificationCode",
        ),
        (
            "/v1/user/resetPassword",
            json!({"verificationCode": 123456, "newPassword": PW}),
            400,
            "account is required",
        ),
        (
            "/v1/user/resetPassword",
            json!({"account": "13900000013", "verificationCode": 123456}),
            400,
            "newPassword is required",
        ),
        (
            "/v1/common/sendValidationCode",
            json!({"channel": "1", "codeType": "1"}),
            400,
            "account is required",
        ),
        (
            "/v1/common/sendValidationCode",
            json!({"account": "13900000013", "codeType": "1"}),
            400,
            "channel is required",
        ),
        (
            "/v1/common/sendValidationCode",
            json!({"account": "13900000013", "channel": "3", "codeType": "1"}),
            400,
            "channel",
        ),
        (
            "/v1/common/sendValidationCode",
            json!({"account": "13900000013", "channel": "1", "codeType": "12"}),
            400,
            "codeType",
        ),
        (
            "/v1/common/sendValidationCode",
            json!({"account": "13900000013", "channel": "1"}),
            400,
            "codeType is required",
        ),
        (
            "/v1/common/sendValidationCode",
            json!({"account": "abc", "channel": "1", "codeType": "1"}),
            400,
            "account",
        ),
        (
            "/v1/common/file/getUploadParams",
            json!({"filename": "a.png", "size": 10}),
            400,
            "module is required",
        ),
        (
            "/v1/common/file/getUploadParams",
            json!({"module": "nope", "filename": "a.png", "size": 10}),
            400,
            "module",
        ),
        (
            "/v1/common/file/getUploadParams",
            json!({"module": "auth", "filename": "a.png", "size": 10}),
            400,
            "account is required",
        ),
        (
            "/v1/common/file/getUploadParams",
            json!({"module": "auth", "account": "13900000013", "size": 10}),
            400,
            "filename is required",
        ),
        (
            "/v1/common/file/getUploadParams",
            json!({"module": "auth", "account": "13900000013", "filename": "a.png"}),
            400,
            "size is required",
        ),
        ("/v1/no/such/route", json!({}), 404, "no such endpoint"),
    ];
    for (path, body, status, needle) in cases {
        let r = app.post(path, body.clone(), &[]).await;
        assert_eq!(r.status, status, "{path} {body}: {:?}", r.body);
        assert_eq!(
            r.body["errorCode"], status as i64,
            "{path} {body}: {:?}",
            r.body
        );
        let msg = r.body["errorMsg"].as_str().unwrap_or_default();
        assert!(
            msg.contains(needle),
            "{path} {body}: {msg:?} should mention {needle:?}"
        );
        assert_eq!(r.body["data"], json!({}));
        assert_eq!(r.body["description"], "");
    }
    let r = app.send(app.http.get(app.url("/v1/user/pwdLogin"))).await;
    assert_eq!((r.status, r.body["errorCode"].as_i64()), (405, Some(405)));
    let r = app.post_raw("/v1/user/pwdLogin", "{not json", &[]).await;
    assert_eq!((r.status, r.body["errorCode"].as_i64()), (400, Some(400)));
    let big = format!("{{\"username\": \"{}\"}}", "1".repeat(65 * 1024));
    let r = app.post_raw("/v1/user/pwdLogin", big, &[]).await;
    assert_eq!((r.status, r.body["errorCode"].as_i64()), (413, Some(413)));
    assert!(
        app.outbox().is_empty(),
        "no code was sent by refused requests"
    );
}
