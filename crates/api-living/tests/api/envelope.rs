//! The request envelope: what a malformed request, a missing or dead token
//! and an unknown path get; the `id` always echoed, nothing changed.

use super::*;

/// POSTs a raw body; the answer must be HTTP 200 in the envelope.
async fn raw(app: &TestApp, path: &str, body: &str) -> Value {
    let r = app.post_raw(path, body.to_owned(), &[]).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    r.body
}

pub async fn requests_without_the_envelope_get_460_or_400(app: TestApp) {
    let a = user(&app, "13910000001").await;
    let t = &a.token;
    let path = "/uc/listBindingByAccount";
    // Not JSON, not an object: 400 (no id to echo).
    for body in ["nope", "[1, 2]", "{"] {
        let b = raw(&app, path, body).await;
        assert_eq!(b["code"], 400, "{body}: {b:?}");
        assert!(b["id"].is_null());
    }
    let cases = [
        (json!({"id": 7, "params": {}}), "request is required"),
        (
            json!({"id": 7, "request": "x", "params": {}}),
            "request must be an object",
        ),
        (
            json!({"id": 7, "request": {"iotToken": t}, "params": {}}),
            "request.apiVer is required",
        ),
        (
            json!({"id": 7, "request": {"iotToken": t, "apiVer": "1.0"}, "params": {}}),
            "request.apiVer must be a version such as 1.0.2",
        ),
        (
            json!({"id": 7, "request": {"iotToken": t, "apiVer": 102}, "params": {}}),
            "request.apiVer must be a version such as 1.0.2",
        ),
        (
            json!({"id": 7, "request": {"iotToken": t, "apiVer": "1.0.2"}}),
            "params is required",
        ),
        (
            json!({"id": 7, "request": {"iotToken": t, "apiVer": "1.0.2"}, "params": [1]}),
            "params must be an object",
        ),
    ];
    for (body, message) in cases {
        let b = raw(&app, path, &body.to_string()).await;
        assert_eq!(b["code"], 460, "{body}: {b:?}");
        assert_eq!(b["message"], message, "{body}");
        assert_eq!(b["id"], 7, "the id is echoed");
    }
    // A string id is echoed as a string; a success carries `data`.
    let b = raw(
        &app,
        path,
        &json!({"id": "abc", "version": "1.0",
                "request": {"iotToken": t, "apiVer": "1.0.2"}, "params": {}})
        .to_string(),
    )
    .await;
    assert_eq!(b["code"], 200, "{b:?}");
    assert_eq!(b["id"], "abc");
    assert_eq!(b["message"], "success");
    assert_eq!(
        b["data"],
        json!({"total": 0, "pageNo": 1, "pageSize": 20, "data": []})
    );
    // Without a Content-Type too (post_raw sends none).
    let b = raw(
        &app,
        path,
        &json!({"id": 1, "request": {"iotToken": t, "apiVer": "1.0.2"}, "params": {}}).to_string(),
    )
    .await;
    assert_eq!(b["code"], 200, "{b:?}");
}

pub async fn tokens_missing_unknown_or_ended_get_401(app: TestApp) {
    let a = user(&app, "13910000002").await;
    let path = "/uc/listBindingByAccount";
    for request in [
        json!({"apiVer": "1.0.2"}),
        json!({"apiVer": "1.0.2", "iotToken": ""}),
        json!({"apiVer": "1.0.2", "iotToken": "not-a-token"}),
        json!({"apiVer": "1.0.2", "iotToken": format!("{}x", a.token)}),
        json!({"apiVer": "1.0.2", "iotToken": "1|0123456789012345678901234567890123456789"}),
    ] {
        let b = raw(
            &app,
            path,
            &json!({"id": 3, "request": request, "params": {}}).to_string(),
        )
        .await;
        assert_eq!(b["code"], 401, "{request}: {b:?}");
        assert_eq!(b["message"], "request auth error.");
        assert_eq!(b["id"], 3);
    }
    // A token of another dialect's login works (seed 001 code login).
    let lock_token = lock_user(&app, "13910000012", "phone-1").await.token;
    ok(&app, path, &lock_token, json!({})).await;
    // A project token is not a user.
    let project = app.project_token().await;
    refused(&app, path, &project, json!({}), 401).await;
    // Once its terminal is unbound, the token is dead.
    end_terminal_sessions(&app, &lock_token).await;
    refused(&app, path, &lock_token, json!({}), 401).await;
}

