//! One company's story from start to end.

use serde_json::json;
use thingstead_testkit::TestApp;

use super::bound;
use crate::customers::{PW, customer, lock_token};
use crate::devices::{get, info, new_device, new_group, new_type};

pub async fn a_company_gives_a_customer_a_device(app: TestApp) {
    let token = app.project_token().await;
    let t = new_type(&app, &token, "Smart lock").await;
    let g = new_group(&app, &token, "Building 1", None).await;
    let d = new_device(&app, &token, json!({"name": "Front door", "type": t})).await;
    let r = app
        .put_auth(
            &format!("/api/v1/device/{d}/groups"),
            json!({"groups": [g]}),
            &token,
        )
        .await;
    info(&r);
    let in_group = info(&get(&app, &token, &format!("/devices?group={g}")).await);
    assert_eq!(in_group["items"][0]["id"], d.as_str());

    let c = customer(&app, &token, "tenant_li").await;
    bound(&app, &token, &c, json!([d])).await;
    let mine = info(&get(&app, &token, &format!("/customer/{c}/devices")).await);
    assert_eq!(mine["total"], 1);
    assert_eq!(mine["items"][0]["id"], d.as_str());
    assert_eq!(mine["items"][0]["type"], t.as_str());

    // The customer logs in through seed 001 and reads its profile.
    let session = lock_token(&app, "tenant_li", PW).await;
    let detail = app
        .post_auth("/v1/user/detail", json!({}), &session)
        .await
        .body;
    assert_eq!(detail["errorCode"], 0, "{detail:?}");
    assert_eq!(detail["data"]["id"].as_i64(), c.parse::<i64>().ok());
    assert_eq!(detail["data"]["nickname"], "Name tenant_li");

    // The company reads the device certificate to give the device.
    let cert = info(&get(&app, &token, &format!("/device/{d}/certificate")).await);
    assert!(
        !cert["access_token"].as_str().unwrap_or_default().is_empty(),
        "{cert:?}"
    );
}
