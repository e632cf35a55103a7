//! Lists, order, nicknames, leaving and removing members.

use super::*;

/// `u` scans a fresh share key of `owner`'s device.
pub async fn share_by_qr(app: &TestApp, owner: &User, to: &User, dev: &str) {
    let qr = ok(
        app,
        "/uc/generateShareQrCode",
        &owner.token,
        json!({"iotIdList": [dev]}),
    )
    .await;
    ok(
        app,
        "/uc/scanBindByShareQrCode",
        &to.token,
        json!({"qrKey": qr["qrKey"]}),
    )
    .await;
}

pub async fn lists_filter_page_and_sort(app: TestApp) {
    let (_, gw_key) = device_type(&app, json!({"name": "Hub", "is_gateway": true})).await;
    let a = user(&app, "13920000001").await;
    let b = user(&app, "13920000002").await;
    let d1 = owned_device(&app, &a, "l-1").await;
    let d2 = owned_device(&app, &a, "l-2").await;
    let hub = device(&app, "l-hub", Some(&gw_key)).await;
    let code = provision_code(&app, &a).await;
    assert_eq!(present(&app, &hub, &code).await.body["result"], 1);
    let theirs = owned_device(&app, &b, "l-b").await;
    share_by_qr(&app, &b, &a, &theirs.id).await;

    let all = vec![
        d1.id.clone(),
        d2.id.clone(),
        hub.id.clone(),
        theirs.id.clone(),
    ];
    assert_eq!(my_devices(&app, &a).await, all);
    let count = |params: Value| {
        let app = &app;
        let t = a.token.clone();
        async move {
            let d = ok(app, "/uc/listBindingByAccount", &t, params).await;
            (
                d["total"].as_u64().unwrap(),
                d["data"].as_array().unwrap().len(),
            )
        }
    };
    assert_eq!(count(json!({"owned": 1})).await, (3, 3));
    assert_eq!(count(json!({"owned": "0"})).await, (1, 1));
    assert_eq!(count(json!({"nodeType": "GATEWAY"})).await, (1, 1));
    assert_eq!(count(json!({"nodeType": "DEVICE"})).await, (3, 3));
    assert_eq!(count(json!({"thingType": "DEVICE"})).await, (4, 4));
    assert_eq!(count(json!({"thingType": "VIRTUAL"})).await, (0, 0));
    let page = ok(
        &app,
        "/uc/listBindingByAccount",
        &a.token,
        json!({"pageNo": 2, "pageSize": 3}),
    )
    .await;
    assert_eq!(page["total"], 4);
    assert_eq!(page["pageNo"], 2);
    assert_eq!(page["pageSize"], 3);
    assert_eq!(page["data"].as_array().unwrap().len(), 1);
    let hub_row = ok(
        &app,
        "/uc/getByAccountAndDev",
        &a.token,
        json!({"iotId": hub.id}),
    )
    .await;
    assert_eq!(hub_row["nodeType"], "GATEWAY");
    assert_eq!(hub_row["productName"], "Hub");

    // The hub to the top, then the first to the end.
    ok(
        &app,
        "/uc/sortDevices",
        &a.token,
        json!({"groupId": "", "sortDeviceDTOList": [
            {"iotId": hub.id, "fromOrder": 2, "toOrder": 0},
            {"iotId": d1.id, "fromOrder": 1, "toOrder": 3}]}),
    )
    .await;
    let sorted = vec![
        hub.id.clone(),
        d2.id.clone(),
        theirs.id.clone(),
        d1.id.clone(),
    ];
    assert_eq!(my_devices(&app, &a).await, sorted);
    // B's order is its own.
    assert_eq!(my_devices(&app, &b).await, vec![theirs.id.clone()]);
    // A device the caller is not bound to: 2065, order unchanged.
    let other = owned_device(&app, &b, "l-b2").await;
    refused(
        &app,
        "/uc/sortDevices",
        &a.token,
        json!({"sortDeviceDTOList": [{"iotId": other.id, "toOrder": 0}]}),
        2065,
    )
    .await;
    assert_eq!(my_devices(&app, &a).await, sorted);
}

