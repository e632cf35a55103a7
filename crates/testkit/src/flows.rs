//! Common steps a phone app takes, for tests that need them as set-up.

use serde_json::json;

use crate::TestApp;

impl TestApp {
    /// Seed 000: sends a code to `phone` and registers `username` with `password`.
    pub async fn register_consumer(&self, phone: &str, username: &str, password: &str) {
        let ck = self.client_key();
        let sent = self
            .get(
                &format!(
                    "/user/sms/customer/user/phone/sms/code?clientKey={ck}&phone={phone}&useType=1"
                ),
                &[],
            )
            .await;
        assert_eq!(sent.body["code"], 200, "send code: {:?}", sent.body);
        let code = self.last_code(phone);
        let reg = self
            .post(
                "/user/customer/user/register",
                json!({"clientKey": ck, "country": "CN", "registerType": 1, "phone": phone,
                       "username": username, "password": password, "verifyCode": code}),
                &[],
            )
            .await;
        assert_eq!(reg.body["code"], 200, "register: {:?}", reg.body);
    }

    /// Seed 000 extension: logs in by phone and returns the token.
    pub async fn login_consumer(&self, phone: &str, password: &str) -> String {
        let r = self
            .post(
                "/user/customer/user/login",
                json!({"clientKey": self.client_key(), "phone": phone, "password": password}),
                &[],
            )
            .await;
        assert_eq!(r.body["code"], 200, "login: {:?}", r.body);
        r.body["data"]["token"].as_str().unwrap().to_owned()
    }

    /// Seed 001: sends a codeType 1 code to `phone` and logs in with it from
    /// terminal `device_no` on the app platform. Returns the token.
    pub async fn code_login_lock(&self, phone: &str, device_no: &str) -> String {
        let sent = self
            .post(
                "/v1/common/sendValidationCode",
                json!({"account": phone, "channel": "1", "codeType": "1"}),
                &[],
            )
            .await;
        assert_eq!(sent.body["errorCode"], 0, "send code: {:?}", sent.body);
        let code = self.last_code(phone);
        let r = self
            .post(
                "/v1/user/codeLogin",
                json!({"platId": 2, "phone": phone, "verificationCode": code,
                       "deviceInfo": {"deviceNo": device_no, "deviceName": "Test phone",
                                      "deviceBrand": "Brand", "deviceModel": "M1"}}),
                &[],
            )
            .await;
        assert_eq!(r.body["errorCode"], 0, "code login: {:?}", r.body);
        r.body["data"]["token"].as_str().unwrap().to_owned()
    }
}

/// `Authorization: Bearer <token>` as a header pair.
pub fn bearer(token: &str) -> (&'static str, String) {
    ("authorization", format!("Bearer {token}"))
}
