//! Device types, extend-info definitions, groups, devices, certificates,
//! extend infos and device statistics, on SQLite and PostgreSQL.

mod cross_project;
mod groups;
mod infos;
mod lifecycle;
mod manage;
mod paging;
mod types;

use cross_project::*;
use groups::*;
use infos::*;
use lifecycle::*;
use manage::*;
use paging::*;
use types::*;

use serde_json::{Value, json};
use thingstead_testkit::{Reply, TestApp, on_both_backends};

on_both_backends!(
    device_types_are_created_listed_changed_and_deleted,
    extend_info_definitions_are_defined_and_deleted,
    device_type_input_is_checked,
    group_tree_nests_at_any_depth,
    groups_move_and_delete_with_their_rules,
    devices_get_a_default_type_and_generated_fields,
    device_creation_is_checked_and_duplicate_keys_refused,
    device_info_tags_and_groups_change,
    certificates_show_and_rotate_the_access_token,
    devices_are_deleted_with_their_links,
    pages_of_twenty_with_totals,
    list_filters_by_type_and_group,
    extend_infos_take_values_of_their_type,
    standard_infos_are_checked_per_type,
    statistics_count_the_project_devices,
    another_projects_ids_answer_like_missing_ones,
    calls_without_a_project_token_are_refused,
);

/// `/api/v1` + `path`.
pub fn api(path: &str) -> String {
    format!("/api/v1{path}")
}

/// The `info` of a successful answer.
pub fn info(r: &Reply) -> Value {
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["result"], true, "expected success: {:?}", r.body);
    r.body["info"].clone()
}

/// The message of a refusal with this errcode (HTTP 200).
pub fn refused(r: &Reply, errcode: i64) -> String {
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["result"], false, "expected a refusal: {:?}", r.body);
    assert_eq!(r.body["errcode"], errcode, "{:?}", r.body);
    assert!(r.body["errors"].is_array(), "{:?}", r.body);
    r.body["message"].as_str().unwrap().to_owned()
}

/// GET, authorized.
pub async fn get(app: &TestApp, token: &str, path: &str) -> Reply {
    app.get_auth(&api(path), token).await
}

/// POST a body, authorized.
pub async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> Reply {
    app.post_auth(&api(path), body, token).await
}

/// PUT a body, authorized.
pub async fn put(app: &TestApp, token: &str, path: &str, body: Value) -> Reply {
    app.put_auth(&api(path), body, token).await
}

/// DELETE, authorized.
pub async fn delete(app: &TestApp, token: &str, path: &str) -> Reply {
    app.delete_auth(&api(path), token).await
}

/// Creates a device type; returns its id.
pub async fn new_type(app: &TestApp, token: &str, name: &str) -> String {
    let r = post(app, token, "/device_type", json!({"name": name})).await;
    info(&r)["id"].as_str().unwrap().to_owned()
}

/// Creates a group (under `parent` when given); returns its id.
pub async fn new_group(app: &TestApp, token: &str, name: &str, parent: Option<&str>) -> String {
    let mut body = json!({"name": name});
    if let Some(p) = parent {
        body["parent"] = json!(p);
    }
    let r = post(app, token, "/device_group", body).await;
    info(&r)["id"].as_str().unwrap().to_owned()
}

/// Creates a device from `body`; returns its id.
pub async fn new_device(app: &TestApp, token: &str, body: Value) -> String {
    let r = post(app, token, "/device", body).await;
    info(&r)["id"].as_str().unwrap().to_owned()
}

/// Creates a custom extend-info definition on the type; returns its id.
pub async fn new_info(app: &TestApp, token: &str, type_id: &str, info_type: &str) -> String {
    let r = post(
        app,
        token,
        &format!("/device_type/{type_id}/extend_info"),
        json!({"info_type": info_type, "name": format!("a {info_type}")}),
    )
    .await;
    info(&r)["id"].as_str().unwrap().to_owned()
}
