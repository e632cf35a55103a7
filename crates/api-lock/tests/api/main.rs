//! Seed 001 driven over HTTP as the lock app would, on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod input;
mod support;
mod uploads;

use input::*;
use uploads::*;

use serde_json::json;
use support::*;
use thingstead_testkit::{TestApp, on_both_backends};

on_both_backends!(
    email_codes_travel_by_email,
    profile_updates,
    bad_input_gets_the_envelope_and_changes_nothing,
    tokens_are_checked,
    one_domain_across_dialects,
    uploads_store_real_images_once,
    upload_params_check_module_fields,
);

on_both_backends!(quick_resend, json!({"code_send_interval_secs": 0}) =>
    code_login_creates_the_account_and_detail_shows_it,
    password_login_from_a_new_terminal_answers_441,
    terminals_are_listed_and_unbinding_ends_their_sessions,
    reset_password_takes_a_code_type_2_and_ends_sessions,
    change_password_keeps_only_this_session,
    phone_change_needs_a_code_to_the_new_phone,
    send_code_auth_goes_to_own_phone,
);

async fn code_login_creates_the_account_and_detail_shows_it(app: TestApp) {
    let token = app.code_login_lock("13900000001", "phone-1").await;
    assert!(
        token.split_once('|').is_some(),
        "token shape <n>|<random>: {token}"
    );
    let r = app.post_auth("/v1/user/detail", json!({}), &token).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["errorCode"], 0);
    assert_eq!(r.body["errorMsg"], "success");
    assert_eq!(r.body["description"], "success");
    let d = &r.body["data"];
    assert!(d["id"].is_i64());
    assert!(d["accountNo"].as_str().unwrap().starts_with("YH"));
    assert_eq!(d["countryCode"], "+86");
    assert_eq!(d["phone"], "13900000001");
    assert_eq!(d["nickname"], "用户0001");
    assert_eq!(d["headUrl"], "");
    assert_eq!(d["createdAt"].as_str().unwrap().len(), 19);
    assert_eq!(d["lastLoginTime"].as_str().unwrap().len(), 19);
    assert_eq!(d["currentTeamNo"], "");
    assert_eq!(d["teamList"], json!([]));
    // A second code login finds the same account.
    let again = app.code_login_lock("13900000001", "phone-1").await;
    let r2 = app.post_auth("/v1/user/detail", json!({}), &again).await;
    assert_eq!(r2.body["data"]["id"], d["id"]);
    // The code was spent.
    let code = app.last_code("13900000001");
    let reuse = app
        .post(
            "/v1/user/codeLogin",
            json!({"platId": 2, "phone": "13900000001", "verificationCode": code}),
            &[],
        )
        .await;
    assert_eq!(reuse.body["errorCode"], 1001);
}

async fn password_login_from_a_new_terminal_answers_441(app: TestApp) {
    app.register_consumer("13900000002", "olga", PW).await;
    let login = |plat: i64, device: Option<&str>| {
        let mut body = json!({"platId": plat, "username": "13900000002", "password": PW});
        if let Some(d) = device {
            body["deviceInfo"] = json!({"deviceNo": d, "deviceName": "XHJ-DM01", "deviceBrand": "iPhone", "deviceModel": "X"});
        }
        body
    };
    let r = app
        .post("/v1/user/pwdLogin", login(2, Some("uk06lSoK28oNmYC2")), &[])
        .await;
    assert_eq!(
        r.body,
        json!({"errorCode": 441, "errorMsg": "您正在一台新设备登录互联,为了您的账号安全,请进行安全验证", "description": "", "data": {}})
    );
    // Without deviceInfo: the app and mini program count as new, web and PC do not.
    for plat in [2, 3] {
        assert_eq!(
            app.post("/v1/user/pwdLogin", login(plat, None), &[])
                .await
                .body["errorCode"],
            441
        );
    }
    for plat in [1, 4] {
        let r = app.post("/v1/user/pwdLogin", login(plat, None), &[]).await;
        assert_eq!(r.body["errorCode"], 0, "{:?}", r.body);
    }
    // A wrong password answers 1002, not 441, even from a new terminal.
    let mut wrong = login(2, Some("uk06lSoK28oNmYC2"));
    wrong["password"] = json!("not-the-password");
    assert_eq!(
        app.post("/v1/user/pwdLogin", wrong, &[]).await.body["errorCode"],
        1002
    );
    // After a code login from that terminal, password login works there.
    app.code_login_lock("13900000002", "uk06lSoK28oNmYC2").await;
    let r = app
        .post("/v1/user/pwdLogin", login(2, Some("uk06lSoK28oNmYC2")), &[])
        .await;
    assert_eq!(r.body["errorCode"], 0, "{:?}", r.body);
    let token = r.body["data"]["token"].as_str().unwrap();
    assert_eq!(
        app.post_auth("/v1/user/detail", json!({}), token)
            .await
            .body["errorCode"],
        0
    );
    // Another terminal is still new.
    assert_eq!(
        app.post("/v1/user/pwdLogin", login(2, Some("other")), &[])
            .await
            .body["errorCode"],
        441
    );
}