pub async fn nicknames_are_per_user(app: TestApp) {
    let a = user(&app, "13920000011").await;
    let b = user(&app, "13920000012").await;
    let dev = owned_device(&app, &a, "n-1").await;
    share_by_qr(&app, &a, &b, &dev.id).await;
    let get = |u: &User| {
        let (app, t, id) = (&app, u.token.clone(), dev.id.clone());
        async move { ok(app, "/uc/getByAccountAndDev", &t, json!({"iotId": id})).await }
    };
    ok(
        &app,
        "/uc/setDeviceNickName",
        &a.token,
        json!({"iotId": dev.id, "nickName": " Hall "}),
    )
    .await;
    assert_eq!(get(&a).await["nickName"], "Hall");
    assert!(get(&b).await["nickName"].is_null());
    ok(
        &app,
        "/uc/setDeviceNickName",
        &a.token,
        json!({"iotId": dev.id, "nickName": ""}),
    )
    .await;
    assert!(get(&a).await["nickName"].is_null());
    // Not bound, unknown, or not an id: 2065 alike.
    let c = user(&app, "13920000013").await;
    let mut messages = Vec::new();
    for id in [dev.id.as_str(), "99999999", "abc"] {
        messages.push(
            refused(
                &app,
                "/uc/setDeviceNickName",
                &c.token,
                json!({"iotId": id, "nickName": "x"}),
                2065,
            )
            .await,
        );
    }
    assert!(messages.windows(2).all(|w| w[0] == w[1]), "{messages:?}");
}

pub async fn listing_by_device_needs_a_binding(app: TestApp) {
    let a = user(&app, "13920000021").await;
    let b = user(&app, "13920000022").await;
    let dev = owned_device(&app, &a, "ld-1").await;
    for id in [dev.id.as_str(), "99999999", "-4"] {
        refused(
            &app,
            "/uc/listBindingByDev",
            &b.token,
            json!({"iotId": id}),
            2065,
        )
        .await;
    }
    share_by_qr(&app, &a, &b, &dev.id).await;
    let only = |owned: i64| {
        let (app, t, id) = (&app, b.token.clone(), dev.id.clone());
        async move {
            ok(
                app,
                "/uc/listBindingByDev",
                &t,
                json!({"iotId": id, "owned": owned}),
            )
            .await
        }
    };
    let owners = only(1).await;
    assert_eq!(owners["total"], 1);
    assert_eq!(owners["data"][0]["identityId"], a.id);
    let members = only(0).await;
    assert_eq!(members["total"], 1);
    assert_eq!(members["data"][0]["identityId"], b.id);
    assert_eq!(members["data"][0]["identityAlias"], b.phone);
}

pub async fn get_by_account_and_dev_answers_empty_when_not_bound(app: TestApp) {
    let a = user(&app, "13920000031").await;
    let b = user(&app, "13920000032").await;
    let dev = owned_device(&app, &a, "g-1").await;
    let mine = ok(
        &app,
        "/uc/getByAccountAndDev",
        &a.token,
        json!({"iotId": dev.id}),
    )
    .await;
    assert_eq!(mine["iotId"], dev.id);
    assert_eq!(mine["owned"], 1);
    for id in [dev.id.as_str(), "99999999", "zz"] {
        let d = ok(
            &app,
            "/uc/getByAccountAndDev",
            &b.token,
            json!({"iotId": id}),
        )
        .await;
        assert_eq!(d, json!({}), "{id}");
    }
}

pub async fn members_leave_alone_and_owners_take_everyone(app: TestApp) {
    let a = user(&app, "13920000041").await;
    let b = user(&app, "13920000042").await;
    let c = user(&app, "13920000043").await;
    let dev = owned_device(&app, &a, "m-1").await;
    share_by_qr(&app, &a, &b, &dev.id).await;
    share_by_qr(&app, &a, &c, &dev.id).await;
    ok(
        &app,
        "/uc/unbindAccountAndDev",
        &b.token,
        json!({"iotId": dev.id}),
    )
    .await;
    assert!(my_devices(&app, &b).await.is_empty());
    assert_eq!(my_devices(&app, &a).await, vec![dev.id.clone()]);
    assert_eq!(my_devices(&app, &c).await, vec![dev.id.clone()]);
    refused(
        &app,
        "/uc/unbindAccountAndDev",
        &b.token,
        json!({"iotId": dev.id}),
        2065,
    )
    .await;
    ok(
        &app,
        "/uc/unbindAccountAndDev",
        &a.token,
        json!({"iotId": dev.id}),
    )
    .await;
    assert!(my_devices(&app, &a).await.is_empty());
    assert!(my_devices(&app, &c).await.is_empty());
    // The device is free: a new code of C makes C its owner.
    let code = provision_code(&app, &c).await;
    assert_eq!(present(&app, &dev, &code).await.body["result"], 1);
    let row = ok(
        &app,
        "/uc/getByAccountAndDev",
        &c.token,
        json!({"iotId": dev.id}),
    )
    .await;
    assert_eq!(row["owned"], 1);
}

