//! Creating, reading and listing customers.

use serde_json::json;
use thingstead_testkit::TestApp;

use super::*;

pub async fn customers_are_created_read_and_listed(app: TestApp) {
    let token = app.project_token().await;
    assert_eq!(all_customers(&app, &token).await, Vec::<Value>::new());
    let before = chrono_ms();
    let r = app
        .post_auth(
            "/api/v1/customer",
            json!({"name": "Alice", "account": "alice01", "password": PW, "descr": "first",
                   "email": "Alice@Example.com", "mobile": "13800000001",
                   "tags": {"floor": "3", "vip": "yes"}}),
            &token,
        )
        .await;
    let created = info(&r);
    assert_eq!(created["name"], "Alice");
    assert_eq!(created.as_object().unwrap().len(), 2, "{created}");
    let id = created["id"].as_str().unwrap().to_owned();

    let r = read(&app, &token, &id).await;
    let c = info(&r);
    assert_eq!(c["id"], id.as_str());
    assert_eq!(c["account"], "alice01");
    assert_eq!(c["name"], "Alice");
    assert_eq!(c["descr"], "first");
    assert_eq!(c["email"], "alice@example.com");
    assert_eq!(c["mobile"], "13800000001");
    assert_eq!(c["tags"], json!({"floor": "3", "vip": "yes"}));
    assert_eq!(c["locale"], "zh-CN");
    assert_eq!(c["role_id"], "");
    assert_eq!(c["count"], json!({"device_count": 0}));
    let created_at = c["create_time"].as_i64().unwrap();
    assert!(
        created_at >= before && created_at <= chrono_ms(),
        "{created_at}"
    );

    // Optional fields may be left out; "" counts as absent.
    let bob = create_customer(
        &app,
        &token,
        json!({"name": "Bob", "account": "bob", "password": PW, "email": "", "mobile": ""}),
    )
    .await;
    let r = read(&app, &token, &bob).await;
    let b = info(&r);
    assert_eq!(
        (&b["descr"], &b["email"], &b["mobile"], &b["tags"]),
        (&json!(""), &json!(""), &json!(""), &json!({}))
    );

    // The list holds both, oldest first, with the same fields and no paging totals.
    let r = app.get_auth("/api/v1/customers", &token).await;
    let list = info(&r);
    assert!(list.get("total").is_none() && list.get("page_total").is_none());
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0], read(&app, &token, &id).await.body["info"]);
    assert_eq!(items[1]["id"], bob.as_str());

    // Unknown ids and ids that are not numbers answer 404 alike.
    for bad in ["999999", "abc", "0", "-1", "1.5"] {
        let r = read(&app, &token, bad).await;
        refused(&r, 404);
        assert_eq!(r.body["message"], "customer not found");
    }
}

pub async fn customers_list_in_pages_of_20(app: TestApp) {
    let token = app.project_token().await;
    for i in 0..22 {
        customer(&app, &token, &format!("pager{i:02}")).await;
    }
    let page = |p: &'static str| {
        let app = &app;
        let token = token.clone();
        async move {
            app.get_auth(&format!("/api/v1/customers?page={p}"), &token)
                .await
        }
    };
    let r = page("1").await;
    let first = info(&r);
    assert_eq!(first["total"], 22);
    assert_eq!(first["page_total"], 2);
    let items = first["items"].as_array().unwrap();
    assert_eq!(items.len(), 20);
    assert_eq!(items[0]["account"], "pager00");
    let r = page("2").await;
    let second = info(&r);
    assert_eq!(second["items"].as_array().unwrap().len(), 2);
    assert_eq!(second["items"][1]["account"], "pager21");
    assert_eq!(second["total"], 22);
    // Past the end: empty, not an error.
    let r = page("3").await;
    assert_eq!(info(&r)["items"], json!([]));
    assert_eq!(info(&r)["total"], 22);
    // Without a page: all of them.
    assert_eq!(all_customers(&app, &token).await.len(), 22);
    bad_field(&page("0").await, "page");
    bad_field(&page("-1").await, "page");
    bad_field(&page("x").await, "page");
}

