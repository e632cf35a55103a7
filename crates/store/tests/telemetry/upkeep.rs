//! History upkeep: day partitions made ahead (PostgreSQL) and history older
//! than the retention removed, on every backend.

use chrono::Duration;
use serde_json::json;
use thingstead_core::telemetry::*;

use super::store_side::{attrs, series};
use super::*;

fn report_at(d: &Device, at: DateTime<Utc>, v: i64) -> Report {
    Report {
        device: d.id,
        project: d.project_id,
        type_id: d.type_id,
        at,
        body: ReportBody::Attributes(attrs(json!({"t": v}))),
    }
}

async fn old_history_goes(db: &Db) {
    let p = project(db).await;
    let lamp = db.insert_device_type(new_type(p, "Lamp")).await.unwrap();
    let a = device(db, p, lamp.id, "a").await;
    let now = Utc::now();
    db.write_reports(&[
        report_at(&a, now - Duration::days(40), 1),
        report_at(&a, now, 2),
    ])
    .await
    .unwrap();
    let count = || async {
        let mut q = series(&a, "t", 0, 0, 0, 100);
        q.start = now - Duration::days(400);
        q.end = now + Duration::days(400);
        db.series(&q).await.unwrap().len()
    };
    assert_eq!(count().await, 2);

    // Keeping everything removes nothing.
    let kept = db.upkeep(now, None).await.unwrap();
    assert_eq!(kept.rows_deleted, 0);
    assert_eq!(kept.partitions_dropped, 0);
    assert_eq!(count().await, 2);

    // 30 days: the 40-day-old point goes, today's stays.
    db.upkeep(now, Some(Duration::days(30))).await.unwrap();
    assert_eq!(count().await, 1);

    // Seen from 40 days on, today's day is gone too, and days ahead are made.
    let later = db
        .upkeep(now + Duration::days(40), Some(Duration::days(30)))
        .await
        .unwrap();
    assert_eq!(count().await, 0);
    if db.backend_name() == "postgres" {
        assert!(later.partitions_dropped >= 1, "{later:?}");
        assert!(later.partitions_created >= 4, "{later:?}");
        // New reports on those days land in their own partitions.
        db.write_reports(&[report_at(&a, now + Duration::days(41), 3)])
            .await
            .unwrap();
        assert_eq!(count().await, 1);
    } else {
        assert_eq!(later.partitions_created, 0);
    }
}

#[tokio::test]
async fn old_history_goes_on_every_backend() {
    on_every_backend!(old_history_goes);
}
