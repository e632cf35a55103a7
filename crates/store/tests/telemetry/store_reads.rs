//! The store side of device data, read back: history windows and pages,
//! presence, lookups, deleted devices, large batches.

use bytes::Bytes;
use serde_json::json;
use thingstead_core::telemetry::*;

use super::store_side::{active, attrs, ms, point_values, report, series};
use super::*;

async fn series_windows_and_pages(db: &Db) {
    let p = project(db).await;
    let lamp = db.insert_device_type(new_type(p, "Lamp")).await.unwrap();
    let a = device(db, p, lamp.id, "a").await;
    let b = device(db, p, lamp.id, "b").await;
    let batch: Vec<Report> = (0..25)
        .flat_map(|i| {
            [
                report(
                    &a,
                    i,
                    ReportBody::Attributes(attrs(json!({"t": i, "h": -i}))),
                ),
                report(&b, i, ReportBody::Attributes(attrs(json!({"t": 100 + i})))),
            ]
        })
        .collect();
    db.write_reports(&batch).await.unwrap();

    let page = |start, end, offset, limit| {
        let query = series(&a, "t", start, end, offset, limit);
        async move { db.series(&query).await }
    };
    let first = page(0, 100, 0, 10).await.unwrap();
    assert_eq!(
        first.iter().map(|p| p.value.clone()).collect::<Vec<_>>(),
        (15..25).rev().map(|i| json!(i)).collect::<Vec<_>>()
    );
    let third = page(0, 100, 20, 10).await.unwrap();
    assert_eq!(
        third.iter().map(|p| p.value.clone()).collect::<Vec<_>>(),
        (0..5).rev().map(|i| json!(i)).collect::<Vec<_>>()
    );
    assert!(page(0, 100, 30, 10).await.unwrap().is_empty());
    assert!(page(0, 100, u64::MAX, 10).await.unwrap().is_empty());
    // Both ends are inclusive.
    let window = page(5, 9, 0, 100).await.unwrap();
    assert_eq!(
        point_values(&window),
        (5..10).rev().map(|i| (ms(i), json!(i))).collect::<Vec<_>>()
    );
    assert!(page(100, 200, 0, 100).await.unwrap().is_empty());
    // Other identifiers and devices stay apart.
    let h = db.series(&series(&a, "h", 0, 100, 0, 1)).await.unwrap();
    assert_eq!(point_values(&h), vec![(ms(24), json!(-24))]);
    let bt = db.series(&series(&b, "t", 0, 100, 0, 1)).await.unwrap();
    assert_eq!(point_values(&bt), vec![(ms(24), json!(124))]);
    assert!(
        db.series(&series(&b, "h", 0, 100, 0, 100))
            .await
            .unwrap()
            .is_empty()
    );
    // Points with the same time: the later written first.
    db.write_reports(&[
        report(&a, 50, ReportBody::Attributes(attrs(json!({"t": "first"})))),
        report(
            &a,
            50,
            ReportBody::Attributes(attrs(json!({"t": "second"}))),
        ),
    ])
    .await
    .unwrap();
    let same = page(50, 50, 0, 10).await.unwrap();
    assert_eq!(
        point_values(&same),
        vec![(ms(50), json!("second")), (ms(50), json!("first"))]
    );
}

#[tokio::test]
async fn series_windows_and_pages_on_every_backend() {
    on_every_backend!(series_windows_and_pages);
}

async fn presence(db: &Db) {
    let p = project(db).await;
    let lamp = db.insert_device_type(new_type(p, "Lamp")).await.unwrap();
    let a = device(db, p, lamp.id, "a").await;
    let b = device(db, p, lamp.id, "b").await;
    let online = |d: Device| async move {
        db.device(d.project_id, d.id)
            .await
            .unwrap()
            .unwrap()
            .view
            .device
            .online
    };
    db.set_presence(a.id, true, Transport::Mqtt, t(10), "n1")
        .await
        .unwrap();
    assert!(online(a.clone()).await);
    assert!(!online(b.clone()).await);
    assert_eq!(active(db, &a).await, json!({"connect": ms(10)}));
    let stats = db.device_stats(p).await.unwrap();
    assert_eq!((stats.online, stats.active), (1, 1));
    db.set_presence(a.id, false, Transport::Mqtt, t(20), "n1")
        .await
        .unwrap();
    assert!(!online(a.clone()).await);
    // Going offline leaves `active` as it was.
    assert_eq!(active(db, &a).await, json!({"connect": ms(10)}));
    assert_eq!(db.device_stats(p).await.unwrap().online, 0);
    db.set_presence(b.id, true, Transport::Tcp, t(30), "n1")
        .await
        .unwrap();
    assert_eq!(db.device_stats(p).await.unwrap().online, 1);
    // A missing device: nothing recorded, no error.
    db.set_presence(b.id + 1000, true, Transport::Mqtt, t(40), "n1")
        .await
        .unwrap();
}

#[tokio::test]
async fn presence_on_every_backend() {
    on_every_backend!(presence);
}

