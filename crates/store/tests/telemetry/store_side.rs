//! The store side of device data: batches, upserts, history pages,
//! presence, lookups.

use bytes::Bytes;
use serde_json::{Value, json};
use thingstead_core::telemetry::*;

use super::*;

pub(super) fn attrs(v: Value) -> Attributes {
    match v {
        Value::Object(m) => m,
        _ => panic!("not an object"),
    }
}

pub(super) fn report(d: &Device, secs: i64, body: ReportBody) -> Report {
    Report {
        device: d.id,
        project: d.project_id,
        type_id: d.type_id,
        at: t(secs),
        body,
    }
}

pub(super) fn values(attrs: &[Attribute]) -> Vec<(String, Value, AttrType, DataType, i64)> {
    attrs
        .iter()
        .map(|a| {
            (
                a.identifier.clone(),
                a.value.clone(),
                a.attr_type,
                a.data_type,
                a.ts.timestamp_millis(),
            )
        })
        .collect()
}

pub(super) fn ms(secs: i64) -> i64 {
    t(secs).timestamp_millis()
}

pub(super) async fn active(db: &Db, d: &Device) -> Value {
    db.device(d.project_id, d.id)
        .await
        .unwrap()
        .unwrap()
        .view
        .device
        .active
}

pub(super) fn series(
    d: &Device,
    identifier: &str,
    start: i64,
    end: i64,
    offset: u64,
    limit: u64,
) -> SeriesQuery {
    SeriesQuery {
        device: d.id,
        identifier: identifier.into(),
        start: t(start),
        end: t(end),
        offset,
        limit,
    }
}

pub(super) fn point_values(points: &[Point]) -> Vec<(i64, Value)> {
    points
        .iter()
        .map(|p| (p.ts.timestamp_millis(), p.value.clone()))
        .collect()
}

async fn batches(db: &Db) {
    let p = project(db).await;
    let lamp = db.insert_device_type(new_type(p, "Lamp")).await.unwrap();
    let a = device(db, p, lamp.id, "a").await;
    let b = device(db, p, lamp.id, "b").await;
    db.record_command(a.id, "7", &json!({"method": "reboot", "id": 7}), t(3))
        .await
        .unwrap();

    let batch = vec![
        report(
            &a,
            1,
            ReportBody::Attributes(attrs(json!({"t": 1, "on": true}))),
        ),
        report(
            &b,
            1,
            ReportBody::Attributes(attrs(json!({"t": 5, "s": "x", "cfg": {"k": [1]}}))),
        ),
        report(&a, 2, ReportBody::Attributes(attrs(json!({"t": 2.5})))),
        report(
            &a,
            4,
            ReportBody::Event {
                id: "e1".into(),
                method: "alarm".into(),
                params: json!({"level": 2}),
            },
        ),
        report(
            &a,
            5,
            ReportBody::CommandReply {
                id: "7".into(),
                method: "reboot".into(),
                params: json!({"ok": true}),
            },
        ),
        report(
            &b,
            6,
            ReportBody::Data {
                identifier: "stream".into(),
                payload: Bytes::from_static(b"\x01\x02\xff"),
            },
        ),
    ];
    db.write_reports(&batch).await.unwrap();
    db.write_reports(&[]).await.unwrap();

    let current = db.current_attributes(a.id).await.unwrap();
    assert_eq!(
        values(&current),
        vec![
            (
                "on".into(),
                json!(true),
                AttrType::Report,
                DataType::Boolean,
                ms(1)
            ),
            (
                "t".into(),
                json!(2.5),
                AttrType::Report,
                DataType::Number,
                ms(2)
            ),
        ]
    );
    let current = db.current_attributes(b.id).await.unwrap();
    assert_eq!(
        values(&current),
        vec![
            (
                "cfg".into(),
                json!({"k": [1]}),
                AttrType::Report,
                DataType::Json,
                ms(1)
            ),
            (
                "s".into(),
                json!("x"),
                AttrType::Report,
                DataType::String,
                ms(1)
            ),
            (
                "t".into(),
                json!(5),
                AttrType::Report,
                DataType::Number,
                ms(1)
            ),
        ]
    );
    let history = db.series(&series(&a, "t", 0, 10, 0, 10)).await.unwrap();
    assert_eq!(
        point_values(&history),
        vec![(ms(2), json!(2.5)), (ms(1), json!(1))]
    );
    assert_eq!(history[0].identifier, "t");
    assert_eq!(history[0].data_type, DataType::Number);

    // Models: learned once per type, first type wins, name = identifier.
    let mut models = db.attribute_models(lamp.id).await.unwrap();
    models.sort_by(|x, y| x.identifier.cmp(&y.identifier));
    let got: Vec<(String, String, DataType, AttrType)> = models
        .into_iter()
        .map(|m| (m.identifier, m.name, m.data_type, m.attr_type))
        .collect();
    assert_eq!(
        got,
        vec![
            ("cfg".into(), "cfg".into(), DataType::Json, AttrType::Report),
            (
                "on".into(),
                "on".into(),
                DataType::Boolean,
                AttrType::Report
            ),
            ("s".into(), "s".into(), DataType::String, AttrType::Report),
            ("t".into(), "t".into(), DataType::Number, AttrType::Report),
        ]
    );

    // `active`: the latest time of each kind, per device.
    assert_eq!(
        active(db, &a).await,
        json!({"attributes": ms(2), "event": ms(4), "command_reply": ms(5)})
    );
    assert_eq!(
        active(db, &b).await,
        json!({"attributes": ms(1), "data": ms(6)})
    );
    // A later batch raises the times it has, keeps the others; an older
    // report does not lower them.
    db.write_reports(&[
        report(&a, 9, ReportBody::Attributes(attrs(json!({"t": 3})))),
        report(&b, 0, ReportBody::Attributes(attrs(json!({"t": 4})))),
    ])
    .await
    .unwrap();
    assert_eq!(
        active(db, &a).await,
        json!({"attributes": ms(9), "event": ms(4), "command_reply": ms(5)})
    );
    assert_eq!(active(db, &b).await["attributes"], json!(ms(1)));
    let stats = db.device_stats(p).await.unwrap();
    assert_eq!((stats.total, stats.active, stats.online), (2, 2, 0));
}

