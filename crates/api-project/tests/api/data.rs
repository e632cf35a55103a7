//! Device data (seed 003 设备数据): reports sent through the HTTP device API
//! read back through `attributes`, `attributes_raw` and `series`, and
//! `attributes_remove`; on SQLite and PostgreSQL.

mod isolation;
mod reads;
mod series;

use isolation::*;
use reads::*;
use series::*;

pub use crate::devices::{api, delete, get, info, new_device, post, put, refused};
use serde_json::{Value, json};
use thingstead_testkit::{Reply, TestApp, on_both_backends};

on_both_backends!(
    reports_are_read_back_with_their_types,
    later_reports_replace_current_values_and_add_history,
    cloud_attributes_show_as_cloud,
    attributes_are_removed_and_history_stays,
    remove_refuses_bad_bodies,
    series_pages_newest_first,
    series_page_bounds_name_their_field,
    series_time_windows,
    another_projects_devices_answer_like_missing_ones,
    data_calls_need_a_project_token,
);

/// A device of the project and its certificate.
pub struct Dev {
    pub id: String,
    pub access_token: String,
    pub project_key: String,
}

/// Creates a device named `name` and reads its certificate.
pub async fn new_dev(app: &TestApp, token: &str, name: &str) -> Dev {
    let id = new_device(app, token, json!({"name": name})).await;
    let cert = info(&get(app, token, &format!("/device/{id}/certificate")).await);
    Dev {
        id,
        access_token: cert["access_token"].as_str().unwrap().to_owned(),
        project_key: cert["project_key"].as_str().unwrap().to_owned(),
    }
}

/// The device reports `attrs` over the HTTP device API; answers once stored.
pub async fn report(app: &TestApp, dev: &Dev, attrs: Value) {
    let r = app
        .post(
            &format!("/device/v1/{}/attributes", dev.access_token),
            attrs,
            &[("Project-Key", dev.project_key.as_str())],
        )
        .await;
    assert_eq!(r.status, 200, "report: {:?}", r.body);
    assert_eq!(r.body["result"], 1, "report: {:?}", r.body);
}

/// The device's `attributes_raw`.
pub async fn raw(app: &TestApp, token: &str, dev: &Dev) -> Value {
    info(&get(app, token, &format!("/device/{}/attributes_raw", dev.id)).await)
}

/// Now in unix milliseconds.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// The `attributes` item of `identifier`.
pub fn item<'a>(items: &'a Value, identifier: &str) -> &'a Value {
    items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["identifier"] == identifier)
        .unwrap_or_else(|| panic!("no {identifier} in {items}"))
}

/// The values of a `series` answer, in order.
pub fn values(points: &Value) -> Vec<Value> {
    points
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["value"].clone())
        .collect()
}

/// GET the series of `identifier` with a query string.
pub async fn series_of(app: &TestApp, token: &str, dev: &Dev, identifier: &str, q: &str) -> Reply {
    get(
        app,
        token,
        &format!("/device/{}/attribute/{identifier}/series{q}", dev.id),
    )
    .await
}
