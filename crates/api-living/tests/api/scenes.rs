//! Scenes: created on bound devices, fired over MQTT, shared and left.

use super::mqtt::{connect, next_json, subscribed};
use super::*;

async fn scenes_of(app: &TestApp, u: &User) -> Vec<Value> {
    let d = ok(app, "/scene/list", &u.token, json!({})).await;
    d["data"].as_array().unwrap().clone()
}

pub async fn scenes_are_created_fired_shared_and_left(app: TestApp) {
    let a = user(&app, "13970000001").await;
    let b = user(&app, "13970000002").await;
    let c = user(&app, "13970000003").await;
    let lamp = owned_device(&app, &a, "sc-lamp").await;
    let theirs = owned_device(&app, &c, "sc-other").await;
    let actions = json!([
        {"iotId": lamp.id, "attributes": {"on": true}},
        {"iotId": lamp.id, "method": "dim", "params": {"level": 3}},
    ]);
    // Bad scenes: refused, nothing made.
    for (params, code) in [
        (json!({"name": "", "actions": actions}), 460),
        (json!({"name": "x", "actions": []}), 460),
        (json!({"name": "x"}), 460),
        (json!({"name": "x", "actions": [{"iotId": lamp.id}]}), 460),
        (
            json!({"name": "x", "actions": [{"iotId": lamp.id, "method": "m", "attributes": {"a": 1}}]}),
            460,
        ),
        (
            json!({"name": "x", "actions": [{"iotId": theirs.id, "method": "m"}]}),
            2065,
        ),
    ] {
        refused(&app, "/scene/create", &a.token, params, code).await;
    }
    assert!(scenes_of(&app, &a).await.is_empty());

    let made = ok(
        &app,
        "/scene/create",
        &a.token,
        json!({"name": "Evening", "actions": actions}),
    )
    .await;
    let scene = made["sceneId"].as_str().unwrap().to_owned();
    let mine = scenes_of(&app, &a).await;
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["sceneId"], scene);
    assert_eq!(mine[0]["name"], "Evening");
    assert_eq!(mine[0]["owned"], 1);
    assert_eq!(mine[0]["actions"], actions);

    // Offline: nothing delivered.
    let fired = ok(&app, "/scene/fire", &a.token, json!({"sceneId": scene})).await;
    assert_eq!(fired["results"][0]["delivered"], false);
    // Online: the lamp gets both.
    let (client, mut events) = connect(&app, &lamp);
    subscribed(&client, &mut events, "attributes/push").await;
    subscribed(&client, &mut events, "command/send/+").await;
    let fired = ok(&app, "/scene/fire", &a.token, json!({"sceneId": scene})).await;
    assert_eq!(
        fired["results"],
        json!([{"iotId": lamp.id, "delivered": true}, {"iotId": lamp.id, "delivered": true}])
    );
    assert_eq!(
        next_json(&mut events, "attributes/push").await,
        json!({"on": true})
    );
    let cmd = next_json(&mut events, "command/send/").await;
    assert_eq!(cmd["method"], "dim");
    assert_eq!(cmd["params"], json!({"level": 3}));

    // Shared by QR with the lamp: B fires it too, cannot delete it, can leave.
    let qr = ok(
        &app,
        "/uc/generateShareQrCode",
        &a.token,
        json!({"iotIdList": [lamp.id], "sceneIdList": [scene]}),
    )
    .await;
    ok(
        &app,
        "/uc/scanBindByShareQrCode",
        &b.token,
        json!({"qrKey": qr["qrKey"]}),
    )
    .await;
    let theirs_view = scenes_of(&app, &b).await;
    assert_eq!(theirs_view.len(), 1);
    assert_eq!(theirs_view[0]["owned"], 0);
    let fired = ok(&app, "/scene/fire", &b.token, json!({"sceneId": scene})).await;
    assert_eq!(fired["results"][0]["delivered"], true);
    refused(
        &app,
        "/scene/delete",
        &b.token,
        json!({"sceneId": scene}),
        2066,
    )
    .await;
    refused(
        &app,
        "/uc/generateShareQrCode",
        &b.token,
        json!({"sceneIdList": [scene]}),
        2066,
    )
    .await;
    ok(
        &app,
        "/uc/unbindAccountAndScene",
        &b.token,
        json!({"sceneId": scene}),
    )
    .await;
    assert!(scenes_of(&app, &b).await.is_empty());
    assert_eq!(scenes_of(&app, &a).await.len(), 1);
    // A stranger: like a missing scene.
    for path in ["/scene/fire", "/scene/delete", "/uc/unbindAccountAndScene"] {
        let m = refused(&app, path, &c.token, json!({"sceneId": scene}), 460).await;
        assert!(m.contains("sceneId"), "{m}");
    }
    // Shared again, then the owner leaves: gone for everyone.
    let qr = ok(
        &app,
        "/uc/generateShareQrCode",
        &a.token,
        json!({"sceneIdList": [scene]}),
    )
    .await;
    ok(
        &app,
        "/uc/scanBindByShareQrCode",
        &b.token,
        json!({"qrKey": qr["qrKey"]}),
    )
    .await;
    assert_eq!(scenes_of(&app, &b).await.len(), 1);
    ok(
        &app,
        "/uc/unbindAccountAndScene",
        &a.token,
        json!({"sceneId": scene}),
    )
    .await;
    assert!(scenes_of(&app, &a).await.is_empty());
    assert!(scenes_of(&app, &b).await.is_empty());
    // Delete by the owner.
    let made = ok(
        &app,
        "/scene/create",
        &a.token,
        json!({"name": "Night", "actions": [{"iotId": lamp.id, "attributes": {"on": false}}]}),
    )
    .await;
    ok(
        &app,
        "/scene/delete",
        &a.token,
        json!({"sceneId": made["sceneId"]}),
    )
    .await;
    assert!(scenes_of(&app, &a).await.is_empty());
    drop(client);
}