#[tokio::test]
async fn batches_on_every_backend() {
    on_every_backend!(batches);
}

async fn upserts_and_removals(db: &Db) {
    let p = project(db).await;
    let lamp = db.insert_device_type(new_type(p, "Lamp")).await.unwrap();
    let a = device(db, p, lamp.id, "a").await;
    // The same identifier twice in one batch: the later value is current.
    db.write_reports(&[
        report(
            &a,
            1,
            ReportBody::Attributes(attrs(json!({"t": 1, "u": 1}))),
        ),
        report(&a, 2, ReportBody::Attributes(attrs(json!({"t": 2})))),
        report(&a, 3, ReportBody::Attributes(attrs(json!({"t": 3})))),
    ])
    .await
    .unwrap();
    db.write_reports(&[report(
        &a,
        4,
        ReportBody::Attributes(attrs(json!({"u": 9}))),
    )])
    .await
    .unwrap();
    let current = values(&db.current_attributes(a.id).await.unwrap());
    assert_eq!(
        current,
        vec![
            (
                "t".into(),
                json!(3),
                AttrType::Report,
                DataType::Number,
                ms(3)
            ),
            (
                "u".into(),
                json!(9),
                AttrType::Report,
                DataType::Number,
                ms(4)
            ),
        ]
    );

    // Cloud attributes: current, history and model of type `cloud`.
    db.set_cloud_attributes(a.id, &attrs(json!({"target": 21.5, "u": 10})), t(5))
        .await
        .unwrap();
    let current = values(&db.current_attributes(a.id).await.unwrap());
    assert_eq!(
        current,
        vec![
            (
                "t".into(),
                json!(3),
                AttrType::Report,
                DataType::Number,
                ms(3)
            ),
            (
                "target".into(),
                json!(21.5),
                AttrType::Cloud,
                DataType::Number,
                ms(5)
            ),
            (
                "u".into(),
                json!(10),
                AttrType::Cloud,
                DataType::Number,
                ms(5)
            ),
        ]
    );
    let target = db
        .series(&series(&a, "target", 0, 10, 0, 10))
        .await
        .unwrap();
    assert_eq!(point_values(&target), vec![(ms(5), json!(21.5))]);
    let models = db.attribute_models(lamp.id).await.unwrap();
    let target = models.iter().find(|m| m.identifier == "target").unwrap();
    assert_eq!(target.attr_type, AttrType::Cloud);
    // `u` was learned from the report first.
    let u = models.iter().find(|m| m.identifier == "u").unwrap();
    assert_eq!(u.attr_type, AttrType::Report);

    // Removal: current values go, history stays; unknown keys are fine.
    db.remove_attributes(a.id, &["t".into(), "nope".into(), "target".into()])
        .await
        .unwrap();
    let current = db.current_attributes(a.id).await.unwrap();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0].identifier, "u");
    assert_eq!(
        db.series(&series(&a, "t", 0, 10, 0, 10))
            .await
            .unwrap()
            .len(),
        3
    );
    // A missing device: nothing to do, no error.
    db.set_cloud_attributes(a.id + 1000, &attrs(json!({"x": 1})), t(6))
        .await
        .unwrap();
}

#[tokio::test]
async fn upserts_and_removals_on_every_backend() {
    on_every_backend!(upserts_and_removals);
}
