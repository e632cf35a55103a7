//! Devices redeem provisioning codes over HTTP.

use super::*;

pub async fn provisioning_over_http_binds_the_owner(app: TestApp) {
    let a = user(&app, "13940000001").await;
    let dev = device(&app, "p-1", None).await;
    let code = provision_code(&app, &a).await;
    let r = present(&app, &dev, &code).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["result"], 1, "{:?}", r.body);
    assert_eq!(r.body["device"]["id"], dev.id);
    assert_eq!(r.body["device"]["name"], "p-1");
    assert_eq!(r.body["customer_id"], a.id);
    assert_eq!(my_devices(&app, &a).await, vec![dev.id.clone()]);
    // A second code of the owner is spent and changes nothing else.
    let again = provision_code(&app, &a).await;
    assert_eq!(present(&app, &dev, &again).await.body["result"], 1);
    assert_eq!(my_devices(&app, &a).await, vec![dev.id.clone()]);
    // Without the right certificate: 401, nothing spent.
    let fresh = provision_code(&app, &a).await;
    let r = app
        .post(
            &format!("/device/v1/{}/provision", dev.access_token),
            json!({"code": fresh}),
            &[("Project-Key", "wrong")],
        )
        .await;
    assert_eq!(r.status, 401, "{:?}", r.body);
    let r = app
        .post(
            "/device/v1/nope/provision",
            json!({"code": fresh}),
            &[("Project-Key", &dev.project_key)],
        )
        .await;
    assert_eq!(r.status, 401, "{:?}", r.body);
    let other = device(&app, "p-2", None).await;
    assert_eq!(present(&app, &other, &fresh).await.body["result"], 1);
}

pub async fn wrong_expired_and_used_codes_bind_nothing(app: TestApp) {
    let a = user(&app, "13940000011").await;
    let b = user(&app, "13940000012").await;
    let dev = device(&app, "pw-1", None).await;
    let refusal = |r: Reply, status: u16| {
        assert_eq!(r.status, status, "{:?}", r.body);
        assert_eq!(r.body["result"], 0, "{:?}", r.body);
        r.body["message"].as_str().unwrap().to_owned()
    };
    assert_eq!(
        refusal(present(&app, &dev, "WRONGCODE").await, 400),
        "the provisioning code is wrong"
    );
    let r = app
        .post(
            &format!("/device/v1/{}/provision", dev.access_token),
            json!({}),
            &[("Project-Key", &dev.project_key)],
        )
        .await;
    assert_eq!(refusal(r, 400), "code is required");
    let expired = provision_code(&app, &a).await;
    app.execute_sql("UPDATE provision_codes SET expires_at = 1")
        .await;
    assert_eq!(
        refusal(present(&app, &dev, &expired).await, 400),
        "the provisioning code has expired"
    );
    assert!(my_devices(&app, &a).await.is_empty());
    let code = provision_code(&app, &a).await;
    assert_eq!(present(&app, &dev, &code).await.body["result"], 1);
    let other = device(&app, "pw-2", None).await;
    assert_eq!(
        refusal(present(&app, &other, &code).await, 400),
        "the provisioning code has already been used"
    );
    // Owned by A: B's code is refused and stays good.
    let bs = provision_code(&app, &b).await;
    assert_eq!(
        refusal(present(&app, &dev, &bs).await, 409),
        "the device already has an owner"
    );
    assert!(my_devices(&app, &b).await.is_empty());
    assert_eq!(present(&app, &other, &bs).await.body["result"], 1);
    assert_eq!(my_devices(&app, &b).await, vec![other.id.clone()]);
    assert_eq!(my_devices(&app, &a).await, vec![dev.id.clone()]);
}

pub async fn two_devices_with_one_code_one_wins(app: TestApp) {
    let a = user(&app, "13940000021").await;
    for round in 0..3 {
        let d1 = device(&app, &format!("r{round}-1"), None).await;
        let d2 = device(&app, &format!("r{round}-2"), None).await;
        let code = provision_code(&app, &a).await;
        let (r1, r2) = tokio::join!(present(&app, &d1, &code), present(&app, &d2, &code));
        let mut results = vec![
            r1.body["result"].as_i64().unwrap(),
            r2.body["result"].as_i64().unwrap(),
        ];
        results.sort();
        assert_eq!(results, vec![0, 1], "{:?} {:?}", r1.body, r2.body);
    }
    assert_eq!(my_devices(&app, &a).await.len(), 3);
    // Two users' codes for one device at once: one owner.
    let b = user(&app, "13940000022").await;
    let c = user(&app, "13940000023").await;
    let dev = device(&app, "contested", None).await;
    let (cb, cc) = (
        provision_code(&app, &b).await,
        provision_code(&app, &c).await,
    );
    let (rb, rc) = tokio::join!(present(&app, &dev, &cb), present(&app, &dev, &cc));
    let mut results = vec![
        rb.body["result"].as_i64().unwrap(),
        rc.body["result"].as_i64().unwrap(),
    ];
    results.sort();
    assert_eq!(results, vec![0, 1]);
    let owners = my_devices(&app, &b).await.len() + my_devices(&app, &c).await.len();
    assert_eq!(owners, 1);
}

pub async fn provisioning_over_mqtt(app: TestApp) {
    crate::mqtt::provisioning_over_mqtt(app).await;
}
