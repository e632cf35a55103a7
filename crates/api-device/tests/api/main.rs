//! The HTTP device API driven as devices would, on SQLite and PostgreSQL:
//! reports read back through the project API, certificates issued by
//! project key, and every refusal in `{"result": 0, "message"}`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod certificates;
mod refusals;
mod reports;

use certificates::*;
use refusals::*;
use reports::*;

use serde_json::{Value, json};
use thingstead_testkit::{Reply, TestApp, on_both_backends};

on_both_backends!(
    attribute_reports_are_stored_and_read_back,
    reads_take_a_list_of_keys,
    events_are_taken_with_or_without_an_id,
    reports_are_refused_without_the_right_certificate,
    bad_bodies_are_refused_and_store_nothing,
    unknown_routes_and_methods_answer_in_the_envelope,
    a_certificate_is_issued_once_per_device_key,
    certificates_take_a_type_key,
    certificates_give_new_devices_to_a_customer,
    certificates_need_the_project_key,
    certificate_bodies_are_checked,
    provisioning_binds_the_device_to_the_codes_user,
);

/// A device and its certificate.
pub struct Dev {
    pub id: String,
    pub access_token: String,
    pub project_key: String,
}

/// The `info` of a successful project API answer.
pub fn info(r: &Reply) -> Value {
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["result"], true, "expected success: {:?}", r.body);
    r.body["info"].clone()
}

/// A device API refusal: its HTTP status, `result: 0` and the message.
pub fn refused(r: &Reply, status: u16) -> String {
    assert_eq!(r.status, status, "{:?}", r.body);
    assert_eq!(r.body["result"], 0, "{:?}", r.body);
    assert_eq!(r.body.as_object().unwrap().len(), 2, "{:?}", r.body);
    r.body["message"].as_str().unwrap().to_owned()
}

/// Creates a device through the project API and reads its certificate.
pub async fn new_dev(app: &TestApp, token: &str, name: &str) -> Dev {
    let r = app
        .post_auth("/api/v1/device", json!({ "name": name }), token)
        .await;
    let id = info(&r)["id"].as_str().unwrap().to_owned();
    let cert = info(
        &app.get_auth(&format!("/api/v1/device/{id}/certificate"), token)
            .await,
    );
    Dev {
        id,
        access_token: cert["access_token"].as_str().unwrap().to_owned(),
        project_key: cert["project_key"].as_str().unwrap().to_owned(),
    }
}

/// POST a device API path with a `Project-Key`.
pub async fn device_post(app: &TestApp, path: &str, key: &str, body: Value) -> Reply {
    app.post(&format!("/device/v1{path}"), body, &[("Project-Key", key)])
        .await
}

/// GET a device API path with a `Project-Key`.
pub async fn device_get(app: &TestApp, path: &str, key: &str) -> Reply {
    app.get(&format!("/device/v1{path}"), &[("Project-Key", key)])
        .await
}

/// The device's current values, through the project API.
pub async fn raw(app: &TestApp, token: &str, dev: &Dev) -> Value {
    info(
        &app.get_auth(&format!("/api/v1/device/{}/attributes_raw", dev.id), token)
            .await,
    )
}

/// The project's devices (first page), through the project API.
pub async fn devices(app: &TestApp, token: &str) -> Value {
    info(&app.get_auth("/api/v1/devices", token).await)
}
