//! Share notices to e-mail addresses, bad addresses, and the per-sender limit.

use super::sharing::{notices, share};
use super::*;

pub async fn share_to_email_and_bad_addresses(app: TestApp) {
    let a = user(&app, "13930000071").await;
    let dev = owned_device(&app, &a, "em-1").await;
    ok(
        &app,
        "/uc/shareDevicesAndScenes",
        &a.token,
        json!({"iotIdList": [dev.id], "accountAttr": "Someone@Example.com", "accountAttrType": "email"}),
    )
    .await;
    let sent = notices(&app, &a).await;
    assert_eq!(sent[0]["receiverAlias"], "someone@example.com");
    for (attr, kind) in [
        ("not-mail", "EMAIL"),
        ("12ab", "MOBILE"),
        (a.phone.as_str(), "MOBILE"),
    ] {
        let m = refused(
            &app,
            "/uc/shareDevicesAndScenes",
            &a.token,
            json!({"iotIdList": [dev.id], "accountAttr": attr, "accountAttrType": kind}),
            460,
        )
        .await;
        assert!(m.contains("accountAttr"), "{m}");
    }
    let many: Vec<String> = (0..21).map(|i| format!("{}", 1000 + i)).collect();
    let m = refused(
        &app,
        "/uc/shareDevicesAndScenes",
        &a.token,
        json!({"iotIdList": many, "accountAttr": "13930000079", "accountAttrType": "MOBILE"}),
        460,
    )
    .await;
    assert!(m.contains("iotIdList"), "{m}");
    assert_eq!(notices(&app, &a).await.len(), 1);
}

pub async fn share_notices_are_throttled_per_sender(app: TestApp) {
    let a = user(&app, "13930000081").await;
    let dev = owned_device(&app, &a, "th-1").await;
    for i in 0..60 {
        share(&app, &a, &dev.id, &format!("1393100{i:04}")).await;
    }
    let m = refused(
        &app,
        "/uc/shareDevicesAndScenes",
        &a.token,
        json!({"iotIdList": [dev.id], "accountAttr": "13932000000", "accountAttrType": "MOBILE"}),
        429,
    )
    .await;
    assert_eq!(m, "too many requests.");
    assert_eq!(notices(&app, &a).await.len(), 60);
    // An hour later the sender may share again.
    app.execute_sql("UPDATE share_notices SET created_at = created_at - 3600001")
        .await;
    share(&app, &a, &dev.id, "13932000000").await;
}
