//! Another project's devices answer like missing ones; every call needs a
//! project token.

use super::*;

/// Every data and control call on device `id` (method, path, body).
fn calls(id: &str) -> Vec<(&'static str, String, Value)> {
    vec![
        ("get", format!("/device/{id}/attributes"), json!(null)),
        ("get", format!("/device/{id}/attributes_raw"), json!(null)),
        (
            "get",
            format!("/device/{id}/attribute/t/series"),
            json!(null),
        ),
        (
            "post",
            format!("/device/{id}/attributes_remove"),
            json!({"keys": ["t"]}),
        ),
        (
            "post",
            format!("/control/device/{id}/attributes"),
            json!({"t": 1}),
        ),
        (
            "put",
            format!("/control/device/{id}/attributes"),
            json!({"t": 1}),
        ),
        (
            "post",
            format!("/control/device/{id}/command"),
            json!({"method": "m"}),
        ),
        (
            "post",
            format!("/control/device/{id}/data/stream/set?push_mode=mqtt"),
            json!({"type": "text", "msg": "x"}),
        ),
    ]
}

async fn call(app: &TestApp, token: &str, method: &str, path: &str, body: Value) -> Reply {
    match method {
        "get" => get(app, token, path).await,
        "post" => post(app, token, path, body).await,
        "put" => put(app, token, path, body).await,
        other => panic!("no {other}"),
    }
}

pub async fn another_projects_devices_answer_like_missing_ones(app: TestApp) {
    let token = app.project_token().await;
    let dev = new_dev(&app, &token, "A device").await;
    report(&app, &dev, json!({"t": 20})).await;
    let before = info(&get(&app, &token, &format!("/device/{}/attributes", dev.id)).await);

    let second = app.second_project().await;
    let b = app.project_token_for(&second).await;
    for id in [dev.id.as_str(), "987654321", "abc", "0"] {
        for (method, path, body) in calls(id) {
            let r = call(&app, &b, method, &path, body).await;
            let m = refused(&r, 404);
            assert_eq!(m, "device not found", "{method} {path}");
        }
    }
    // A's own token sees a missing id alike.
    for (method, path, body) in calls("987654321") {
        let r = call(&app, &token, method, &path, body).await;
        assert_eq!(refused(&r, 404), "device not found", "{method} {path}");
    }
    let after = info(&get(&app, &token, &format!("/device/{}/attributes", dev.id)).await);
    assert_eq!(before, after);
}

pub async fn data_calls_need_a_project_token(app: TestApp) {
    let token = app.project_token().await;
    let dev = new_dev(&app, &token, "A device").await;
    for (method, path, body) in calls(&dev.id) {
        for bad in ["", "1.abcdef", "1|abcdefghijabcdefghijabcdefghijabcdefghij"] {
            let r = call(&app, bad, method, &path, body.clone()).await;
            refused(&r, 401);
        }
    }
    // The device's own certificate is no project token either.
    let r = get(
        &app,
        &dev.access_token,
        &format!("/device/{}/attributes", dev.id),
    )
    .await;
    refused(&r, 401);
}
