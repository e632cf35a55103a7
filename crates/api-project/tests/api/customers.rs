//! Customers and customer roles (seed 003 用户管理), on SQLite and
//! PostgreSQL: every endpoint's success and failures, the cross-project
//! table, and customers as users of the identity core (seeds 000 and 001).

mod accounts;
mod edits;
mod isolation;
mod logins;
mod roles;

use accounts::*;
use edits::*;
use isolation::*;
use logins::*;
use roles::*;

use serde_json::{Value, json};
use thingstead_testkit::{Reply, TestApp};

thingstead_testkit::on_both_backends!(
    customers_are_created_read_and_listed,
    customers_list_in_pages_of_20,
    create_refuses_bad_input_and_writes_nothing,
    duplicates_answer_409_naming_the_field,
    info_changes_profile_fields,
    info_refuses_bad_input,
    tags_merge,
    password_change_ends_the_customers_sessions,
    delete_removes_the_customer_and_its_sessions,
    customer_logs_in_through_seeds_000_and_001,
    app_users_appear_in_customers,
    customer_auth_checks_the_password,
    roles_are_created_listed_changed_and_deleted,
    roles_refuse_bad_input,
    another_projects_ids_answer_like_missing_ones,
    project_tokens_are_required,
);

thingstead_testkit::on_both_backends!(few_failures, json!({"login_failure_max": 3}) =>
    customer_auth_counts_in_the_login_failure_limit,
);

/// The password customers get in these tests.
pub const PW: &str = "secret-pass-1";

/// The `info` of a successful answer, asserting the envelope.
pub fn info(r: &Reply) -> &Value {
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["result"], true, "{:?}", r.body);
    &r.body["info"]
}

/// Asserts a failure envelope with `errcode` (HTTP 200).
pub fn refused(r: &Reply, errcode: i64) {
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["result"], false, "{:?}", r.body);
    assert_eq!(r.body["errcode"], errcode, "{:?}", r.body);
    assert!(r.body["message"].is_string(), "{:?}", r.body);
    assert!(r.body["errors"].is_array(), "{:?}", r.body);
}

/// Asserts a 400 naming `field`.
pub fn bad_field(r: &Reply, field: &str) {
    refused(r, 400);
    let named = r.body["errors"][0]["field"] == field
        || r.body["message"]
            .as_str()
            .is_some_and(|m| m.starts_with(field));
    assert!(named, "expected a complaint about {field}: {:?}", r.body);
}

/// Creates a customer and returns its id.
pub async fn create_customer(app: &TestApp, token: &str, body: Value) -> String {
    let r = app.post_auth("/api/v1/customer", body, token).await;
    let id = info(&r)["id"].as_str().unwrap().to_owned();
    assert!(id.parse::<i64>().is_ok(), "{id}");
    id
}

/// Creates a customer `account` with password [`PW`] and returns its id.
pub async fn customer(app: &TestApp, token: &str, account: &str) -> String {
    create_customer(
        app,
        token,
        json!({"name": format!("Name {account}"), "account": account, "password": PW}),
    )
    .await
}

/// `GET /api/v1/customer/{id}`.
pub async fn read(app: &TestApp, token: &str, id: &str) -> Reply {
    app.get_auth(&format!("/api/v1/customer/{id}"), token).await
}

/// Every customer of the caller's project.
pub async fn all_customers(app: &TestApp, token: &str) -> Vec<Value> {
    let r = app.get_auth("/api/v1/customers", token).await;
    info(&r)["items"].as_array().unwrap().clone()
}

/// Seed 001 password login on the web platform (no terminal rule).
pub async fn lock_login(app: &TestApp, username: &str, password: &str) -> Reply {
    app.post(
        "/v1/user/pwdLogin",
        json!({"platId": 1, "username": username, "password": password}),
        &[],
    )
    .await
}

/// Seed 001 login that must succeed; returns the token.
pub async fn lock_token(app: &TestApp, username: &str, password: &str) -> String {
    let r = lock_login(app, username, password).await;
    assert_eq!(r.body["errorCode"], 0, "pwdLogin {username}: {:?}", r.body);
    r.body["data"]["token"].as_str().unwrap().to_owned()
}

/// The seed 001 `errorCode` of `/v1/user/detail` with `token`.
pub async fn detail_code(app: &TestApp, token: &str) -> i64 {
    let r = app.post_auth("/v1/user/detail", json!({}), token).await;
    r.body["errorCode"].as_i64().unwrap()
}
