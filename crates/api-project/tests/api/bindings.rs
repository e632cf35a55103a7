//! User–device bindings, on SQLite and PostgreSQL: a customer's devices, a
//! device's customers, binding and unbinding (extensions), device counts,
//! deletions, another project's ids, and a company's whole story.

mod story;

use serde_json::{Value, json};
use thingstead_testkit::TestApp;

use crate::customers::customer;
use crate::devices::{api, delete, get, info, new_device, post, refused};
use story::*;

thingstead_testkit::on_both_backends!(
    bindings_list_both_ways_and_count,
    customer_devices_come_in_pages_of_20,
    binding_refuses_bad_input_and_binds_nothing,
    unbinding_removes_one_binding,
    deletions_take_their_bindings_along,
    another_projects_ids_answer_like_missing_ones,
    calls_without_a_project_token_are_refused,
    a_company_gives_a_customer_a_device,
);

/// `POST /customer/{c}/devices`.
pub async fn bind(app: &TestApp, token: &str, customer: &str, devices: Value) -> Value {
    let path = format!("/customer/{customer}/devices");
    let r = post(app, token, &path, json!({ "devices": devices })).await;
    r.body
}

/// Binds and asserts success.
pub async fn bound(app: &TestApp, token: &str, customer: &str, devices: Value) {
    let body = bind(app, token, customer, devices).await;
    assert_eq!(body["result"], true, "{body:?}");
}

/// Ids of the customer's devices, page 1.
async fn device_ids(app: &TestApp, token: &str, customer: &str) -> Vec<String> {
    let page = info(&get(app, token, &format!("/customer/{customer}/devices")).await);
    ids(&page)
}

/// Ids of the device's customers.
async fn customer_ids(app: &TestApp, token: &str, device: &str) -> Vec<String> {
    let list = info(&get(app, token, &format!("/device/{device}/customers")).await);
    ids(&list)
}

fn ids(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect()
}

/// `count.device_count` of the customer as read alone and as listed.
async fn device_count(app: &TestApp, token: &str, customer: &str) -> u64 {
    let read = info(&get(app, token, &format!("/customer/{customer}")).await);
    let n = read["count"]["device_count"].as_u64().unwrap();
    let list = info(&get(app, token, "/customers").await);
    let listed = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == customer)
        .unwrap();
    assert_eq!(listed["count"]["device_count"], n);
    n
}

