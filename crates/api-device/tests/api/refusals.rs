//! Wrong certificates, bad bodies, unknown routes: `{"result": 0, "message"}`.

use super::*;

const BAD_CERTIFICATE: &str = "access token or project key is wrong";

pub async fn reports_are_refused_without_the_right_certificate(app: TestApp) {
    let token = app.project_token().await;
    let dev = new_dev(&app, &token, "Sensor").await;
    let second = app.second_project().await;
    let b_token = app.project_token_for(&second).await;
    let b_dev = new_dev(&app, &b_token, "B sensor").await;
    let b_key = second["project_key"].as_str().unwrap();
    assert_ne!(b_key, dev.project_key);

    let cases: Vec<(String, Option<&str>)> = vec![
        ("unknown-token".into(), Some(dev.project_key.as_str())),
        (dev.access_token.clone(), Some("wrong-key")),
        (dev.access_token.clone(), Some(b_key)),
        (b_dev.access_token.clone(), Some(dev.project_key.as_str())),
        (dev.access_token.clone(), None),
        (dev.access_token.clone(), Some("")),
        (
            dev.access_token.to_uppercase(),
            Some(dev.project_key.as_str()),
        ),
    ];
    for (access_token, key) in cases {
        let headers: Vec<(&str, &str)> = key.map(|k| ("Project-Key", k)).into_iter().collect();
        for path in ["attributes", "event/report"] {
            let url = format!("/device/v1/{access_token}/{path}");
            let r = app
                .post(&url, json!({"method": "m", "t": 1}), &headers)
                .await;
            assert_eq!(refused(&r, 401), BAD_CERTIFICATE, "{path} {key:?}");
        }
        let r = app
            .get(&format!("/device/v1/{access_token}/attributes"), &headers)
            .await;
        assert_eq!(refused(&r, 401), BAD_CERTIFICATE);
    }
    // A wrong certificate is refused before the body is read.
    let r = app
        .post_raw(
            "/device/v1/unknown/attributes",
            "not json",
            &[("Project-Key", "x")],
        )
        .await;
    refused(&r, 401);
    assert_eq!(raw(&app, &token, &dev).await, json!({}));
}

pub async fn bad_bodies_are_refused_and_store_nothing(app: TestApp) {
    let token = app.project_token().await;
    let dev = new_dev(&app, &token, "Sensor").await;
    let key = [("Project-Key", dev.project_key.as_str())];
    let attributes = format!("/device/v1/{}/attributes", dev.access_token);
    let event = format!("/device/v1/{}/event/report", dev.access_token);
    device_post(
        &app,
        &format!("/{}/attributes", dev.access_token),
        &dev.project_key,
        json!({"t": 20}),
    )
    .await;

    for (path, body, message) in [
        (&attributes, "{\"t\": ", "not valid JSON"),
        (&attributes, "[1, 2]", "JSON object"),
        (&attributes, "42", "JSON object"),
        (&event, "{\"params\": {}}", "method is required"),
        (&event, "{\"method\": \"\"}", "method must be"),
        (&event, "{\"method\": 3}", "method has the wrong type"),
        (&event, "{\"method\": \"m\", \"id\": \"a/b\"}", "id must be"),
        (&event, "nope", "not valid JSON"),
    ] {
        let r = app.post_raw(path, body, &key).await;
        let m = refused(&r, 400);
        assert!(m.contains(message), "{body}: {m}");
    }
    // A value of another type than the attribute has: refused, nothing written.
    let r = app
        .post(&attributes, json!({"t": "hot", "u": 1}), &key)
        .await;
    refused(&r, 400);
    // Too large.
    let big = "x".repeat(70 * 1024);
    let r = app.post(&attributes, json!({ "big": big }), &key).await;
    refused(&r, 413);
    assert_eq!(raw(&app, &token, &dev).await, json!({"t": 20}));
}

pub async fn unknown_routes_and_methods_answer_in_the_envelope(app: TestApp) {
    let token = app.project_token().await;
    let dev = new_dev(&app, &token, "Sensor").await;
    let key = [("Project-Key", dev.project_key.as_str())];
    for path in [
        "/device/v1/nothing".to_owned(),
        format!("/device/v1/{}/attributes/more", dev.access_token),
        format!("/device/v1/{}/command/send", dev.access_token),
        "/device/v1".to_owned(),
    ] {
        let r = app.get(&path, &key).await;
        assert_eq!(refused(&r, 404), "no such endpoint", "{path}");
        let r = app.post(&path, json!({}), &key).await;
        assert_eq!(refused(&r, 404), "no such endpoint", "{path}");
    }
    let r = app
        .get(
            &format!("/device/v1/{}/event/report", dev.access_token),
            &key,
        )
        .await;
    refused(&r, 405);
    let r = app.get("/device/v1/certificate", &key).await;
    refused(&r, 405);
    let r = app
        .put(
            &format!("/device/v1/{}/attributes", dev.access_token),
            json!({}),
            &key,
        )
        .await;
    refused(&r, 405);
}
