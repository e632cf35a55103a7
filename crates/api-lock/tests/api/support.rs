//! Steps shared by the seed 001 tests.

use serde_json::{Value, json};
use thingstead_testkit::TestApp;

pub const PW: &str = "digest-of-password-1";

/// `sendValidationCode` and its answer body.
pub async fn send(app: &TestApp, body: Value) -> Value {
    app.post("/v1/common/sendValidationCode", body, &[])
        .await
        .body
}

/// Password login on the web platform (no terminal rule); returns the token.
pub async fn pwd_login_web(app: &TestApp, phone: &str, password: &str) -> String {
    let r = app
        .post(
            "/v1/user/pwdLogin",
            json!({"platId": 1, "username": phone, "password": password}),
            &[],
        )
        .await;
    assert_eq!(r.body["errorCode"], 0, "pwdLogin: {:?}", r.body);
    r.body["data"]["token"].as_str().unwrap().to_owned()
}