async fn terminals_are_listed_and_unbinding_ends_their_sessions(app: TestApp) {
    let a = app.code_login_lock("13900000003", "device-a").await;
    let b = app.code_login_lock("13900000003", "device-b").await;
    let r = app
        .post_auth(
            "/v1/user/getBindMobileDevice",
            json!({"currentDeviceNo": "device-a"}),
            &a,
        )
        .await;
    assert_eq!(r.body["errorCode"], 0);
    let list = r.body["data"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["deviceNo"], "device-a");
    assert_eq!(list[1]["deviceNo"], "device-b");
    assert_eq!(list[0]["deviceName"], "Test phone");
    assert_eq!(list[0]["platId"], 2);
    assert_eq!(list[0]["lastLoginTime"].as_str().unwrap().len(), 19);
    let b_id = list[1]["id"].as_i64().unwrap();

    // Another account cannot unbind it: answers like a missing one.
    let other = app.code_login_lock("13900000004", "device-x").await;
    let foreign = app
        .post_auth("/v1/user/unbindMobileDevice", json!({"id": b_id}), &other)
        .await;
    let missing = app
        .post_auth("/v1/user/unbindMobileDevice", json!({"id": 999999}), &other)
        .await;
    assert_eq!(foreign.body, missing.body);
    assert_eq!(foreign.body["errorCode"], 404);
    assert_eq!(
        app.post_auth("/v1/user/detail", json!({}), &b).await.body["errorCode"],
        0
    );

    let r = app
        .post_auth("/v1/user/unbindMobileDevice", json!({"id": b_id}), &a)
        .await;
    assert_eq!(
        r.body,
        json!({"errorCode": 0, "errorMsg": "success", "description": "success", "data": {}})
    );
    let gone = app.post_auth("/v1/user/detail", json!({}), &b).await;
    assert_eq!(
        (gone.status, gone.body["errorCode"].as_i64()),
        (401, Some(401))
    );
    assert_eq!(
        app.post_auth("/v1/user/detail", json!({}), &a).await.body["errorCode"],
        0
    );
    let r = app
        .post_auth("/v1/user/getBindMobileDevice", json!({}), &a)
        .await;
    assert_eq!(r.body["data"].as_array().unwrap().len(), 1);
}

async fn reset_password_takes_a_code_type_2_and_ends_sessions(app: TestApp) {
    app.register_consumer("13900000005", "petra", PW).await;
    let web = pwd_login_web(&app, "13900000005", PW).await;
    send(
        &app,
        json!({"account": "13900000005", "channel": "1", "codeType": "1"}),
    )
    .await;
    let wrong_type = app.last_code("13900000005");
    let r = app
        .post("/v1/user/resetPassword", json!({"account": "13900000005", "verificationCode": wrong_type, "newPassword": "fresh-pass-1"}), &[])
        .await;
    assert_eq!(
        r.body["errorCode"], 1001,
        "a codeType 1 code does not reset"
    );

    let sent = app
        .post(
            "/v1/common/sendValidationCode",
            json!({"countryCode": "+86", "account": "13900000005", "channel": 1, "codeType": 2}),
            &[],
        )
        .await;
    assert_eq!(sent.body["data"], json!({"res": "success"}));
    let code: i64 = app.last_code("13900000005").parse().unwrap();
    let r = app
        .post("/v1/user/resetPassword", json!({"countryCode": "+86", "account": "13900000005", "verificationCode": code, "newPassword": "fresh-pass-1"}), &[])
        .await;
    assert_eq!(r.body["errorCode"], 0, "{:?}", r.body);
    assert_eq!(
        app.post_auth("/v1/user/detail", json!({}), &web).await.body["errorCode"],
        401
    );
    pwd_login_web(&app, "13900000005", "fresh-pass-1").await;
}

