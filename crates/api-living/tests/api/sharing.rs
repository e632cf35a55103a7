//! Share keys and share notices.

use super::*;

async fn qr(app: &TestApp, owner: &User, dev: &str) -> String {
    let d = ok(
        app,
        "/uc/generateShareQrCode",
        &owner.token,
        json!({"iotIdList": [dev]}),
    )
    .await;
    d["qrKey"].as_str().unwrap().to_owned()
}

pub async fn share(app: &TestApp, owner: &User, dev: &str, phone: &str) {
    ok(
        app,
        "/uc/shareDevicesAndScenes",
        &owner.token,
        json!({"iotIdList": [dev], "accountAttr": phone, "accountAttrType": "MOBILE"}),
    )
    .await;
}

/// The caller's notices, newest first.
pub async fn notices(app: &TestApp, u: &User) -> Vec<Value> {
    let d = ok(
        app,
        "/uc/getShareNoticeList",
        &u.token,
        json!({"pageSize": 100}),
    )
    .await;
    d["shareNoticeList"].as_array().unwrap().clone()
}

pub async fn share_keys_need_the_owner_and_a_shareable_type(app: TestApp) {
    let a = user(&app, "13930000001").await;
    let b = user(&app, "13930000002").await;
    let c = user(&app, "13930000003").await;
    let dev = owned_device(&app, &a, "sk-1").await;
    crate::share_by_qr(&app, &a, &b, &dev.id).await;
    let gen_ = |u: &User, ids: Value| {
        let (app, t) = (&app, u.token.clone());
        async move {
            call(
                app,
                "/uc/generateShareQrCode",
                &t,
                json!({"iotIdList": ids}),
            )
            .await
        }
    };
    assert_eq!(gen_(&b, json!([dev.id])).await.body["code"], 2066);
    assert_eq!(gen_(&c, json!([dev.id])).await.body["code"], 2065);
    assert_eq!(gen_(&a, json!(["123456789"])).await.body["code"], 2065);
    assert_eq!(
        gen_(&b, json!([dev.id])).await.body["message"],
        "identityId is not manager"
    );
    // Sharing by notice: the same rules.
    refused(
        &app,
        "/uc/shareDevicesAndScenes",
        &b.token,
        json!({"iotIdList": [dev.id], "accountAttr": c.phone, "accountAttrType": "MOBILE"}),
        2066,
    )
    .await;
    refused(
        &app,
        "/uc/generateShareQrCode",
        &a.token,
        json!({"iotIdList": [dev.id], "sceneIdList": ["77"]}),
        460,
    )
    .await;

    // A type that forbids sharing: 2073, for keys and notices alike.
    let (type_id, type_key) =
        device_type(&app, json!({"name": "Safe", "allow_share": false})).await;
    let safe = device(&app, "sk-safe", Some(&type_key)).await;
    let code = provision_code(&app, &a).await;
    assert_eq!(present(&app, &safe, &code).await.body["result"], 1);
    assert_eq!(gen_(&a, json!([safe.id])).await.body["code"], 2073);
    refused(
        &app,
        "/uc/shareDevicesAndScenes",
        &a.token,
        json!({"iotIdList": [safe.id], "accountAttr": c.phone, "accountAttrType": "MOBILE"}),
        2073,
    )
    .await;
    // A key made while sharing was allowed, scanned after it was forbidden.
    let project = app.project_token().await;
    let set = |allow: bool| {
        let (app, project, path) = (
            &app,
            project.clone(),
            format!("/api/v1/device_type/{type_id}"),
        );
        async move {
            let r = app
                .put_auth(&path, json!({"allow_share": allow}), &project)
                .await;
            assert_eq!(r.body["result"], true, "{:?}", r.body);
        }
    };
    set(true).await;
    let key = qr(&app, &a, &safe.id).await;
    set(false).await;
    refused(
        &app,
        "/uc/scanBindByShareQrCode",
        &c.token,
        json!({"qrKey": key}),
        2073,
    )
    .await;
    assert!(my_devices(&app, &c).await.is_empty());
    set(true).await;
    ok(
        &app,
        "/uc/scanBindByShareQrCode",
        &c.token,
        json!({"qrKey": key}),
    )
    .await;
    assert_eq!(my_devices(&app, &c).await, vec![safe.id.clone()]);
}

