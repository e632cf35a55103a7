//! Another project's customer and role ids answer exactly like ids that do
//! not exist, and change nothing.

use serde_json::json;
use thingstead_testkit::TestApp;

use super::*;

pub async fn another_projects_ids_answer_like_missing_ones(app: TestApp) {
    let mine = app.project_token().await;
    let customer_id = create_customer(
        &app,
        &mine,
        json!({"name": "Uma", "account": "uma", "password": PW, "mobile": "13800000050",
               "email": "uma@example.com", "tags": {"k": "v"}}),
    )
    .await;
    let role_id = role(&app, &mine, json!({"name": "Owner"})).await;
    info(
        &app.put_auth(
            &format!("/api/v1/customer/{customer_id}/info"),
            json!({"role_id": role_id}),
            &mine,
        )
        .await,
    );
    let session = lock_token(&app, "uma", PW).await;
    let customer_before = read(&app, &mine, &customer_id).await.body;
    let roles_before = all_roles(&app, &mine).await;

    let second = app.second_project().await;
    let theirs = app.project_token_for(&second).await;
    // Their own customer, to try our role on.
    let their_customer = customer(&app, &theirs, "vic").await;
    let missing = "999999";

    // (method, path with {c} / {r}, body): each answered for our id and for
    // a missing one, which must be the same answer.
    let table: Vec<(&str, String, Value)> = vec![
        ("get", "/api/v1/customer/{c}".into(), json!(null)),
        (
            "put",
            "/api/v1/customer/{c}/info".into(),
            json!({"name": "Hijacked"}),
        ),
        (
            "put",
            "/api/v1/customer/{c}/pwd".into(),
            json!({"password": "hijack-pass-1"}),
        ),
        (
            "put",
            "/api/v1/customer/{c}/tags".into(),
            json!({"tags": {"k": "hijacked"}}),
        ),
        ("delete", "/api/v1/customer/{c}".into(), json!(null)),
        (
            "put",
            "/api/v1/customer_role/{r}".into(),
            json!({"name": "Hijacked"}),
        ),
        ("delete", "/api/v1/customer_role/{r}".into(), json!(null)),
        (
            "post",
            "/api/v1/customer".into(),
            json!({"name": "W", "account": "wes", "password": PW, "role_id": "{r}"}),
        ),
        (
            "put",
            format!("/api/v1/customer/{their_customer}/info"),
            json!({"role_id": "{r}"}),
        ),
    ];
    for (method, path, body) in &table {
        let mut answers = vec![];
        for (c, r) in [(customer_id.as_str(), role_id.as_str()), (missing, missing)] {
            let path = path.replace("{c}", c).replace("{r}", r);
            let body: Value = serde_json::from_str(&body.to_string().replace("{r}", r)).unwrap();
            let reply = match *method {
                "get" => app.get_auth(&path, &theirs).await,
                "put" => app.put_auth(&path, body, &theirs).await,
                "post" => app.post_auth("/api/v1/customer", body, &theirs).await,
                _ => app.delete_auth(&path, &theirs).await,
            };
            refused(&reply, 404);
            answers.push(reply.body);
        }
        assert_eq!(answers[0], answers[1], "{method} {path}");
    }
    // customer_auth with our customer's account or mobile: like an unknown account.
    for account in ["uma", "13800000050", "nobody-here"] {
        let r = app
            .post_auth(
                "/api/v1/customer_auth",
                json!({"account": account, "password": PW}),
                &theirs,
            )
            .await;
        refused(&r, 1001);
    }
    // Their lists hold only their own.
    let theirs_list = all_customers(&app, &theirs).await;
    assert_eq!(theirs_list.len(), 1);
    assert_eq!(theirs_list[0]["id"], their_customer.as_str());
    assert_eq!(all_roles(&app, &theirs).await, Vec::<Value>::new());
    assert_eq!(
        info(&read(&app, &theirs, &their_customer).await)["role_id"],
        ""
    );

    // Nothing of ours changed: profile, tags, password, session, role.
    assert_eq!(read(&app, &mine, &customer_id).await.body, customer_before);
    assert_eq!(all_roles(&app, &mine).await, roles_before);
    assert_eq!(detail_code(&app, &session).await, 0);
    lock_token(&app, "uma", PW).await;
    assert_eq!(all_customers(&app, &mine).await.len(), 1);
    // Accounts are per project: theirs may use the same account and mobile.
    create_customer(
        &app,
        &theirs,
        json!({"name": "Uma too", "account": "uma", "password": PW, "mobile": "13800000050"}),
    )
    .await;
    // Our ids read fine with our token.
    info(&read(&app, &mine, &customer_id).await);
}

pub async fn project_tokens_are_required(app: TestApp) {
    let user = {
        app.register_consumer("13800000060", "yara", PW).await;
        app.login_consumer("13800000060", PW).await
    };
    for token in [None, Some("garbage"), Some(user.as_str())] {
        let mut req = app.http.get(app.url("/api/v1/customers"));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let r = app.send(req).await;
        refused(&r, 401);
    }
    let r = app
        .post(
            "/api/v1/customer",
            json!({"name": "Z", "account": "zed", "password": PW}),
            &[],
        )
        .await;
    refused(&r, 401);
    let token = app.project_token().await;
    assert_eq!(all_customers(&app, &token).await.len(), 1);
}