pub async fn unbind_by_manager_needs_the_owner(app: TestApp) {
    let a = user(&app, "13920000051").await;
    let b = user(&app, "13920000052").await;
    let c = user(&app, "13920000053").await;
    let dev = owned_device(&app, &a, "um-1").await;
    share_by_qr(&app, &a, &b, &dev.id).await;
    share_by_qr(&app, &a, &c, &dev.id).await;
    let remove = |caller: &User, target: &str| {
        let (t, target, id) = (caller.token.clone(), target.to_owned(), dev.id.clone());
        json!({"t": t, "params": {"targetIdentityId": target, "iotIdList": [id]}})
    };
    for (caller, target, code) in [(&b, &c.id, 2066), (&b, &a.id, 2066)] {
        let r = remove(caller, target);
        refused(
            &app,
            "/uc/unbindByManager",
            r["t"].as_str().unwrap(),
            r["params"].clone(),
            code,
        )
        .await;
    }
    let stranger = user(&app, "13920000054").await;
    refused(
        &app,
        "/uc/unbindByManager",
        &stranger.token,
        json!({"targetIdentityId": b.id, "iotIdList": [dev.id]}),
        2065,
    )
    .await;
    let m = refused(
        &app,
        "/uc/unbindByManager",
        &a.token,
        json!({"targetIdentityId": a.id, "iotIdList": [dev.id]}),
        460,
    )
    .await;
    assert!(m.contains("targetIdentityId"), "{m}");
    // Nothing changed so far.
    assert_eq!(my_devices(&app, &b).await, vec![dev.id.clone()]);
    assert_eq!(my_devices(&app, &c).await, vec![dev.id.clone()]);
    // Someone not bound, or no one: nothing to remove.
    ok(
        &app,
        "/uc/unbindByManager",
        &a.token,
        json!({"targetIdentityId": stranger.id, "iotIdList": [dev.id]}),
    )
    .await;
    ok(
        &app,
        "/uc/unbindByManager",
        &a.token,
        json!({"targetIdentityId": "nobody", "iotIdList": [dev.id]}),
    )
    .await;
    ok(
        &app,
        "/uc/unbindByManager",
        &a.token,
        json!({"targetIdentityId": b.id, "iotIdList": [dev.id]}),
    )
    .await;
    assert!(my_devices(&app, &b).await.is_empty());
    assert_eq!(my_devices(&app, &c).await, vec![dev.id.clone()]);
    assert_eq!(my_devices(&app, &a).await, vec![dev.id.clone()]);
}

pub async fn sub_devices_of_a_gateway(app: TestApp) {
    let (_, gw_key) = device_type(&app, json!({"name": "Hub", "is_gateway": true})).await;
    let a = user(&app, "13920000061").await;
    let b = user(&app, "13920000062").await;
    let hub = device(&app, "s-hub", Some(&gw_key)).await;
    let code = provision_code(&app, &a).await;
    assert_eq!(present(&app, &hub, &code).await.body["result"], 1);
    let plain = owned_device(&app, &a, "s-plain").await;
    let empty = ok(&app, "/subdevices/list", &a.token, json!({"iotId": hub.id})).await;
    assert_eq!(
        empty,
        json!({"total": 0, "pageNo": 1, "pageSize": 20, "data": []})
    );
    let none = ok(
        &app,
        "/subdevices/list",
        &a.token,
        json!({"iotId": plain.id}),
    )
    .await;
    assert_eq!(none["total"], 0);
    refused(
        &app,
        "/subdevices/list",
        &b.token,
        json!({"iotId": hub.id}),
        2065,
    )
    .await;
}
