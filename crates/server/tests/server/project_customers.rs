//! `thingstead project customer …` and `role …` as a real process, next to
//! a running server on the same SQLite database: a company creates roles
//! and customers and gives a customer a device without a console.

use serde_json::json;
use thingstead_testkit::{Backend, TestApp};

use super::project_devices::{ok, project};

fn refused(dir: &std::path::Path, args: &[&str], words: &str) {
    let (code, _, err) = project(dir, args);
    assert_eq!(code, 1, "{args:?} should fail");
    assert!(err.contains(words), "{args:?}: {err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn customers_roles_and_devices_from_the_command_line() {
    let app = TestApp::spawn(Backend::Sqlite).await.unwrap();
    let dir = app.data_dir().to_path_buf();
    let token = app.project_token().await;

    // Roles.
    let role = ok(
        &dir,
        &[
            "role",
            "create",
            "--name",
            "Tenant",
            "--allow-operate-device",
        ],
    );
    let role_id = role["id"].as_str().unwrap().to_owned();
    assert_eq!(role["allow_operate_device"], true);
    assert_eq!(role["allow_add_device"], false);
    let spare = ok(&dir, &["role", "create", "--name", "Spare"]);
    let spare_id = spare["id"].as_str().unwrap().to_owned();
    refused(
        &dir,
        &["role", "create", "--name", ""],
        "cannot create the role",
    );

    // Customers.
    let c = ok(
        &dir,
        &[
            "customer",
            "create",
            "--name",
            "Li Lei",
            "--account",
            "li_lei",
            "--password",
            "secret-pass-1",
            "--mobile",
            "13800001111",
            "--role",
            &role_id,
        ],
    );
    let customer_id = c["id"].as_str().unwrap().to_owned();
    assert_eq!(c["account"], "li_lei");
    assert_eq!(c["role_id"], role_id.as_str());
    refused(
        &dir,
        &[
            "customer",
            "create",
            "--name",
            "Again",
            "--account",
            "li_lei",
            "--password",
            "secret-pass-1",
        ],
        "cannot create the customer",
    );
    refused(
        &dir,
        &[
            "customer",
            "create",
            "--name",
            "Short",
            "--account",
            "short",
            "--password",
            "x",
        ],
        "password",
    );
    let other = ok(
        &dir,
        &[
            "customer",
            "create",
            "--name",
            "Han",
            "--account",
            "han_mei",
            "--password",
            "secret-pass-1",
        ],
    );
    let other_id = other["id"].as_str().unwrap().to_owned();

    // The role list counts the customers holding each role; a held role stays.
    let roles = ok(&dir, &["role", "list"]);
    let tenant = roles["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == role_id.as_str())
        .unwrap()
        .clone();
    assert_eq!(tenant["customer_count"], 1);
    refused(&dir, &["role", "delete", &role_id], "cannot delete role");
    assert_eq!(
        ok(&dir, &["role", "delete", &spare_id])["deleted"],
        spare_id.as_str()
    );
    refused(&dir, &["role", "delete", &spare_id], "not found");

    // A device made over HTTP, given from the command line.
    let r = app
        .post_auth("/api/v1/device", json!({"name": "Front door"}), &token)
        .await;
    let device = r.body["info"]["id"].as_str().unwrap().to_owned();
    ok(&dir, &["customer", "give-device", &customer_id, &device]);
    refused(
        &dir,
        &["customer", "give-device", &customer_id, "987654321"],
        "not found",
    );
    refused(
        &dir,
        &["customer", "give-device", "987654321", &device],
        "not found",
    );
    let r = app
        .get_auth(&format!("/api/v1/customer/{customer_id}/devices"), &token)
        .await;
    assert_eq!(
        r.body["info"]["items"][0]["id"],
        device.as_str(),
        "{:?}",
        r.body
    );
    let list = ok(&dir, &["customer", "list"]);
    let counts: Vec<(String, u64)> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_owned(),
                c["device_count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(counts.contains(&(customer_id.clone(), 1)), "{counts:?}");
    assert!(counts.contains(&(other_id.clone(), 0)), "{counts:?}");

    // Deleting a customer keeps its device.
    assert_eq!(
        ok(&dir, &["customer", "delete", &customer_id])["deleted"],
        customer_id.as_str()
    );
    refused(&dir, &["customer", "delete", &customer_id], "not found");
    let r = app
        .get_auth(&format!("/api/v1/device/{device}/customers"), &token)
        .await;
    assert_eq!(r.body["info"]["items"], json!([]), "{:?}", r.body);
    app.stop().await;
}
