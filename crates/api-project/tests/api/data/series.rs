//! An attribute's history: pages, page sizes and time windows.

use super::*;

/// Reports `n` = 0..count, one report each, a few milliseconds apart; returns
/// the times before the first and after the last.
async fn count_up(app: &TestApp, dev: &Dev, count: i64) -> (i64, i64) {
    let before = now_ms();
    for i in 0..count {
        report(app, dev, json!({ "n": i })).await;
        tokio::time::sleep(std::time::Duration::from_millis(3)).await;
    }
    (before, now_ms())
}

fn numbers(from: i64, down_to: i64) -> Vec<Value> {
    (down_to..=from).rev().map(|i| json!(i)).collect()
}

pub async fn series_pages_newest_first(app: TestApp) {
    let token = app.project_token().await;
    let dev = new_dev(&app, &token, "Counter").await;
    count_up(&app, &dev, 25).await;

    // Default: page 1 of 20.
    let page = info(&series_of(&app, &token, &dev, "n", "").await);
    assert_eq!(values(&page), numbers(24, 5));
    let ts: Vec<i64> = page
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["ts"].as_i64().unwrap())
        .collect();
    assert!(ts.windows(2).all(|w| w[0] >= w[1]), "newest first: {ts:?}");

    let q = |p: &str| format!("?page_records=10{p}");
    let p1 = info(&series_of(&app, &token, &dev, "n", &q("&page=1")).await);
    let p2 = info(&series_of(&app, &token, &dev, "n", &q("&page=2")).await);
    let p3 = info(&series_of(&app, &token, &dev, "n", &q("&page=3")).await);
    let p4 = info(&series_of(&app, &token, &dev, "n", &q("&page=4")).await);
    assert_eq!(values(&p1), numbers(24, 15));
    assert_eq!(values(&p2), numbers(14, 5));
    assert_eq!(values(&p3), numbers(4, 0));
    assert_eq!(p4, json!([]));
    // Numbers may come as JSON-ish text; the largest page takes everything.
    let all = info(&series_of(&app, &token, &dev, "n", "?page_records=100&page=1").await);
    assert_eq!(values(&all), numbers(24, 0));
    let one = info(&series_of(&app, &token, &dev, "n", "?page_records=1&page=25").await);
    assert_eq!(values(&one), vec![json!(0)]);
}

pub async fn series_page_bounds_name_their_field(app: TestApp) {
    let token = app.project_token().await;
    let dev = new_dev(&app, &token, "Counter").await;
    report(&app, &dev, json!({"n": 1})).await;
    let cases = [
        ("?page_records=0", "page_records"),
        ("?page_records=101", "page_records"),
        ("?page_records=-5", "page_records"),
        ("?page_records=x", "page_records"),
        ("?page=0", "page"),
        ("?page=-1", "page"),
        ("?page=two", "page"),
        ("?start_time=abc&end_time=1", "start_time"),
        ("?start_time=-1", "start_time"),
        ("?end_time=99999999999999999", "end_time"),
    ];
    for (q, field) in cases {
        let r = series_of(&app, &token, &dev, "n", q).await;
        let m = refused(&r, 400);
        assert!(m.starts_with(field), "{q}: {m}");
    }
}

pub async fn series_time_windows(app: TestApp) {
    let token = app.project_token().await;
    let dev = new_dev(&app, &token, "Counter").await;
    let (before, after) = count_up(&app, &dev, 5).await;
    let day = 86_400_000;
    let window = |s: i64, e: i64| format!("?page_records=100&start_time={s}&end_time={e}");

    let all = info(
        &series_of(
            &app,
            &token,
            &dev,
            "n",
            &window(before - 1000, after + 1000),
        )
        .await,
    );
    assert_eq!(values(&all), numbers(4, 0));
    // Every point carries a time inside the window.
    for p in all.as_array().unwrap() {
        let ts = p["ts"].as_i64().unwrap();
        assert!(before - 1000 <= ts && ts <= after + 1000, "{p}");
    }
    // A window in the past, or in the future, holds nothing.
    let past = info(
        &series_of(
            &app,
            &token,
            &dev,
            "n",
            &window(before - 10 * day, before - 9 * day),
        )
        .await,
    );
    assert_eq!(past, json!([]));
    let future = info(
        &series_of(
            &app,
            &token,
            &dev,
            "n",
            &window(after + day, after + 2 * day),
        )
        .await,
    );
    assert_eq!(future, json!([]));
    // Exactly 30 days is allowed.
    let month = info(
        &series_of(
            &app,
            &token,
            &dev,
            "n",
            &window(after + 1000 - 30 * day, after + 1000),
        )
        .await,
    );
    assert_eq!(values(&month).len(), 5);
    // One end alone: the 30 days after start_time, or before end_time.
    let from = info(
        &series_of(
            &app,
            &token,
            &dev,
            "n",
            &format!("?start_time={}", after + 1000),
        )
        .await,
    );
    assert_eq!(from, json!([]));
    let from = info(
        &series_of(
            &app,
            &token,
            &dev,
            "n",
            &format!("?start_time={}", before - 1000),
        )
        .await,
    );
    assert_eq!(values(&from).len(), 5);
    let until = info(
        &series_of(
            &app,
            &token,
            &dev,
            "n",
            &format!("?end_time={}", before - 1000),
        )
        .await,
    );
    assert_eq!(until, json!([]));

    // Longer than 30 days, or backwards: refused, naming end_time.
    let r = series_of(
        &app,
        &token,
        &dev,
        "n",
        &window(after - 30 * day - 1, after),
    )
    .await;
    assert!(refused(&r, 400).contains("30 days"), "{:?}", r.body);
    assert_eq!(r.body["errors"][0]["field"], "end_time");
    let r = series_of(&app, &token, &dev, "n", &window(after, before - 1)).await;
    assert!(refused(&r, 400).starts_with("end_time"), "{:?}", r.body);
}
