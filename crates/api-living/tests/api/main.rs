//! Seed 002 driven over HTTP as the phone app would, and devices onboarded
//! over HTTP and MQTT as firmware would, on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod addresses;
mod alarm_flows;
mod alarms;
mod bindings;
mod envelope;
mod mqtt;
mod onboarding;
mod push;
mod scenes;
mod sharing;
mod story;

use addresses::*;
use alarm_flows::*;
use bindings::*;
use envelope::*;
use onboarding::*;
use push::*;
use scenes::*;
use sharing::*;
use story::*;

use serde_json::{Value, json};
use thingstead_testkit::{Reply, TestApp, on_both_backends};

on_both_backends!(
    the_family_story,
    requests_without_the_envelope_get_460_or_400,
    tokens_missing_unknown_or_ended_get_401,
    unknown_paths_get_404_with_the_id,
    params_of_the_wrong_type_name_the_field,
    lists_filter_page_and_sort,
    nicknames_are_per_user,
    listing_by_device_needs_a_binding,
    get_by_account_and_dev_answers_empty_when_not_bound,
    members_leave_alone_and_owners_take_everyone,
    unbind_by_manager_needs_the_owner,
    share_keys_need_the_owner_and_a_shareable_type,
    share_keys_are_single_use_and_expire,
    two_scanners_of_one_key_one_wins,
    share_notices_wait_for_an_account,
    share_notices_are_cancelled_refused_or_expire,
    owner_unbinding_ends_pending_notices,
    notice_lists_page_and_clear,
    share_to_email_and_bad_addresses,
    share_notices_are_throttled_per_sender,
    provisioning_over_http_binds_the_owner,
    wrong_expired_and_used_codes_bind_nothing,
    two_devices_with_one_code_one_wins,
    provisioning_over_mqtt,
    push_channels_move_and_end_with_the_session,
    sub_devices_of_a_gateway,
    scenes_are_created_fired_shared_and_left,
);

alarms::with_hook_tests!(
    a_report_over_the_threshold_opens_one_alarm_and_pushes_it,
    a_failing_webhook_is_retried_and_every_attempt_logged,
    a_notification_pending_at_restart_is_delivered_after_it,
    apps_follow_their_devices_live,
    offline_and_event_rules_open_and_close,
    rules_that_ask_for_sms_and_email_send_them,
);

/// A signed-in app user.
pub struct User {
    pub id: String,
    pub phone: String,
    pub token: String,
}

/// Registers a consumer with `phone` and logs in.
pub async fn user(app: &TestApp, phone: &str) -> User {
    app.register_consumer(phone, &format!("u{phone}"), "secret-pass-1")
        .await;
    let token = app.login_consumer(phone, "secret-pass-1").await;
    let me = app
        .get("/user/customer/user/detail", &[("token", &token)])
        .await;
    let id = me.body["data"]["id"].to_string();
    User {
        id,
        phone: phone.to_owned(),
        token,
    }
}

/// Signs in with a seed 001 code login from terminal `terminal` (making
/// the account on first use).
pub async fn lock_user(app: &TestApp, phone: &str, terminal: &str) -> User {
    let token = app.code_login_lock(phone, terminal).await;
    let me = app
        .get("/user/customer/user/detail", &[("token", &token)])
        .await;
    User {
        id: me.body["data"]["id"].to_string(),
        phone: phone.to_owned(),
        token,
    }
}

/// POSTs the seed 002 envelope to `path` with `params`.
pub async fn call(app: &TestApp, path: &str, token: &str, params: Value) -> Reply {
    let r = app
        .post(
            path,
            json!({"id": "req-1", "version": "1.0",
                   "request": {"iotToken": token, "apiVer": "1.0.2"}, "params": params}),
            &[],
        )
        .await;
    assert_eq!(r.status, 200, "{path}: {:?}", r.body);
    assert_eq!(r.body["id"], "req-1", "{path}: {:?}", r.body);
    r
}

/// A call that must succeed; its `data`.
pub async fn ok(app: &TestApp, path: &str, token: &str, params: Value) -> Value {
    let r = call(app, path, token, params).await;
    assert_eq!(r.body["code"], 200, "{path}: {:?}", r.body);
    r.body["data"].clone()
}

