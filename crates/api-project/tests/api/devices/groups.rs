//! Device groups and their tree.

use super::*;

pub async fn group_tree_nests_at_any_depth(app: TestApp) {
    let token = app.project_token().await;
    assert_eq!(
        info(&get(&app, &token, "/device_groups_tree").await),
        json!({"items": []})
    );
    let r = post(
        &app,
        &token,
        "/device_group",
        json!({"name": "Building A", "descr": "north", "tags": {"city": "HZ"}}),
    )
    .await;
    let a = info(&r);
    assert_eq!(a["name"], "Building A");
    assert_eq!(a["children"], json!([]));
    let a = a["id"].as_str().unwrap().to_owned();
    let floor = new_group(&app, &token, "Floor 1", Some(&a)).await;
    let room = new_group(&app, &token, "Room 101", Some(&floor)).await;
    let desk = new_group(&app, &token, "Desk", Some(&room)).await;
    let b = new_group(&app, &token, "Building B", None).await;
    // A number is accepted as the parent id too.
    let r = post(
        &app,
        &token,
        "/device_group",
        json!({"name": "Floor B1", "parent": b.parse::<i64>().unwrap()}),
    )
    .await;
    let b1 = info(&r)["id"].as_str().unwrap().to_owned();

    let tree = info(&get(&app, &token, "/device_groups_tree").await);
    let items = tree["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["id"], a.as_str());
    assert_eq!(items[0]["descr"], "north");
    assert_eq!(items[0]["tags"], json!({"city": "HZ"}));
    assert!(items[0]["create_time"].is_i64());
    let f = &items[0]["children"][0];
    assert_eq!(f["id"], floor.as_str());
    assert_eq!(f["children"][0]["id"], room.as_str());
    assert_eq!(f["children"][0]["children"][0]["id"], desk.as_str());
    assert_eq!(f["children"][0]["children"][0]["children"], json!([]));
    assert_eq!(items[1]["id"], b.as_str());
    assert_eq!(items[1]["children"][0]["id"], b1.as_str());

    for (body, code, message) in [
        (json!({}), 400, "name is required"),
        (
            json!({"name": "x", "parent": "999999"}),
            404,
            "device group not found",
        ),
        (
            json!({"name": "x", "parent": "abc"}),
            404,
            "device group not found",
        ),
        (json!({"name": "x", "tags": ["a"]}), 400, ""),
    ] {
        let m = refused(&post(&app, &token, "/device_group", body).await, code);
        assert!(m.starts_with(message), "{m}");
    }
    let tree_after = info(&get(&app, &token, "/device_groups_tree").await);
    assert_eq!(tree_after, tree);
}

pub async fn groups_move_and_delete_with_their_rules(app: TestApp) {
    let token = app.project_token().await;
    let a = new_group(&app, &token, "A", None).await;
    let b = new_group(&app, &token, "B", Some(&a)).await;
    let c = new_group(&app, &token, "C", Some(&b)).await;

    // Not under itself or its own sub-groups.
    for parent in [&a, &c] {
        let r = put(
            &app,
            &token,
            &format!("/device_group/{a}"),
            json!({"parent": parent}),
        )
        .await;
        assert_eq!(
            refused(&r, 400),
            "parent cannot be the group itself or one of its sub-groups"
        );
    }
    refused(
        &put(&app, &token, &format!("/device_group/{a}"), json!({})).await,
        400,
    );
    refused(
        &put(&app, &token, "/device_group/999999", json!({"name": "x"})).await,
        404,
    );
    refused(
        &put(
            &app,
            &token,
            &format!("/device_group/{a}"),
            json!({"parent": "999999"}),
        )
        .await,
        404,
    );

    // C to the top level, renamed.
    let r = put(
        &app,
        &token,
        &format!("/device_group/{c}"),
        json!({"parent": "", "name": "C2", "descr": "d", "tags": {"x": "y"}}),
    )
    .await;
    assert_eq!(info(&r), json!({}));
    let tree = info(&get(&app, &token, "/device_groups_tree").await);
    assert_eq!(tree["items"].as_array().unwrap().len(), 2);
    assert_eq!(tree["items"][0]["children"][0]["children"], json!([]));
    assert_eq!(tree["items"][1]["name"], "C2");
    assert_eq!(tree["items"][1]["tags"], json!({"x": "y"}));
    // A under C.
    info(
        &put(
            &app,
            &token,
            &format!("/device_group/{a}"),
            json!({"parent": c}),
        )
        .await,
    );
    let tree = info(&get(&app, &token, "/device_groups_tree").await);
    assert_eq!(tree["items"][0]["id"], c.as_str());
    assert_eq!(
        tree["items"][0]["children"][0]["children"][0]["id"],
        b.as_str()
    );

    // A group with sub-groups stays; its devices just leave a deleted group.
    let m = refused(
        &delete(&app, &token, &format!("/device_group/{a}")).await,
        423,
    );
    assert_eq!(m, "still in use by sub-groups");
    let dev = new_device(&app, &token, json!({"name": "lamp"})).await;
    info(
        &put(
            &app,
            &token,
            &format!("/device/{dev}/groups"),
            json!({"groups": [a, b]}),
        )
        .await,
    );
    assert_eq!(
        info(&delete(&app, &token, &format!("/device_group/{b}")).await),
        json!({})
    );
    let d = info(&get(&app, &token, &format!("/device/{dev}")).await);
    assert_eq!(d["groups"], json!([a]));
    refused(
        &delete(&app, &token, &format!("/device_group/{b}")).await,
        404,
    );
    refused(&delete(&app, &token, "/device_group/x").await, 404);
}