pub async fn bindings_list_both_ways_and_count(app: TestApp) {
    let token = app.project_token().await;
    let a = new_device(&app, &token, json!({"name": "A"})).await;
    let b = new_device(&app, &token, json!({"name": "B"})).await;
    let c1 = customer(&app, &token, "cust_one").await;
    let c2 = customer(&app, &token, "cust_two").await;
    assert_eq!(device_count(&app, &token, &c1).await, 0);
    let empty = info(&get(&app, &token, &format!("/customer/{c1}/devices")).await);
    assert_eq!(empty, json!({"items": [], "total": 0, "page_total": 0}));
    assert!(customer_ids(&app, &token, &a).await.is_empty());

    bound(&app, &token, &c1, json!([b, a])).await;
    // Ids may come as numbers; binding twice changes nothing.
    bound(&app, &token, &c2, json!([a.parse::<i64>().unwrap()])).await;
    bound(&app, &token, &c1, json!([a])).await;
    assert_eq!(device_count(&app, &token, &c1).await, 2);
    assert_eq!(device_count(&app, &token, &c2).await, 1);

    let page = info(&get(&app, &token, &format!("/customer/{c1}/devices")).await);
    assert_eq!(page["total"], 2);
    assert_eq!(page["page_total"], 1);
    let mut got = ids(&page);
    got.sort();
    let mut want = vec![a.clone(), b.clone()];
    want.sort();
    assert_eq!(got, want);
    // The same items as `GET /devices`.
    let all = info(&get(&app, &token, "/devices").await);
    for item in page["items"].as_array().unwrap() {
        let same = all["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == item["id"])
            .unwrap();
        assert_eq!(item, same);
    }

    // A device's customers, in binding order, as `GET /customers` lists them.
    assert_eq!(
        customer_ids(&app, &token, &a).await,
        vec![c1.clone(), c2.clone()]
    );
    assert_eq!(customer_ids(&app, &token, &b).await, vec![c1.clone()]);
    let list = info(&get(&app, &token, &format!("/device/{a}/customers")).await);
    let one = info(&get(&app, &token, &format!("/customer/{c1}")).await);
    assert_eq!(list["items"][0], one);
    assert!(list.get("total").is_none());
}

pub async fn customer_devices_come_in_pages_of_20(app: TestApp) {
    let token = app.project_token().await;
    let c = customer(&app, &token, "many_devices").await;
    let mut devices = Vec::new();
    for i in 0..21 {
        devices.push(new_device(&app, &token, json!({"name": format!("D{i}")})).await);
    }
    bound(&app, &token, &c, json!(devices)).await;
    let path = format!("/customer/{c}/devices");
    let p1 = info(&get(&app, &token, &path).await);
    assert_eq!(
        (p1["total"].as_u64(), p1["page_total"].as_u64()),
        (Some(21), Some(2))
    );
    assert_eq!(p1["items"].as_array().unwrap().len(), 20);
    let p2 = info(&get(&app, &token, &format!("{path}?page=2")).await);
    assert_eq!(ids(&p2).len(), 1);
    assert_eq!(p2["total"], 21);
    let p3 = info(&get(&app, &token, &format!("{path}?page=3")).await);
    assert!(ids(&p3).is_empty());
    let far = info(&get(&app, &token, &format!("{path}?page=9999999999999")).await);
    assert!(ids(&far).is_empty());
    refused(&get(&app, &token, &format!("{path}?page=0")).await, 400);
    refused(&get(&app, &token, &format!("{path}?page=abc")).await, 400);
    assert_eq!(device_count(&app, &token, &c).await, 21);
}

pub async fn binding_refuses_bad_input_and_binds_nothing(app: TestApp) {
    let token = app.project_token().await;
    let d = new_device(&app, &token, json!({"name": "D"})).await;
    let c = customer(&app, &token, "picky").await;
    let path = format!("/customer/{c}/devices");
    for body in [
        json!({}),
        json!({"devices": []}),
        json!({"devices": vec!["1"; 101]}),
    ] {
        let m = refused(&post(&app, &token, &path, body).await, 400);
        assert!(m.starts_with("devices"), "{m}");
    }
    refused(
        &post(&app, &token, &path, json!({"devices": "1"})).await,
        400,
    );
    // One unknown id among good ones: nothing is bound.
    for bad in ["987654321", "abc", "0", "-1"] {
        let body = bind(&app, &token, &c, json!([d, bad])).await;
        assert_eq!(body["errcode"], 404, "{body:?}");
    }
    assert!(device_ids(&app, &token, &c).await.is_empty());
    assert!(customer_ids(&app, &token, &d).await.is_empty());
    for missing in ["987654321", "abc", "0"] {
        let body = bind(&app, &token, missing, json!([d])).await;
        assert_eq!(body["errcode"], 404, "{body:?}");
        refused(
            &get(&app, &token, &format!("/customer/{missing}/devices")).await,
            404,
        );
        refused(
            &get(&app, &token, &format!("/device/{missing}/customers")).await,
            404,
        );
    }
    assert!(customer_ids(&app, &token, &d).await.is_empty());
}

pub async fn unbinding_removes_one_binding(app: TestApp) {
    let token = app.project_token().await;
    let a = new_device(&app, &token, json!({"name": "A"})).await;
    let b = new_device(&app, &token, json!({"name": "B"})).await;
    let c = customer(&app, &token, "unbinder").await;
    bound(&app, &token, &c, json!([a, b])).await;
    info(&delete(&app, &token, &format!("/customer/{c}/device/{a}")).await);
    assert_eq!(device_ids(&app, &token, &c).await, vec![b.clone()]);
    assert_eq!(device_count(&app, &token, &c).await, 1);
    // No binding any more, unknown ids: 404 and nothing changes.
    for path in [
        format!("/customer/{c}/device/{a}"),
        format!("/customer/{c}/device/987654321"),
        format!("/customer/{c}/device/abc"),
        format!("/customer/987654321/device/{b}"),
        format!("/customer/abc/device/{b}"),
    ] {
        refused(&delete(&app, &token, &path).await, 404);
    }
    assert_eq!(device_ids(&app, &token, &c).await, vec![b.clone()]);
    // The device itself stays.
    info(&get(&app, &token, &format!("/device/{a}")).await);
    // Bound again, it is the customer's again.
    bound(&app, &token, &c, json!([a])).await;
    assert_eq!(device_count(&app, &token, &c).await, 2);
}

pub async fn deletions_take_their_bindings_along(app: TestApp) {
    let token = app.project_token().await;
    let a = new_device(&app, &token, json!({"name": "A"})).await;
    let b = new_device(&app, &token, json!({"name": "B"})).await;
    let gone = customer(&app, &token, "leaving").await;
    let stays = customer(&app, &token, "staying").await;
    bound(&app, &token, &gone, json!([a, b])).await;
    bound(&app, &token, &stays, json!([a, b])).await;

    info(&delete(&app, &token, &format!("/customer/{gone}")).await);
    assert_eq!(customer_ids(&app, &token, &a).await, vec![stays.clone()]);
    info(&get(&app, &token, &format!("/device/{a}")).await);

    info(&delete(&app, &token, &format!("/device/{a}")).await);
    assert_eq!(device_ids(&app, &token, &stays).await, vec![b.clone()]);
    assert_eq!(device_count(&app, &token, &stays).await, 1);
    refused(
        &get(&app, &token, &format!("/device/{a}/customers")).await,
        404,
    );
}

pub async fn another_projects_ids_answer_like_missing_ones(app: TestApp) {
    let token = app.project_token().await;
    let d = new_device(&app, &token, json!({"name": "A device"})).await;
    let c = customer(&app, &token, "a_customer").await;
    bound(&app, &token, &c, json!([d])).await;

    let second = app.second_project().await;
    let b = app.project_token_for(&second).await;
    let bd = new_device(&app, &b, json!({"name": "B device"})).await;
    let bc = customer(&app, &b, "b_customer").await;
    bound(&app, &b, &bc, json!([bd])).await;

    // A's token with B's ids, and B's ids mixed with A's.
    for (customer, devices) in [
        (c.clone(), json!([bd])),
        (c.clone(), json!([d, bd])),
        (bc.clone(), json!([d])),
        (bc.clone(), json!([bd])),
    ] {
        let body = bind(&app, &token, &customer, devices).await;
        assert_eq!(body["errcode"], 404, "{body:?}");
    }
    refused(
        &get(&app, &token, &format!("/customer/{bc}/devices")).await,
        404,
    );
    refused(
        &get(&app, &token, &format!("/device/{bd}/customers")).await,
        404,
    );
    for path in [
        format!("/customer/{bc}/device/{bd}"),
        format!("/customer/{c}/device/{bd}"),
        format!("/customer/{bc}/device/{d}"),
    ] {
        refused(&delete(&app, &token, &path).await, 404);
    }
    // Nothing changed on either side.
    assert_eq!(device_ids(&app, &token, &c).await, vec![d.clone()]);
    assert_eq!(customer_ids(&app, &token, &d).await, vec![c.clone()]);
    assert_eq!(device_ids(&app, &b, &bc).await, vec![bd.clone()]);
    assert_eq!(customer_ids(&app, &b, &bd).await, vec![bc.clone()]);
}

pub async fn calls_without_a_project_token_are_refused(app: TestApp) {
    for path in ["/customer/1/devices", "/device/1/customers"] {
        refused(&app.get(&api(path), &[]).await, 401);
        refused(&get(&app, "not-a-token", path).await, 401);
    }
    let r = app
        .post(&api("/customer/1/devices"), json!({"devices": ["1"]}), &[])
        .await;
    refused(&r, 401);
    refused(
        &delete(&app, "not-a-token", "/customer/1/device/1").await,
        401,
    );
}