async fn email_codes_travel_by_email(app: TestApp) {
    let r = send(
        &app,
        json!({"account": "Someone@Example.com", "channel": "2", "codeType": "6"}),
    )
    .await;
    assert_eq!(r["errorCode"], 0);
    let m = app.outbox().pop().unwrap();
    assert_eq!(
        (m.channel.as_str(), m.to.as_str(), m.purpose.as_str()),
        ("email", "someone@example.com", "bind_email")
    );
    let r = send(
        &app,
        json!({"account": "not-an-email", "channel": "2", "codeType": "6"}),
    )
    .await;
    assert_eq!(r["errorCode"], 400);
    assert!(r["errorMsg"].as_str().unwrap().contains("account"));
}

async fn profile_updates(app: TestApp) {
    let token = app.code_login_lock("13900000006", "p").await;
    let r = app
        .post_auth(
            "/v1/user/updateUserInfo",
            json!({"headUrl": "https://cdn.example.com/a.png", "name": "biaobiao"}),
            &token,
        )
        .await;
    assert_eq!(r.body["errorCode"], 0);
    let d = app
        .post_auth("/v1/user/detail", json!({}), &token)
        .await
        .body["data"]
        .clone();
    assert_eq!(
        (d["nickname"].as_str(), d["headUrl"].as_str()),
        (Some("biaobiao"), Some("https://cdn.example.com/a.png"))
    );
    let r = app
        .post_auth(
            "/v1/user/updateUserInfo",
            json!({"headUrl": "javascript:alert(1)"}),
            &token,
        )
        .await;
    assert_eq!(r.body["errorCode"], 400);
    assert!(r.body["errorMsg"].as_str().unwrap().contains("headUrl"));
    let r = app
        .post_auth("/v1/user/updateUserInfo", json!({}), &token)
        .await;
    assert_eq!(r.body["errorCode"], 400);
    let d2 = app
        .post_auth("/v1/user/detail", json!({}), &token)
        .await
        .body["data"]
        .clone();
    assert_eq!(d, d2, "refused updates change nothing");
}

async fn change_password_keeps_only_this_session(app: TestApp) {
    app.register_consumer("13900000007", "quinn", PW).await;
    let one = pwd_login_web(&app, "13900000007", PW).await;
    let two = pwd_login_web(&app, "13900000007", PW).await;
    let r = app
        .post_auth(
            "/v1/common/sendValidationCodeAuth",
            json!({"channel": "1", "codeType": "9"}),
            &one,
        )
        .await;
    assert_eq!(r.body["errorCode"], 0, "{:?}", r.body);
    let code = app.last_code("13900000007");
    assert_eq!(app.outbox().last().unwrap().purpose, "change_password");
    let r = app
        .post_auth(
            "/v1/user/changePassword",
            json!({"verificationCode": code, "password": "changed-pass"}),
            &one,
        )
        .await;
    assert_eq!(r.body["errorCode"], 0, "{:?}", r.body);
    assert_eq!(
        app.post_auth("/v1/user/detail", json!({}), &one).await.body["errorCode"],
        0
    );
    assert_eq!(
        app.post_auth("/v1/user/detail", json!({}), &two).await.body["errorCode"],
        401
    );
    pwd_login_web(&app, "13900000007", "changed-pass").await;
}

