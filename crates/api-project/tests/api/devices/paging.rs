//! `GET /devices`: pages of 20, totals and filters.

use super::*;

fn ids(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().parse().unwrap())
        .collect()
}

pub async fn pages_of_twenty_with_totals(app: TestApp) {
    let token = app.project_token().await;
    let empty = info(&get(&app, &token, "/devices").await);
    assert_eq!(empty, json!({"items": [], "total": 0, "page_total": 0}));
    for i in 0..45 {
        new_device(&app, &token, json!({"name": format!("device {i:02}")})).await;
    }
    let mut seen = Vec::new();
    for (page, size) in [(1, 20), (2, 20), (3, 5), (4, 0), (1000, 0), (i64::MAX, 0)] {
        let r = info(&get(&app, &token, &format!("/devices?page={page}")).await);
        assert_eq!(r["total"], 45, "page {page}");
        assert_eq!(r["page_total"], 3, "page {page}");
        let got = ids(&r);
        assert_eq!(got.len(), size, "page {page}");
        seen.extend(got);
    }
    // In creation order, each device once.
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(seen, sorted);
    assert_eq!(seen.len(), 45);
    let first = info(&get(&app, &token, "/devices").await);
    assert_eq!(ids(&first), seen[..20]);
    assert_eq!(first["items"][0]["name"], "device 00");
    let item = &first["items"][0];
    for key in [
        "id",
        "name",
        "descr",
        "device_key",
        "tags",
        "create_time",
        "alarm",
        "active",
        "online",
        "type",
        "type_info",
    ] {
        assert!(item.get(key).is_some(), "{key} missing from {item}");
    }
    assert_eq!(item["type_info"]["name"], "Default type");
    // Page numbers may come as text or numbers; anything else is refused.
    assert_eq!(
        ids(&info(&get(&app, &token, "/devices?page=%202").await)),
        seen[20..40]
    );
    for bad in ["0", "-1"] {
        let m = refused(
            &get(&app, &token, &format!("/devices?page={bad}")).await,
            400,
        );
        assert_eq!(m, "page must be a positive integer");
    }
    let m = refused(&get(&app, &token, "/devices?page=abc").await, 400);
    assert!(m.starts_with("page has the wrong type"), "{m}");
}

pub async fn list_filters_by_type_and_group(app: TestApp) {
    let token = app.project_token().await;
    let lamps = new_type(&app, &token, "Lamp").await;
    let empty_type = new_type(&app, &token, "Nothing").await;
    let g = new_group(&app, &token, "Hall", None).await;
    let sub = new_group(&app, &token, "Hall corner", Some(&g)).await;
    let mut lamp_ids = Vec::new();
    for i in 0..3 {
        lamp_ids.push(
            new_device(
                &app,
                &token,
                json!({"name": format!("lamp {i}"), "type": lamps}),
            )
            .await,
        );
    }
    let plain = new_device(&app, &token, json!({"name": "plain"})).await;
    for id in [&lamp_ids[0], &lamp_ids[2], &plain] {
        info(
            &put(
                &app,
                &token,
                &format!("/device/{id}/groups"),
                json!({"groups": [g]}),
            )
            .await,
        );
    }
    info(
        &put(
            &app,
            &token,
            &format!("/device/{}/groups", lamp_ids[1]),
            json!({"groups": [sub]}),
        )
        .await,
    );

    let by_type = info(&get(&app, &token, &format!("/devices?type={lamps}")).await);
    assert_eq!(by_type["total"], 3);
    assert_eq!(by_type["page_total"], 1);
    assert!(
        by_type["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["type"] == lamps.as_str())
    );
    assert_eq!(by_type["items"][0]["type_info"]["name"], "Lamp");
    let none = info(&get(&app, &token, &format!("/devices?type={empty_type}")).await);
    assert_eq!(none, json!({"items": [], "total": 0, "page_total": 0}));

    // Direct members only.
    let by_group = info(&get(&app, &token, &format!("/devices?group={g}")).await);
    assert_eq!(by_group["total"], 3);
    let expected: Vec<i64> = [&lamp_ids[0], &lamp_ids[2], &plain]
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
    assert_eq!(ids(&by_group), expected);
    let both = info(
        &get(
            &app,
            &token,
            &format!("/devices?type={lamps}&group={g}&page=1"),
        )
        .await,
    );
    assert_eq!(both["total"], 2);
    let past = info(&get(&app, &token, &format!("/devices?group={g}&page=2")).await);
    assert_eq!(
        (past["total"].clone(), past["items"].clone()),
        (json!(3), json!([]))
    );
    // Empty filters count as absent.
    assert_eq!(
        info(&get(&app, &token, "/devices?type=&group=").await)["total"],
        4
    );

    for (query, message) in [
        ("type=999999", "device type not found"),
        ("type=abc", "device type not found"),
        ("group=999999", "device group not found"),
        ("group=1.5", "device group not found"),
    ] {
        let m = refused(&get(&app, &token, &format!("/devices?{query}")).await, 404);
        assert_eq!(m, message, "{query}");
    }
}
