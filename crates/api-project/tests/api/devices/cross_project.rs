//! Another project's ids answer exactly like ids that do not exist, and
//! change nothing.

use super::*;

/// Everything project A can see of its records.
async fn snapshot(app: &TestApp, token: &str, device: &str, type_id: &str) -> Vec<Value> {
    vec![
        info(&get(app, token, "/device_types").await),
        info(&get(app, token, &format!("/device_type/{type_id}/extend_infos")).await),
        info(&get(app, token, "/device_groups_tree").await),
        info(&get(app, token, "/devices").await),
        info(&get(app, token, &format!("/device/{device}")).await),
        info(&get(app, token, &format!("/device/{device}/certificate")).await),
        info(&get(app, token, &format!("/device/{device}/extend_infos")).await),
        info(&get(app, token, "/devices_stat").await),
    ]
}

pub async fn another_projects_ids_answer_like_missing_ones(app: TestApp) {
    let token = app.project_token().await;
    let t = new_type(&app, &token, "A type").await;
    let def = new_info(&app, &token, &t, "string").await;
    let g = new_group(&app, &token, "A group", None).await;
    let d = new_device(
        &app,
        &token,
        json!({"name": "A device", "type": t, "tags": {"k": "v"}}),
    )
    .await;
    info(
        &put(
            &app,
            &token,
            &format!("/device/{d}/groups"),
            json!({"groups": [g]}),
        )
        .await,
    );
    info(
        &post(
            &app,
            &token,
            &format!("/device/{d}/extend_infos"),
            json!({"infos": {def.clone(): "a"}}),
        )
        .await,
    );
    let before = snapshot(&app, &token, &d, &t).await;

    let second = app.second_project().await;
    let b = app.project_token_for(&second).await;
    // Project B's own records, to aim A's ids from.
    let b_type = new_type(&app, &b, "B type").await;
    let b_device = new_device(&app, &b, json!({"name": "B device", "type": b_type})).await;
    let missing = "987654321";

    // (method, path with {D} {T} {G} {I} {BD} {BT} placeholders, body)
    let table: Vec<(&str, &str, Value)> = vec![
        ("put", "/device_type/{T}", json!({"name": "x"})),
        ("delete", "/device_type/{T}", json!(null)),
        ("get", "/device_type/{T}/extend_infos", json!(null)),
        (
            "post",
            "/device_type/{T}/extend_info",
            json!({"info_type": "string", "name": "x"}),
        ),
        ("delete", "/device_type/{T}/extend_info/{I}", json!(null)),
        ("delete", "/device_type/{BT}/extend_info/{I}", json!(null)),
        ("put", "/device_group/{G}", json!({"name": "x"})),
        ("delete", "/device_group/{G}", json!(null)),
        (
            "post",
            "/device_group",
            json!({"name": "x", "parent": "{G}"}),
        ),
        ("get", "/devices?type={T}", json!(null)),
        ("get", "/devices?group={G}", json!(null)),
        ("get", "/device/{D}", json!(null)),
        ("delete", "/device/{D}", json!(null)),
        ("post", "/device", json!({"name": "x", "type": "{T}"})),
        ("put", "/device/{D}/info", json!({"name": "x"})),
        ("put", "/device/{D}/tags", json!({"tags": {"x": "y"}})),
        ("post", "/device/{D}/tags_remove", json!({"keys": ["k"]})),
        ("put", "/device/{D}/groups", json!({"groups": []})),
        ("put", "/device/{BD}/groups", json!({"groups": ["{G}"]})),
        ("get", "/device/{D}/certificate", json!(null)),
        ("post", "/device/{D}/certificate/rotate", json!({})),
        ("get", "/device/{D}/extend_infos", json!(null)),
        (
            "post",
            "/device/{D}/extend_infos",
            json!({"infos": {"{I}": "b"}}),
        ),
        (
            "post",
            "/device/{BD}/extend_infos",
            json!({"infos": {"{I}": "b"}}),
        ),
        (
            "post",
            "/device/{D}/standard_infos",
            json!({"info_type": "contact", "value": {"name": "x"}}),
        ),
    ];
    let fill = |s: &str, foreign: bool| {
        let pick = |id: &str| {
            if foreign {
                id.to_owned()
            } else {
                missing.to_owned()
            }
        };
        s.replace("{BD}", &b_device)
            .replace("{BT}", &b_type)
            .replace("{D}", &pick(&d))
            .replace("{T}", &pick(&t))
            .replace("{G}", &pick(&g))
            .replace("{I}", &pick(&def))
    };
    for (method, path, body) in table {
        let mut answers = Vec::new();
        for foreign in [true, false] {
            let url = fill(path, foreign);
            let body: Value = serde_json::from_str(&fill(&body.to_string(), foreign)).unwrap();
            let r = match method {
                "get" => get(&app, &b, &url).await,
                "post" => post(&app, &b, &url, body).await,
                "put" => put(&app, &b, &url, body).await,
                _ => delete(&app, &b, &url).await,
            };
            refused(&r, 404);
            answers.push(r.body);
        }
        assert_eq!(
            answers[0], answers[1],
            "{method} {path}: foreign and missing differ"
        );
    }

    // B's lists show none of A's records.
    let types = info(&get(&app, &b, "/device_types").await);
    assert_eq!(types["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        info(&get(&app, &b, "/device_groups_tree").await),
        json!({"items": []})
    );
    let devices = info(&get(&app, &b, "/devices").await);
    assert_eq!(devices["total"], 1);
    assert_eq!(devices["items"][0]["id"], b_device.as_str());
    // And A's records are as they were.
    assert_eq!(snapshot(&app, &token, &d, &t).await, before);
}

pub async fn calls_without_a_project_token_are_refused(app: TestApp) {
    for path in [
        "/devices",
        "/device_types",
        "/device_groups_tree",
        "/devices_stat",
        "/device/1",
    ] {
        let r = app.get(&api(path), &[]).await;
        refused(&r, 401);
        let r = get(&app, "not-a-token", path).await;
        refused(&r, 401);
    }
    let r = app.post(&api("/device"), json!({"name": "x"}), &[]).await;
    refused(&r, 401);
}