async fn lookups(db: &Db) {
    let p = project(db).await;
    let key = project_key(db).await;
    let mut gateway = new_type(p, "Gateway");
    gateway.is_gateway = true;
    let gateway = db.insert_device_type(gateway).await.unwrap();
    let a = device(db, p, gateway.id, "a").await;

    let (found, found_key) = db.device_by_token(&a.access_token).await.unwrap().unwrap();
    assert_eq!(found_key, key);
    assert_eq!(
        found,
        ConnectedDevice {
            device: a.id,
            project: p,
            type_id: Some(gateway.id),
            name: "device a".into(),
            is_gateway: true,
        }
    );
    assert!(db.device_by_token("nope").await.unwrap().is_none());
    assert_eq!(db.project_device(p, a.id).await.unwrap(), Some(found));
    assert!(db.project_device(p + 1000, a.id).await.unwrap().is_none());
    assert!(db.project_device(p, a.id + 1000).await.unwrap().is_none());

    assert_eq!(
        db.project_by_key(&key).await.unwrap(),
        Some((p, key.clone()))
    );
    assert!(db.project_by_key("nope").await.unwrap().is_none());
    assert_eq!(
        db.type_by_key(p, &gateway.type_key).await.unwrap(),
        Some(gateway.id)
    );
    assert!(
        db.type_by_key(p + 1000, &gateway.type_key)
            .await
            .unwrap()
            .is_none()
    );
    let cert = db.device_by_key(p, "a").await.unwrap().unwrap();
    assert_eq!(
        cert,
        Certificate {
            device_id: a.id,
            name: "device a".into(),
            access_token: a.access_token.clone(),
            project_key: key,
        }
    );
    assert!(db.device_by_key(p, "b").await.unwrap().is_none());
    assert!(db.device_by_key(p + 1000, "a").await.unwrap().is_none());
}

#[tokio::test]
async fn lookups_on_every_backend() {
    on_every_backend!(lookups);
}

async fn deleted_devices(db: &Db) {
    let p = project(db).await;
    let lamp = db.insert_device_type(new_type(p, "Lamp")).await.unwrap();
    let a = device(db, p, lamp.id, "a").await;
    let b = device(db, p, lamp.id, "b").await;
    db.write_reports(&[report(
        &a,
        1,
        ReportBody::Attributes(attrs(json!({"t": 1}))),
    )])
    .await
    .unwrap();
    db.set_presence(a.id, true, Transport::Mqtt, t(1), "n1")
        .await
        .unwrap();
    db.record_command(a.id, "1", &json!({"method": "m"}), t(1))
        .await
        .unwrap();
    assert!(db.delete_device(p, a.id).await.unwrap());
    // Reports of the deleted device are skipped; the others are written.
    db.write_reports(&[
        report(&a, 2, ReportBody::Attributes(attrs(json!({"t": 2})))),
        report(&b, 2, ReportBody::Attributes(attrs(json!({"t": 3})))),
        report(
            &a,
            2,
            ReportBody::Event {
                id: "1".into(),
                method: "m".into(),
                params: json!({}),
            },
        ),
    ])
    .await
    .unwrap();
    // Its data went with it.
    assert!(db.current_attributes(a.id).await.unwrap().is_empty());
    assert!(
        db.series(&series(&a, "t", 0, 10, 0, 10))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(db.current_attributes(b.id).await.unwrap().len(), 1);
}

#[tokio::test]
async fn deleted_devices_on_every_backend() {
    on_every_backend!(deleted_devices);
}

async fn large_batches(db: &Db) {
    let p = project(db).await;
    let lamp = db.insert_device_type(new_type(p, "Lamp")).await.unwrap();
    let mut devices = Vec::new();
    for i in 0..300 {
        devices.push(device(db, p, lamp.id, &format!("d{i}")).await);
    }
    // More rows than one statement takes, of every table.
    let batch: Vec<Report> = (0..4_000)
        .map(|i| {
            let d = &devices[i % devices.len()];
            let secs = i64::try_from(i).unwrap();
            let body = match i % 4 {
                0 | 1 => ReportBody::Attributes(attrs(json!({"t": i, "h": 1, "s": "x"}))),
                2 => ReportBody::Event {
                    id: format!("{i}"),
                    method: "m".into(),
                    params: json!({"i": i}),
                },
                _ => ReportBody::Data {
                    identifier: "stream".into(),
                    payload: Bytes::from(vec![7u8; 16]),
                },
            };
            report(d, secs, body)
        })
        .collect();
    let started = std::time::Instant::now();
    db.write_reports(&batch).await.unwrap();
    eprintln!(
        "{} reports written in {:?} on {}",
        batch.len(),
        started.elapsed(),
        db.backend_name()
    );
    let t_points = db
        .series(&series(&devices[97], "t", 0, 10_000, 0, 100))
        .await
        .unwrap();
    // Device 97 got reports 97, 397, 697, …; those of kinds 0 and 1 carry
    // attributes.
    let expected = (0..4_000).filter(|i| i % 300 == 97 && i % 4 < 2).count();
    assert_eq!(t_points.len(), expected);
    for d in &devices {
        assert!(!active(db, d).await.as_object().unwrap().is_empty());
    }
}

#[tokio::test]
async fn large_batches_on_every_backend() {
    on_every_backend!(large_batches);
}