pub async fn unknown_paths_get_404_with_the_id(app: TestApp) {
    let a = user(&app, "13910000003").await;
    for path in [
        "/uc/noSuchThing",
        "/uc/listBindingByAccount/x",
        "/subdevices/nope",
    ] {
        let b = raw(
            &app,
            path,
            &json!({"id": 9, "request": {"iotToken": a.token, "apiVer": "1.0.2"}, "params": {}})
                .to_string(),
        )
        .await;
        assert_eq!(b["code"], 404, "{path}: {b:?}");
        assert_eq!(b["message"], "service not found.");
        assert_eq!(b["id"], 9);
    }
    // GET on a real path: 400 in the envelope.
    let r = app.get("/uc/listBindingByAccount", &[]).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["code"], 400, "{:?}", r.body);
}

pub async fn params_of_the_wrong_type_name_the_field(app: TestApp) {
    let a = user(&app, "13910000004").await;
    let dev = owned_device(&app, &a, "typed-1").await;
    let t = &a.token;
    let cases = [
        ("/uc/listBindingByAccount", json!({"pageNo": "x"}), "pageNo"),
        ("/uc/listBindingByAccount", json!({"pageNo": 0}), "pageNo"),
        (
            "/uc/listBindingByAccount",
            json!({"pageSize": 1000}),
            "pageSize",
        ),
        ("/uc/listBindingByAccount", json!({"owned": 2}), "owned"),
        (
            "/uc/listBindingByAccount",
            json!({"nodeType": "ROBOT"}),
            "nodeType",
        ),
        (
            "/uc/listBindingByAccount",
            json!({"thingType": 3}),
            "thingType",
        ),
        ("/uc/listBindingByDev", json!({}), "iotId"),
        ("/uc/listBindingByDev", json!({"iotId": {"a": 1}}), "iotId"),
        (
            "/uc/setDeviceNickName",
            json!({"iotId": dev.id}),
            "nickName",
        ),
        (
            "/uc/setDeviceNickName",
            json!({"iotId": dev.id, "nickName": "x".repeat(65)}),
            "nickName",
        ),
        ("/uc/generateShareQrCode", json!({}), "iotIdList"),
        (
            "/uc/generateShareQrCode",
            json!({"iotIdList": "x"}),
            "iotIdList",
        ),
        ("/uc/scanBindByShareQrCode", json!({}), "qrKey"),
        (
            "/uc/shareDevicesAndScenes",
            json!({"iotIdList": [dev.id], "accountAttrType": "MOBILE"}),
            "accountAttr",
        ),
        (
            "/uc/shareDevicesAndScenes",
            json!({"iotIdList": [dev.id], "accountAttr": "1390000", "accountAttrType": "FAX"}),
            "accountAttrType",
        ),
        ("/uc/confirmShare", json!({"recordIdList": ["1"]}), "agree"),
        ("/uc/confirmShare", json!({"agree": 1}), "recordIdList"),
        ("/uc/cancelShare", json!({}), "recordIdList"),
        (
            "/uc/unbindByManager",
            json!({"iotIdList": [dev.id]}),
            "targetIdentityId",
        ),
        ("/uc/sortDevices", json!({}), "sortDeviceDTOList"),
        (
            "/uc/sortDevices",
            json!({"sortDeviceDTOList": [{"iotId": dev.id}]}),
            "toOrder",
        ),
        (
            "/uc/bindPushChannel",
            json!({"deviceId": "p1"}),
            "deviceType",
        ),
        (
            "/uc/bindPushChannel",
            json!({"deviceId": "p1", "deviceType": "WINDOWS"}),
            "deviceType",
        ),
        ("/uc/unbindPushChannel", json!({}), "deviceId"),
        ("/subdevices/list", json!({}), "iotId"),
        ("/uc/unbindAccountAndScene", json!({}), "sceneId"),
        (
            "/uc/unbindAccountAndScene",
            json!({"sceneId": "x"}),
            "sceneId",
        ),
        ("/scene/fire", json!({}), "sceneId"),
        ("/scene/create", json!({"actions": []}), "name"),
        (
            "/uc/getShareNoticeList",
            json!({"pageSize": -1}),
            "pageSize",
        ),
    ];
    for (path, params, field) in cases {
        let message = refused(&app, path, t, params.clone(), 460).await;
        assert!(message.contains(field), "{path} {params}: {message}");
    }
    // Nothing changed.
    let d = ok(&app, "/uc/getByAccountAndDev", t, json!({"iotId": dev.id})).await;
    assert!(d["nickName"].is_null());
    assert_eq!(my_devices(&app, &a).await, vec![dev.id.clone()]);
}
