//! The family story: A provisions a lock, shares it by QR to B and by phone
//! to C, C confirms, B renames it, A removes B, A unbinds and C loses it.

use super::*;

/// The `data` list of `listBindingByAccount` for `u`.
async fn listing(app: &TestApp, u: &User) -> Vec<Value> {
    let data = ok(app, "/uc/listBindingByAccount", &u.token, json!({})).await;
    data["data"].as_array().unwrap().clone()
}

/// The ids of the device's customers through the project API.
async fn customers_of(app: &TestApp, token: &str, device: &str) -> Vec<String> {
    let r = app
        .get_auth(&format!("/api/v1/device/{device}/customers"), token)
        .await;
    assert_eq!(r.body["result"], true, "{:?}", r.body);
    r.body["info"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect()
}

pub async fn the_family_story(app: TestApp) {
    let (type_id, type_key) = device_type(
        &app,
        json!({"name": "Smart lock", "tags": {"product_image": "https://img/lock.png",
               "category_image": "https://img/locks.png", "product_model": "L-100",
               "net_type": "NET_WIFI"}}),
    )
    .await;
    let a = user(&app, "13900000001").await;
    let b = user(&app, "13900000002").await;
    let c = user(&app, "13900000003").await;
    let project = app.project_token().await;

    // A provisions the lock and owns it.
    let lock = device(&app, "lock-front", Some(&type_key)).await;
    let code = provision_code(&app, &a).await;
    let r = present(&app, &lock, &code).await;
    assert_eq!(r.body["result"], 1, "{:?}", r.body);
    assert_eq!(r.body["device"]["id"], lock.id);
    assert_eq!(r.body["customer_id"], a.id);
    let mine = listing(&app, &a).await;
    assert_eq!(mine.len(), 1);
    let d = &mine[0];
    assert_eq!(d["iotId"], lock.id);
    assert_eq!(d["identityId"], a.id);
    assert_eq!(d["identityAlias"], a.phone);
    assert_eq!(d["owned"], 1);
    assert_eq!(d["productKey"], type_id);
    assert_eq!(d["productName"], "Smart lock");
    assert_eq!(d["productModel"], "L-100");
    assert_eq!(d["productImage"], "https://img/lock.png");
    assert_eq!(d["categoryImage"], "https://img/locks.png");
    assert_eq!(d["netType"], "NET_WIFI");
    assert_eq!(d["deviceName"], "lock-front");
    assert_eq!(d["thingType"], "DEVICE");
    assert_eq!(d["nodeType"], "DEVICE");
    assert_eq!(d["status"], 0, "never connected: not activated");
    assert!(d["nickName"].is_null());
    assert!(d["gmtModified"].as_i64().unwrap() > 1_600_000_000_000);
    assert_eq!(
        customers_of(&app, &project, &lock.id).await,
        vec![a.id.clone()]
    );

    // By QR to B.
    let qr = ok(
        &app,
        "/uc/generateShareQrCode",
        &a.token,
        json!({"iotIdList": [lock.id]}),
    )
    .await;
    let key = qr["qrKey"].as_str().unwrap();
    assert!(key.len() >= 22);
    ok(
        &app,
        "/uc/scanBindByShareQrCode",
        &b.token,
        json!({"qrKey": key}),
    )
    .await;
    let bs = listing(&app, &b).await;
    assert_eq!(bs.len(), 1);
    assert_eq!(bs[0]["iotId"], lock.id);
    assert_eq!(bs[0]["owned"], 0);
    assert_eq!(bs[0]["identityId"], b.id);

    // By phone to C, who confirms.
    ok(
        &app,
        "/uc/shareDevicesAndScenes",
        &a.token,
        json!({"iotIdList": [lock.id], "accountAttr": c.phone, "accountAttrType": "MOBILE"}),
    )
    .await;
    assert!(listing(&app, &c).await.is_empty());
    let notices = ok(&app, "/uc/getShareNoticeList", &c.token, json!({})).await;
    assert_eq!(notices["total"], 1);
    let n = &notices["shareNoticeList"][0];
    assert_eq!(n["status"], -1);
    assert_eq!(n["isReceiver"], 1);
    assert_eq!(n["initiatorAlias"], a.phone);
    assert_eq!(n["receiverAlias"], c.phone);
    assert_eq!(n["targetId"], lock.id);
    assert_eq!(n["targetType"], "DEVICE");
    assert_eq!(n["productName"], "Smart lock");
    assert_eq!(n["productImage"], "https://img/lock.png");
    assert_eq!(n["deviceName"], "lock-front");
    let record = n["recordId"].as_str().unwrap().to_owned();
    let sent = ok(&app, "/uc/getShareNoticeList", &a.token, json!({})).await;
    assert_eq!(sent["shareNoticeList"][0]["isReceiver"], 0);
    assert_eq!(sent["shareNoticeList"][0]["recordId"], record);
    ok(
        &app,
        "/uc/confirmShare",
        &c.token,
        json!({"recordIdList": [record], "agree": 1}),
    )
    .await;
    let cs = listing(&app, &c).await;
    assert_eq!(cs.len(), 1);
    assert_eq!(cs[0]["owned"], 0);
    let notices = ok(&app, "/uc/getShareNoticeList", &c.token, json!({})).await;
    assert_eq!(notices["shareNoticeList"][0]["status"], 0);

    // B names it for himself only.
    ok(
        &app,
        "/uc/setDeviceNickName",
        &b.token,
        json!({"iotId": lock.id, "nickName": "Front door"}),
    )
    .await;
    assert_eq!(listing(&app, &b).await[0]["nickName"], "Front door");
    assert!(listing(&app, &a).await[0]["nickName"].is_null());
    assert!(listing(&app, &c).await[0]["nickName"].is_null());

    // Everyone bound, owner first.
    let by_dev = ok(
        &app,
        "/uc/listBindingByDev",
        &c.token,
        json!({"iotId": lock.id, "pageNo": 1, "pageSize": 10}),
    )
    .await;
    assert_eq!(by_dev["total"], 3);
    let ids: Vec<&str> = by_dev["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["identityId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [a.id.as_str(), b.id.as_str(), c.id.as_str()]);
    assert_eq!(by_dev["data"][0]["owned"], 1);
    assert_eq!(
        customers_of(&app, &project, &lock.id).await,
        vec![a.id.clone(), b.id.clone(), c.id.clone()]
    );

    // A removes B.
    ok(
        &app,
        "/uc/unbindByManager",
        &a.token,
        json!({"targetIdentityId": b.id, "iotIdList": [lock.id]}),
    )
    .await;
    assert!(listing(&app, &b).await.is_empty());
    assert_eq!(listing(&app, &c).await.len(), 1);
    let by_dev = ok(
        &app,
        "/uc/listBindingByDev",
        &a.token,
        json!({"iotId": lock.id}),
    )
    .await;
    assert_eq!(by_dev["total"], 2);

    // A unbinds: C loses it too.
    ok(
        &app,
        "/uc/unbindAccountAndDev",
        &a.token,
        json!({"iotId": lock.id}),
    )
    .await;
    assert!(listing(&app, &a).await.is_empty());
    assert!(listing(&app, &c).await.is_empty());
    assert!(listing(&app, &b).await.is_empty());
    refused(
        &app,
        "/uc/listBindingByDev",
        &c.token,
        json!({"iotId": lock.id}),
        2065,
    )
    .await;
    assert!(customers_of(&app, &project, &lock.id).await.is_empty());
}
