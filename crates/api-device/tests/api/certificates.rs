//! `POST /device/v1/certificate`: one key per type, devices registering
//! themselves by `device_key`.

use super::*;

/// The certificate answer's `device`, checked for shape.
fn issued(r: &Reply) -> Value {
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["result"], 1, "{:?}", r.body);
    let device = r.body["device"].clone();
    assert!(
        device["id"]
            .as_str()
            .is_some_and(|s| s.parse::<i64>().is_ok()),
        "{device}"
    );
    assert!(
        device["name"].as_str().is_some_and(|s| !s.is_empty()),
        "{device}"
    );
    assert_eq!(
        device["access_token"].as_str().unwrap().len(),
        32,
        "{device}"
    );
    device
}

fn project_key(app: &TestApp) -> String {
    app.credentials["project_key"].as_str().unwrap().to_owned()
}

async fn certificate(app: &TestApp, key: &str, body: Value) -> Reply {
    device_post(app, "/certificate", key, body).await
}

pub async fn a_certificate_is_issued_once_per_device_key(app: TestApp) {
    let token = app.project_token().await;
    let key = project_key(&app);
    let first = issued(&certificate(&app, &key, json!({"device_key": "AA:BB:CC:01"})).await);
    let again = issued(&certificate(&app, &key, json!({"device_key": "AA:BB:CC:01"})).await);
    assert_eq!(first, again);
    // It is a device of the project, of the default type, with that key and
    // that certificate.
    let listed = devices(&app, &token).await;
    assert_eq!(listed["total"], 1, "{listed}");
    let id = first["id"].as_str().unwrap();
    let d = info(&app.get_auth(&format!("/api/v1/device/{id}"), &token).await);
    assert_eq!(d["device_key"], "AA:BB:CC:01");
    assert_eq!(d["name"], first["name"]);
    assert_eq!(d["type_info"]["name"], "Default type");
    let cert = info(
        &app.get_auth(&format!("/api/v1/device/{id}/certificate"), &token)
            .await,
    );
    assert_eq!(cert["access_token"], first["access_token"]);
    // The certificate works.
    let path = format!("/{}/attributes", first["access_token"].as_str().unwrap());
    let r = device_post(&app, &path, &key, json!({"t": 1})).await;
    assert_eq!(r.body, json!({"result": 1}));
    // A device created through the project API is found by its key too.
    let made = info(
        &app.post_auth(
            "/api/v1/device",
            json!({"name": "Made", "device_key": "K-2"}),
            &token,
        )
        .await,
    );
    let found = issued(&certificate(&app, &key, json!({"device_key": "K-2"})).await);
    assert_eq!(found["id"], made["id"]);
    assert_eq!(found["name"], "Made");
    // A device key may be sent as a number.
    let n = issued(&certificate(&app, &key, json!({"device_key": 860_000_001})).await);
    let d = info(
        &app.get_auth(
            &format!("/api/v1/device/{}", n["id"].as_str().unwrap()),
            &token,
        )
        .await,
    );
    assert_eq!(d["device_key"], "860000001");
    assert_eq!(devices(&app, &token).await["total"], 3);
}

