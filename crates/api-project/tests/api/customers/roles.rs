//! Customer roles: the documented list and the management extensions.

use serde_json::json;
use thingstead_testkit::TestApp;

use super::*;

/// Creates a role and returns its id.
pub async fn role(app: &TestApp, token: &str, body: Value) -> String {
    let r = app.post_auth("/api/v1/customer_role", body, token).await;
    info(&r)["id"].as_str().unwrap().to_owned()
}

/// The caller's roles.
pub async fn all_roles(app: &TestApp, token: &str) -> Vec<Value> {
    let r = app.get_auth("/api/v1/customer_roles", token).await;
    info(&r)["items"].as_array().unwrap().clone()
}

pub async fn roles_are_created_listed_changed_and_deleted(app: TestApp) {
    let token = app.project_token().await;
    assert_eq!(all_roles(&app, &token).await, Vec::<Value>::new());
    let r = app
        .post_auth(
            "/api/v1/customer_role",
            json!({"name": "Family", "descr": "lives here", "allow_operate_device": true}),
            &token,
        )
        .await;
    let created = info(&r).clone();
    assert_eq!(created["name"], "Family");
    let family = created["id"].as_str().unwrap().to_owned();
    let guest = role(&app, &token, json!({"name": "Guest"})).await;

    let roles = all_roles(&app, &token).await;
    assert_eq!(roles.len(), 2);
    let f = &roles[0];
    assert_eq!(f["id"], family.as_str());
    assert_eq!(f["name"], "Family");
    assert_eq!(f["descr"], "lives here");
    assert_eq!(f["allow_operate_device"], true);
    assert_eq!(f["allow_alarm_msg_maintain"], false);
    assert_eq!(f["allow_add_device"], false);
    assert_eq!(f["customer_count"], 0);
    assert!(f["create_time"].as_i64().unwrap() > 1_700_000_000_000);
    assert_eq!(roles[1]["descr"], "");

    // Customers hold roles, by creation or by an info change.
    let a = create_customer(
        &app,
        &token,
        json!({"name": "Sam", "account": "sam", "password": PW, "role_id": family}),
    )
    .await;
    assert_eq!(
        info(&read(&app, &token, &a).await)["role_id"],
        family.as_str()
    );
    let b = customer(&app, &token, "tia").await;
    let r = app
        .put_auth(
            &format!("/api/v1/customer/{b}/info"),
            json!({"role_id": family.parse::<i64>().unwrap()}),
            &token,
        )
        .await;
    info(&r);
    let roles = all_roles(&app, &token).await;
    assert_eq!(
        (&roles[0]["customer_count"], &roles[1]["customer_count"]),
        (&json!(2), &json!(0))
    );

    // Changes, one field or several.
    let path = format!("/api/v1/customer_role/{family}");
    let r = app
        .put_auth(
            &path,
            json!({"name": "Household", "allow_add_device": true}),
            &token,
        )
        .await;
    assert_eq!(info(&r), &json!({}));
    let r = app
        .put_auth(
            &path,
            json!({"allow_operate_device": false, "descr": ""}),
            &token,
        )
        .await;
    info(&r);
    let f = all_roles(&app, &token).await[0].clone();
    assert_eq!(
        (
            &f["name"],
            &f["descr"],
            &f["allow_operate_device"],
            &f["allow_add_device"]
        ),
        (&json!("Household"), &json!(""), &json!(false), &json!(true))
    );

    // A role in use is not deleted.
    let r = app.delete_auth(&path, &token).await;
    refused(&r, 423);
    assert_eq!(r.body["message"], "still in use by customers");
    assert_eq!(all_roles(&app, &token).await.len(), 2);
    // Deleting a customer frees its role; so does removing it.
    info(
        &app.delete_auth(&format!("/api/v1/customer/{a}"), &token)
            .await,
    );
    refused(&app.delete_auth(&path, &token).await, 423);
    info(
        &app.put_auth(
            &format!("/api/v1/customer/{b}/info"),
            json!({"role_id": ""}),
            &token,
        )
        .await,
    );
    assert_eq!(info(&app.delete_auth(&path, &token).await), &json!({}));
    let roles = all_roles(&app, &token).await;
    assert_eq!(roles.len(), 1);
    assert_eq!(roles[0]["id"], guest.as_str());
    refused(&app.delete_auth(&path, &token).await, 404);
    refused(
        &app.put_auth(&path, json!({"name": "x"}), &token).await,
        404,
    );
}

pub async fn roles_refuse_bad_input(app: TestApp) {
    let token = app.project_token().await;
    for (body, field) in [
        (json!({}), "name"),
        (json!({"name": ""}), "name"),
        (json!({"name": 1}), "name"),
        (json!({"name": "x".repeat(65)}), "name"),
        (json!({"name": "ok", "descr": "x".repeat(257)}), "descr"),
        (
            json!({"name": "ok", "allow_add_device": "yes"}),
            "allow_add_device",
        ),
        (
            json!({"name": "ok", "allow_operate_device": 1}),
            "allow_operate_device",
        ),
    ] {
        let r = app.post_auth("/api/v1/customer_role", body, &token).await;
        bad_field(&r, field);
    }
    assert_eq!(all_roles(&app, &token).await, Vec::<Value>::new());
    let id = role(&app, &token, json!({"name": "Staff"})).await;
    let path = format!("/api/v1/customer_role/{id}");
    for (body, field) in [
        (json!({}), "name"),
        (json!({"name": " "}), "name"),
        (
            json!({"allow_alarm_msg_maintain": "true"}),
            "allow_alarm_msg_maintain",
        ),
    ] {
        bad_field(&app.put_auth(&path, body, &token).await, field);
    }
    for bad in ["999999", "abc", "-5"] {
        let p = format!("/api/v1/customer_role/{bad}");
        refused(&app.put_auth(&p, json!({"name": "x"}), &token).await, 404);
        let r = app.delete_auth(&p, &token).await;
        refused(&r, 404);
        assert_eq!(r.body["message"], "customer role not found");
    }
    let roles = all_roles(&app, &token).await;
    assert_eq!((roles.len(), &roles[0]["name"]), (1, &json!("Staff")));
}