pub async fn share_keys_are_single_use_and_expire(app: TestApp) {
    let a = user(&app, "13930000011").await;
    let b = user(&app, "13930000012").await;
    let c = user(&app, "13930000013").await;
    let dev = owned_device(&app, &a, "su-1").await;
    let key = qr(&app, &a, &dev.id).await;
    ok(
        &app,
        "/uc/scanBindByShareQrCode",
        &b.token,
        json!({"qrKey": key}),
    )
    .await;
    let used = refused(
        &app,
        "/uc/scanBindByShareQrCode",
        &c.token,
        json!({"qrKey": key}),
        460,
    )
    .await;
    assert!(used.contains("qrKey"), "{used}");
    let unknown = refused(
        &app,
        "/uc/scanBindByShareQrCode",
        &c.token,
        json!({"qrKey": "A".repeat(32)}),
        460,
    )
    .await;
    assert_eq!(used, unknown, "used and unknown keys answer alike");
    let old = qr(&app, &a, &dev.id).await;
    app.execute_sql("UPDATE share_keys SET expires_at = 1 WHERE used_at IS NULL")
        .await;
    let expired = refused(
        &app,
        "/uc/scanBindByShareQrCode",
        &c.token,
        json!({"qrKey": old}),
        460,
    )
    .await;
    assert_eq!(expired, unknown);
    assert!(my_devices(&app, &c).await.is_empty());
    // A key of a device its owner left binds nothing.
    let stale = qr(&app, &a, &dev.id).await;
    ok(
        &app,
        "/uc/unbindAccountAndDev",
        &a.token,
        json!({"iotId": dev.id}),
    )
    .await;
    ok(
        &app,
        "/uc/scanBindByShareQrCode",
        &c.token,
        json!({"qrKey": stale}),
    )
    .await;
    assert!(my_devices(&app, &c).await.is_empty());
}

pub async fn two_scanners_of_one_key_one_wins(app: TestApp) {
    let a = user(&app, "13930000021").await;
    let b = user(&app, "13930000022").await;
    let c = user(&app, "13930000023").await;
    let dev = owned_device(&app, &a, "race-1").await;
    for _ in 0..3 {
        let key = qr(&app, &a, &dev.id).await;
        let (rb, rc) = tokio::join!(
            call(
                &app,
                "/uc/scanBindByShareQrCode",
                &b.token,
                json!({"qrKey": key})
            ),
            call(
                &app,
                "/uc/scanBindByShareQrCode",
                &c.token,
                json!({"qrKey": key})
            ),
        );
        let mut codes = vec![
            rb.body["code"].as_i64().unwrap(),
            rc.body["code"].as_i64().unwrap(),
        ];
        codes.sort();
        assert_eq!(codes, vec![200, 460], "{:?} {:?}", rb.body, rc.body);
        let members = ok(
            &app,
            "/uc/listBindingByDev",
            &a.token,
            json!({"iotId": dev.id, "owned": 0}),
        )
        .await;
        assert_eq!(members["total"], 1);
        // Start again: the winner leaves.
        for u in [&b, &c] {
            let _ = call(
                &app,
                "/uc/unbindAccountAndDev",
                &u.token,
                json!({"iotId": dev.id}),
            )
            .await;
        }
    }
}

pub async fn share_notices_wait_for_an_account(app: TestApp) {
    let a = user(&app, "13930000031").await;
    let dev = owned_device(&app, &a, "w-1").await;
    let phone = "13930000039";
    // An address with an account and one without answer alike.
    let known = user(&app, "13930000038").await;
    let params =
        |to: &str| json!({"iotIdList": [dev.id], "accountAttr": to, "accountAttrType": "MOBILE"});
    let with = call(
        &app,
        "/uc/shareDevicesAndScenes",
        &a.token,
        params(&known.phone),
    )
    .await;
    let without = call(&app, "/uc/shareDevicesAndScenes", &a.token, params(phone)).await;
    assert_eq!(with.body, without.body);
    assert_eq!(with.body["code"], 200);
    ok(&app, "/uc/clearShareNoticeList", &a.token, json!({})).await;
    share(&app, &a, &dev.id, phone).await;
    let sent = notices(&app, &a).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["receiverAlias"], phone);
    assert_eq!(sent[0]["status"], -1);
    assert_eq!(sent[0]["isReceiver"], 0);
    // The account comes later, and finds the notice.
    let later = user(&app, phone).await;
    let got = notices(&app, &later).await;
    assert_eq!(got.len(), 2, "both notices to the number wait for it");
    assert!(got.iter().all(|n| n["isReceiver"] == 1));
    ok(
        &app,
        "/uc/confirmShare",
        &later.token,
        json!({"recordIdList": [got[0]["recordId"], got[1]["recordId"]], "agree": 1}),
    )
    .await;
    assert_eq!(my_devices(&app, &later).await, vec![dev.id.clone()]);
    assert_eq!(notices(&app, &a).await[0]["status"], 0);
}