pub async fn certificates_take_a_type_key(app: TestApp) {
    let token = app.project_token().await;
    let key = project_key(&app);
    let t = info(
        &app.post_auth("/api/v1/device_type", json!({"name": "Lock"}), &token)
            .await,
    );
    let types = info(&app.get_auth("/api/v1/device_types", &token).await);
    let lock = types["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == t["id"])
        .unwrap()
        .clone();
    let type_key = lock["type_key"].as_str().unwrap().to_owned();
    assert_eq!(type_key.len(), 20, "{lock}");

    let dev = issued(
        &certificate(
            &app,
            &key,
            json!({"device_key": "L-1", "type_key": type_key}),
        )
        .await,
    );
    let id = dev["id"].as_str().unwrap();
    let d = info(&app.get_auth(&format!("/api/v1/device/{id}"), &token).await);
    assert_eq!(d["type"], t["id"]);

    // An unknown type key, or another project's, creates nothing.
    let second = app.second_project().await;
    let b_token = app.project_token_for(&second).await;
    let b_type = info(
        &app.post_auth("/api/v1/device_type", json!({"name": "B"}), &b_token)
            .await,
    );
    let b_types = info(&app.get_auth("/api/v1/device_types", &b_token).await);
    let b_type_key = b_types["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == b_type["id"])
        .unwrap()["type_key"]
        .as_str()
        .unwrap()
        .to_owned();
    for unknown in ["no-such-type-key-123", b_type_key.as_str()] {
        let r = certificate(
            &app,
            &key,
            json!({"device_key": "L-2", "type_key": unknown}),
        )
        .await;
        assert!(refused(&r, 404).contains("type"), "{:?}", r.body);
    }
    assert_eq!(devices(&app, &token).await["total"], 1);
    assert_eq!(devices(&app, &b_token).await["total"], 0);
}

pub async fn certificates_give_new_devices_to_a_customer(app: TestApp) {
    let token = app.project_token().await;
    let key = project_key(&app);
    let c = info(
        &app.post_auth(
            "/api/v1/customer",
            json!({"name": "Ann", "account": "ann01", "password": "secret123"}),
            &token,
        )
        .await,
    );
    let customer = c["id"].as_str().unwrap().to_owned();
    let dev = issued(
        &certificate(
            &app,
            &key,
            json!({"device_key": "C-1", "customer_id": customer}),
        )
        .await,
    );
    let theirs = info(
        &app.get_auth(&format!("/api/v1/customer/{customer}/devices"), &token)
            .await,
    );
    assert_eq!(theirs["total"], 1, "{theirs}");
    assert_eq!(theirs["items"][0]["id"], dev["id"]);
    // The customer id may be sent as a number.
    let n: i64 = customer.parse().unwrap();
    issued(&certificate(&app, &key, json!({"device_key": "C-2", "customer_id": n})).await);
    let theirs = info(
        &app.get_auth(&format!("/api/v1/customer/{customer}/devices"), &token)
            .await,
    );
    assert_eq!(theirs["total"], 2, "{theirs}");

    // An unknown customer, or another project's, creates nothing.
    let second = app.second_project().await;
    let b_token = app.project_token_for(&second).await;
    let b = info(
        &app.post_auth(
            "/api/v1/customer",
            json!({"name": "Bob", "account": "bob01", "password": "secret123"}),
            &b_token,
        )
        .await,
    );
    for unknown in [json!("987654321"), b["id"].clone(), json!("abc")] {
        let r = certificate(
            &app,
            &key,
            json!({"device_key": "C-3", "customer_id": unknown}),
        )
        .await;
        assert!(refused(&r, 404).contains("customer"), "{:?}", r.body);
    }
    assert_eq!(devices(&app, &token).await["total"], 2);
}

pub async fn certificates_need_the_project_key(app: TestApp) {
    let token = app.project_token().await;
    let key = project_key(&app);
    for wrong in ["", "wrong", &key[..31], &key.to_lowercase()] {
        if wrong == key {
            continue;
        }
        let r = certificate(&app, wrong, json!({"device_key": "K-1"})).await;
        assert_eq!(refused(&r, 401), "access token or project key is wrong");
    }
    let r = app
        .post("/device/v1/certificate", json!({"device_key": "K-1"}), &[])
        .await;
    refused(&r, 401);
    assert_eq!(devices(&app, &token).await["total"], 0);

    // The same device key in another project is another device.
    let second = app.second_project().await;
    let b_key = second["project_key"].as_str().unwrap();
    let a = issued(&certificate(&app, &key, json!({"device_key": "K-1"})).await);
    let b = issued(&certificate(&app, b_key, json!({"device_key": "K-1"})).await);
    assert_ne!(a["id"], b["id"]);
    assert_ne!(a["access_token"], b["access_token"]);
    let b_token = app.project_token_for(&second).await;
    assert_eq!(devices(&app, &b_token).await["total"], 1);
}

pub async fn certificate_bodies_are_checked(app: TestApp) {
    let token = app.project_token().await;
    let key = project_key(&app);
    for (body, message) in [
        (json!({}), "device_key is required"),
        (json!({"device_key": ""}), "device_key"),
        (json!({"device_key": "has space"}), "device_key"),
        (json!({"device_key": "x".repeat(129)}), "device_key"),
        (json!({"device_key": true}), "device_key has the wrong type"),
        (
            json!({"device_key": "k", "type_key": 5}),
            "type_key has the wrong type",
        ),
        (
            json!({"device_key": "k", "customer_id": [1]}),
            "customer_id has the wrong type",
        ),
    ] {
        let r = certificate(&app, &key, body.clone()).await;
        let m = refused(&r, 400);
        assert!(m.contains(message), "{body}: {m}");
    }
    let r = app
        .post_raw(
            "/device/v1/certificate",
            "{\"device_key\":",
            &[("Project-Key", key.as_str())],
        )
        .await;
    assert!(refused(&r, 400).contains("not valid JSON"));
    assert_eq!(devices(&app, &token).await["total"], 0);
}

pub async fn provisioning_binds_the_device_to_the_codes_user(app: TestApp) {
    let key = project_key(&app);
    let device = issued(&certificate(&app, &key, json!({"device_key": "PV:01"})).await);
    let token = device["access_token"].as_str().unwrap().to_owned();
    app.register_consumer("13980000001", "pv-user", "secret-pass-1")
        .await;
    let session = app.login_consumer("13980000001", "secret-pass-1").await;
    let r = app
        .post(
            "/user/customer/user/provision",
            json!({"provisionType": 1}),
            &[("token", &session)],
        )
        .await;
    let good = r.body["data"].as_str().unwrap().to_owned();
    let path = format!("/{token}/provision");
    // Wrong code, no code, wrong key: nothing bound.
    let r = device_post(&app, &path, &key, json!({"code": "nope"})).await;
    assert_eq!(refused(&r, 400), "the provisioning code is wrong");
    let r = device_post(&app, &path, &key, json!({})).await;
    assert_eq!(refused(&r, 400), "code is required");
    let r = device_post(&app, &path, "wrong-key", json!({"code": good})).await;
    assert_eq!(refused(&r, 401), "access token or project key is wrong");
    // The right one binds; the code dies.
    let r = device_post(&app, &path, &key, json!({"code": good})).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["result"], 1);
    assert_eq!(r.body["device"]["id"], device["id"]);
    assert_eq!(r.body["device"]["name"], "PV:01");
    assert!(
        r.body["customer_id"]
            .as_str()
            .unwrap()
            .parse::<i64>()
            .is_ok()
    );
    let r = device_post(&app, &path, &key, json!({"code": good})).await;
    assert_eq!(
        refused(&r, 400),
        "the provisioning code has already been used"
    );
    // The project API shows the binding.
    let project = app.project_token().await;
    let r = app
        .get_auth(
            &format!(
                "/api/v1/device/{}/customers",
                device["id"].as_str().unwrap()
            ),
            &project,
        )
        .await;
    assert_eq!(
        r.body["info"]["items"].as_array().unwrap().len(),
        1,
        "{:?}",
        r.body
    );
}