/// A call that must be refused with `code`; its message.
pub async fn refused(app: &TestApp, path: &str, token: &str, params: Value, code: i64) -> String {
    let r = call(app, path, token, params).await;
    assert_eq!(r.body["code"], code, "{path}: {:?}", r.body);
    assert!(r.body.get("data").is_none(), "{:?}", r.body);
    r.body["message"].as_str().unwrap().to_owned()
}

/// The `iotId`s of the caller's `listBindingByAccount`, in order.
pub async fn my_devices(app: &TestApp, u: &User) -> Vec<String> {
    let data = ok(
        app,
        "/uc/listBindingByAccount",
        &u.token,
        json!({"pageNo": 1, "pageSize": 100}),
    )
    .await;
    data["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["iotId"].as_str().unwrap().to_owned())
        .collect()
}

/// A device as firmware has it.
pub struct Dev {
    pub id: String,
    pub access_token: String,
    pub project_key: String,
}

/// The default project's key.
pub fn project_key(app: &TestApp) -> String {
    app.credentials["project_key"].as_str().unwrap().to_owned()
}

/// A device registering itself with `/device/v1/certificate` (with a type key, if given).
pub async fn device(app: &TestApp, key: &str, type_key: Option<&str>) -> Dev {
    let pk = project_key(app);
    let mut body = json!({"device_key": key});
    if let Some(t) = type_key {
        body["type_key"] = json!(t);
    }
    let r = app
        .post("/device/v1/certificate", body, &[("Project-Key", &pk)])
        .await;
    assert_eq!(r.body["result"], 1, "{:?}", r.body);
    Dev {
        id: r.body["device"]["id"].as_str().unwrap().to_owned(),
        access_token: r.body["device"]["access_token"]
            .as_str()
            .unwrap()
            .to_owned(),
        project_key: pk,
    }
}

/// A provisioning code for the user (seed 000).
pub async fn provision_code(app: &TestApp, u: &User) -> String {
    let r = app
        .post(
            "/user/customer/user/provision",
            json!({"provisionType": 1}),
            &[("token", &u.token)],
        )
        .await;
    assert_eq!(r.body["code"], 200, "{:?}", r.body);
    r.body["data"].as_str().unwrap().to_owned()
}

/// The device presents `code` over HTTP.
pub async fn present(app: &TestApp, dev: &Dev, code: &str) -> Reply {
    app.post(
        &format!("/device/v1/{}/provision", dev.access_token),
        json!({"code": code}),
        &[("Project-Key", &dev.project_key)],
    )
    .await
}

/// A device `key` onboarded by `u` over HTTP.
pub async fn owned_device(app: &TestApp, u: &User, key: &str) -> Dev {
    let dev = device(app, key, None).await;
    let code = provision_code(app, u).await;
    let r = present(app, &dev, &code).await;
    assert_eq!(r.body["result"], 1, "{:?}", r.body);
    dev
}

/// A device type made through the project API; its id and `type_key`.
pub async fn device_type(app: &TestApp, body: Value) -> (String, String) {
    let token = app.project_token().await;
    let r = app.post_auth("/api/v1/device_type", body, &token).await;
    assert_eq!(r.body["result"], true, "{:?}", r.body);
    let info = &r.body["info"];
    (
        info["id"].as_str().unwrap().to_owned(),
        info["type_key"].as_str().unwrap().to_owned(),
    )
}

/// Seed 001: unbinds every terminal of the token's account, ending their sessions.
pub async fn end_terminal_sessions(app: &TestApp, token: &str) {
    let auth = format!("Bearer {token}");
    let r = app
        .post(
            "/v1/user/getBindMobileDevice",
            json!({}),
            &[("authorization", &auth)],
        )
        .await;
    assert_eq!(r.body["errorCode"], 0, "{:?}", r.body);
    for t in r.body["data"].as_array().unwrap() {
        let u = app
            .post(
                "/v1/user/unbindMobileDevice",
                json!({"id": t["id"]}),
                &[("authorization", &auth)],
            )
            .await;
        assert_eq!(u.body["errorCode"], 0, "{:?}", u.body);
    }
}