pub async fn create_refuses_bad_input_and_writes_nothing(app: TestApp) {
    let token = app.project_token().await;
    let good = json!({"name": "Carl", "account": "carl", "password": PW});
    let with = |key: &str, value: Value| {
        let mut body = good.clone();
        body[key] = value;
        body
    };
    let without = |key: &str| {
        let mut body = good.clone();
        body.as_object_mut().unwrap().remove(key);
        body
    };
    let cases = [
        (without("name"), "name"),
        (without("account"), "account"),
        (without("password"), "password"),
        (with("name", json!("")), "name"),
        (with("name", json!(12)), "name"),
        (with("name", json!("x".repeat(33))), "name"),
        (with("account", json!("x")), "account"),
        (with("account", json!("x".repeat(65))), "account"),
        (with("account", json!("two words")), "account"),
        (with("account", json!(["a"])), "account"),
        (with("password", json!("short")), "password"),
        (with("email", json!("not-an-address")), "email"),
        (with("mobile", json!("12ab")), "mobile"),
        (with("descr", json!("x".repeat(257))), "descr"),
        (with("tags", json!(["a"])), "tags"),
        (with("tags", json!({"k": 1})), "tags"),
        (with("tags", json!({"": "v"})), "tags"),
    ];
    for (body, field) in cases {
        let r = app
            .post_auth("/api/v1/customer", body.clone(), &token)
            .await;
        assert_eq!(r.body["result"], false, "{body}: {:?}", r.body);
        bad_field(&r, field);
    }
    // A role that does not exist.
    let r = app
        .post_auth("/api/v1/customer", with("role_id", json!("424242")), &token)
        .await;
    refused(&r, 404);
    assert_eq!(r.body["message"], "customer role not found");
    // Malformed JSON: the documented 404.
    let r = app
        .send(
            app.http
                .post(app.url("/api/v1/customer"))
                .bearer_auth(&token)
                .body("{\"name\": "),
        )
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(
        r.body,
        json!({"result": false, "message": "Invalid JSON message", "errcode": 400})
    );
    assert_eq!(all_customers(&app, &token).await, Vec::<Value>::new());
    // The account and mobile may be sent as numbers.
    let id = create_customer(
        &app,
        &token,
        json!({"name": "Num", "account": 13800009999_i64, "password": PW, "mobile": 13900009999_i64}),
    )
    .await;
    let r = read(&app, &token, &id).await;
    assert_eq!(info(&r)["account"], "13800009999");
    assert_eq!(info(&r)["mobile"], "13900009999");
}

pub async fn duplicates_answer_409_naming_the_field(app: TestApp) {
    let token = app.project_token().await;
    create_customer(
        &app,
        &token,
        json!({"name": "Dora", "account": "dora", "password": PW,
               "mobile": "13800000002", "email": "dora@example.com"}),
    )
    .await;
    let cases = [
        (json!({"account": "dora"}), "account"),
        (json!({"account": "13800000002"}), "account"),
        (
            json!({"account": "dora2", "mobile": "13800000002"}),
            "mobile",
        ),
        (
            json!({"account": "dora2", "email": "DORA@example.com"}),
            "email",
        ),
    ];
    for (fields, field) in cases {
        let mut body = json!({"name": "Copy", "password": PW});
        body.as_object_mut()
            .unwrap()
            .extend(fields.as_object().unwrap().clone());
        let r = app.post_auth("/api/v1/customer", body, &token).await;
        refused(&r, 409);
        assert_eq!(
            r.body["message"],
            format!("{field} already exists"),
            "{:?}",
            r.body
        );
    }
    // A mobile that is another customer's all-digit account.
    customer(&app, &token, "13700000003").await;
    let r = app
        .post_auth(
            "/api/v1/customer",
            json!({"name": "E", "account": "eve", "password": PW, "mobile": "13700000003"}),
            &token,
        )
        .await;
    refused(&r, 409);
    assert_eq!(all_customers(&app, &token).await.len(), 2);
    // Seed 000 registration meets the same accounts.
    let ck = app.client_key();
    app.get(
        &format!(
            "/user/sms/customer/user/phone/sms/code?clientKey={ck}&phone=13600000001&useType=1"
        ),
        &[],
    )
    .await;
    let code = app.last_code("13600000001");
    let r = app
        .post(
            "/user/customer/user/register",
            json!({"clientKey": ck, "country": "CN", "registerType": 1, "phone": "13600000001",
                   "username": "dora", "password": PW, "verifyCode": code}),
            &[],
        )
        .await;
    assert_ne!(r.body["code"], 200, "{:?}", r.body);
    assert_eq!(all_customers(&app, &token).await.len(), 2);
}

/// Now in unix milliseconds.
fn chrono_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}