pub async fn share_notices_are_cancelled_refused_or_expire(app: TestApp) {
    let a = user(&app, "13930000041").await;
    let b = user(&app, "13930000042").await;
    let c = user(&app, "13930000043").await;
    let dev = owned_device(&app, &a, "cr-1").await;
    share(&app, &a, &dev.id, &c.phone).await;
    let first = notices(&app, &c).await[0]["recordId"].clone();
    // Someone else's record: answered like a missing one, nothing changed.
    let missing = refused(
        &app,
        "/uc/confirmShare",
        &b.token,
        json!({"recordIdList": [first], "agree": 1}),
        460,
    )
    .await;
    let really_missing = refused(
        &app,
        "/uc/confirmShare",
        &b.token,
        json!({"recordIdList": ["99999999"], "agree": 1}),
        460,
    )
    .await;
    assert_eq!(missing, really_missing);
    refused(
        &app,
        "/uc/cancelShare",
        &b.token,
        json!({"recordIdList": [first]}),
        460,
    )
    .await;
    refused(
        &app,
        "/uc/cancelShare",
        &c.token,
        json!({"recordIdList": [first]}),
        460,
    )
    .await;
    assert_eq!(notices(&app, &c).await[0]["status"], -1);
    // Refused.
    ok(
        &app,
        "/uc/confirmShare",
        &c.token,
        json!({"recordIdList": [first], "agree": 0}),
    )
    .await;
    assert_eq!(notices(&app, &c).await[0]["status"], 1);
    assert!(my_devices(&app, &c).await.is_empty());
    refused(
        &app,
        "/uc/confirmShare",
        &c.token,
        json!({"recordIdList": [first], "agree": 1}),
        460,
    )
    .await;
    // Cancelled.
    share(&app, &a, &dev.id, &c.phone).await;
    let second = notices(&app, &c).await[0]["recordId"].clone();
    assert_ne!(second, first);
    ok(
        &app,
        "/uc/cancelShare",
        &a.token,
        json!({"recordIdList": [second]}),
    )
    .await;
    assert_eq!(notices(&app, &c).await[0]["status"], 2);
    refused(
        &app,
        "/uc/confirmShare",
        &c.token,
        json!({"recordIdList": [second], "agree": 1}),
        460,
    )
    .await;
    // Expired.
    share(&app, &a, &dev.id, &c.phone).await;
    let third = notices(&app, &c).await[0]["recordId"].clone();
    app.execute_sql(&format!(
        "UPDATE share_notices SET expires_at = 1 WHERE id = {}",
        third.as_str().unwrap()
    ))
    .await;
    assert_eq!(notices(&app, &c).await[0]["status"], 3);
    refused(
        &app,
        "/uc/confirmShare",
        &c.token,
        json!({"recordIdList": [third], "agree": 1}),
        460,
    )
    .await;
    // All or nothing: a live record with a dead one changes nothing.
    share(&app, &a, &dev.id, &c.phone).await;
    let fourth = notices(&app, &c).await[0]["recordId"].clone();
    refused(
        &app,
        "/uc/confirmShare",
        &c.token,
        json!({"recordIdList": [fourth, third], "agree": 1}),
        460,
    )
    .await;
    assert_eq!(notices(&app, &c).await[0]["status"], -1);
    assert!(my_devices(&app, &c).await.is_empty());
}

pub async fn owner_unbinding_ends_pending_notices(app: TestApp) {
    let a = user(&app, "13930000051").await;
    let c = user(&app, "13930000053").await;
    let dev = owned_device(&app, &a, "ou-1").await;
    share(&app, &a, &dev.id, &c.phone).await;
    ok(
        &app,
        "/uc/unbindAccountAndDev",
        &a.token,
        json!({"iotId": dev.id}),
    )
    .await;
    let got = notices(&app, &c).await;
    assert_eq!(got[0]["status"], 6);
    refused(
        &app,
        "/uc/confirmShare",
        &c.token,
        json!({"recordIdList": [got[0]["recordId"]], "agree": 1}),
        460,
    )
    .await;
    assert!(my_devices(&app, &c).await.is_empty());
}

pub async fn notice_lists_page_and_clear(app: TestApp) {
    let a = user(&app, "13930000061").await;
    let c = user(&app, "13930000063").await;
    let d1 = owned_device(&app, &a, "np-1").await;
    let d2 = owned_device(&app, &a, "np-2").await;
    ok(
        &app,
        "/uc/shareDevicesAndScenes",
        &a.token,
        json!({"iotIdList": [d1.id, d2.id], "accountAttr": c.phone, "accountAttrType": "MOBILE"}),
    )
    .await;
    share(&app, &a, &d1.id, &c.phone).await;
    let page = ok(
        &app,
        "/uc/getShareNoticeList",
        &c.token,
        json!({"pageNo": 2, "pageSize": 2}),
    )
    .await;
    assert_eq!(page["total"], 3);
    assert_eq!(page["pageNo"], 2);
    assert_eq!(page["pageSize"], 2);
    assert_eq!(page["shareNoticeList"].as_array().unwrap().len(), 1);
    let all = notices(&app, &c).await;
    let times: Vec<i64> = all
        .iter()
        .map(|n| n["gmtCreate"].as_i64().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");
    ok(&app, "/uc/clearShareNoticeList", &c.token, json!({})).await;
    assert!(notices(&app, &c).await.is_empty());
    assert_eq!(notices(&app, &a).await.len(), 3);
    ok(&app, "/uc/clearShareNoticeList", &a.token, json!({})).await;
    assert!(notices(&app, &a).await.is_empty());
}