async fn phone_change_needs_a_code_to_the_new_phone(app: TestApp) {
    let token = app.code_login_lock("13900000008", "p").await;
    app.code_login_lock("13900000009", "q").await;
    // A codeType 3 code to the old phone does not move the account.
    send(
        &app,
        json!({"account": "13900000008", "channel": "1", "codeType": "3"}),
    )
    .await;
    let old = app.last_code("13900000008");
    let r = app
        .post_auth(
            "/v1/user/updateUserInfo",
            json!({"phone": "13900000010", "verificationCode": old}),
            &token,
        )
        .await;
    assert_eq!(r.body["errorCode"], 1001);
    // To a phone another account holds: refused after the code checks.
    send(
        &app,
        json!({"account": "13900000009", "channel": "1", "codeType": "3"}),
    )
    .await;
    let taken = app.last_code("13900000009");
    let r = app
        .post_auth(
            "/v1/user/updateUserInfo",
            json!({"phone": "13900000009", "verificationCode": taken}),
            &token,
        )
        .await;
    assert_eq!(r.body["errorCode"], 1003);
    // To a free phone.
    send(
        &app,
        json!({"account": "13900000010", "channel": "1", "codeType": "3"}),
    )
    .await;
    let code = app.last_code("13900000010");
    let r = app
        .post_auth(
            "/v1/user/updateUserInfo",
            json!({"phone": "13900000010", "verificationCode": code}),
            &token,
        )
        .await;
    assert_eq!(r.body["errorCode"], 0);
    assert_eq!(
        app.post_auth("/v1/user/detail", json!({}), &token)
            .await
            .body["data"]["phone"],
        "13900000010"
    );
}

async fn send_code_auth_goes_to_own_phone(app: TestApp) {
    let token = app.code_login_lock("13900000011", "p").await;
    let before = app.outbox().len();
    let r = app
        .post_auth(
            "/v1/common/sendValidationCodeAuth",
            json!({"channel": "2", "codeType": "9"}),
            &token,
        )
        .await;
    assert_eq!(
        r.body["errorCode"], 400,
        "no e-mail on this account: {:?}",
        r.body
    );
    let r = app
        .post_auth(
            "/v1/common/sendValidationCodeAuth",
            json!({"channel": "1", "codeType": "5"}),
            &token,
        )
        .await;
    assert_eq!(r.body["errorCode"], 0);
    let out = app.outbox();
    assert_eq!(out.len(), before + 1);
    assert_eq!(
        (out[before].to.as_str(), out[before].purpose.as_str()),
        ("13900000011", "delete_account")
    );
    let r = app
        .post(
            "/v1/common/sendValidationCodeAuth",
            json!({"channel": "1", "codeType": "5"}),
            &[],
        )
        .await;
    assert_eq!(r.body["errorCode"], 401);
}

async fn one_domain_across_dialects(app: TestApp) {
    // Registered through seed 000, logged in through seed 001 (web, no terminal).
    app.register_consumer("13900000014", "rita", PW).await;
    let lock_token = pwd_login_web(&app, "13900000014", PW).await;
    let consumer_token = app.login_consumer("13900000014", PW).await;
    // Each dialect's token works in the other.
    let d000 = app
        .get(
            "/user/customer/user/detail",
            &[("token", lock_token.as_str())],
        )
        .await;
    assert_eq!(d000.body["code"], 200);
    let d001 = app
        .post_auth("/v1/user/detail", json!({}), &consumer_token)
        .await;
    assert_eq!(d001.body["errorCode"], 0);
    assert_eq!(d000.body["data"]["id"], d001.body["data"]["id"]);
    assert_eq!(d001.body["data"]["phone"], "13900000014");
    // A change through one shows through the other.
    app.post_auth(
        "/v1/user/updateUserInfo",
        json!({"name": "Rita"}),
        &lock_token,
    )
    .await;
    let d = app
        .get(
            "/user/customer/user/detail",
            &[("token", consumer_token.as_str())],
        )
        .await;
    assert_eq!(d.body["data"]["nickName"], "Rita");
    // A seed-001 code-login account logs in through seed 000 after a reset.
    app.code_login_lock("13900000015", "x").await;
    let r = app
        .post(
            "/user/customer/user/login",
            json!({"clientKey": app.client_key(), "phone": "13900000015", "password": PW}),
            &[],
        )
        .await;
    assert_eq!(r.body["code"], 1006, "no password set yet");
}
