//! The Telemetry service over the real store and the in-process bus:
//! reports through the batching writer, validation, the project API's
//! reads and control calls, presence, certificates.

use std::sync::Arc;

use bytes::Bytes;
use serde_json::{Value, json};
use thingstead_core::DomainError;
use thingstead_core::Telemetry;
use thingstead_core::alarms::{Alarms, Providers};
use thingstead_core::live::LiveEvents;
use thingstead_core::notify::{Alert, AlertSender, Push, Pusher, SendError};
use thingstead_core::telemetry::*;
use thingstead_devices::LocalBus;

use super::*;

pub(super) fn attrs(v: Value) -> Attributes {
    match v {
        Value::Object(m) => m,
        _ => panic!("not an object"),
    }
}

/// A provider that delivers everything.
struct Delivered;

#[async_trait::async_trait]
impl Pusher for Delivered {
    async fn push(&self, _: &Push) -> Result<(), SendError> {
        Ok(())
    }
}

#[async_trait::async_trait]
impl AlertSender for Delivered {
    async fn send_alert(&self, _: &Alert) -> Result<(), SendError> {
        Ok(())
    }
}

pub(super) async fn service(db: &Db, bus: &LocalBus) -> Telemetry {
    let providers = Providers {
        push: Arc::new(Delivered),
        sms: Arc::new(Delivered),
        email: Arc::new(Delivered),
    };
    let alarms = Alarms::start(Arc::new(db.clone()), providers, LiveEvents::default())
        .await
        .unwrap();
    Telemetry::new(
        Arc::new(db.clone()),
        Arc::new(db.clone()),
        Arc::new(bus.clone()),
        alarms,
        "n1",
    )
}

pub(super) fn refused(r: Result<(), ReportError>) -> String {
    match r {
        Err(ReportError::Invalid(m)) => m,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

pub(super) fn invalid_field<T: std::fmt::Debug>(r: Result<T, DomainError>) -> &'static str {
    match r {
        Err(DomainError::Invalid { field, .. }) => field,
        other => panic!("expected Invalid, got {other:?}"),
    }
}

pub(super) fn not_found<T: std::fmt::Debug>(r: Result<T, DomainError>) -> &'static str {
    match r {
        Err(DomainError::NotFound(what)) => what,
        other => panic!("expected NotFound, got {other:?}"),
    }
}

async fn reports(db: &Db) {
    let p = project(db).await;
    let key = project_key(db).await;
    let lamp = db.insert_device_type(new_type(p, "Lamp")).await.unwrap();
    let a = device(db, p, lamp.id, "a").await;
    let b = device(db, p, lamp.id, "b").await;
    let bus = LocalBus::new();
    let tel = service(db, &bus).await;
    let id = a.id.to_string();

    assert!(
        tel.authenticate(&a.access_token, "wrong")
            .await
            .unwrap()
            .is_none()
    );
    assert!(tel.authenticate("", &key).await.unwrap().is_none());
    assert!(tel.authenticate("unknown", &key).await.unwrap().is_none());
    let dev = tel
        .authenticate(&a.access_token, &key)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((dev.device, dev.type_id), (a.id, Some(lamp.id)));
    let dev_b = tel
        .authenticate(&b.access_token, &key)
        .await
        .unwrap()
        .unwrap();

    // A durable report is readable once `report` returns.
    let report = |d: &ConnectedDevice, v: Value, durable: bool| {
        let (tel, d) = (tel.clone(), d.clone());
        async move {
            tel.report(&d, ReportBody::Attributes(attrs(v)), durable)
                .await
        }
    };
    report(&dev, json!({"t": 1, "s": "x"}), true).await.unwrap();
    assert_eq!(
        tel.attributes_raw(p, &id).await.unwrap(),
        attrs(json!({"t": 1, "s": "x"}))
    );

    // Wrong types are refused whole, for every device of the type.
    let m = refused(report(&dev, json!({"new": 1, "t": "hot"}), true).await);
    assert!(m.contains("attribute t is a number, not a string"), "{m}");
    let m = refused(report(&dev_b, json!({"s": false}), true).await);
    assert!(m.contains("attribute s is a string"), "{m}");
    // `new` was not learned with the refused report.
    report(&dev, json!({"new": "text"}), true).await.unwrap();
    assert_eq!(
        tel.attributes_raw(p, &id).await.unwrap(),
        attrs(json!({"t": 1, "s": "x", "new": "text"}))
    );
    assert!(refused(report(&dev, json!({"t": null}), true).await).contains("null"));
    assert!(refused(report(&dev, json!({"9t": 1}), true).await).contains("9t"));
    assert!(refused(report(&dev, json!({}), true).await).contains("at least one"));
    let many: Attributes = (0..257).map(|i| (format!("k{i}"), json!(i))).collect();
    assert!(
        refused(tel.report(&dev, ReportBody::Attributes(many), true).await).contains("at most 256")
    );
    let bad_event = ReportBody::Event {
        id: "a/b".into(),
        method: "m".into(),
        params: json!({}),
    };
    assert!(refused(tel.report(&dev, bad_event, true).await).contains("id"));
    let bad_stream = ReportBody::Data {
        identifier: "no-dash".into(),
        payload: Bytes::new(),
    };
    assert!(refused(tel.report(&dev, bad_stream, true).await).contains("no-dash"));

    // Many quick reports, then a durable one: all stored, in order.
    for i in 0..200 {
        report(&dev, json!({"t": i}), false).await.unwrap();
    }
    report(&dev, json!({"t": 1000}), true).await.unwrap();
    let points = tel.series(p, &id, "t", 1, 100, None).await.unwrap();
    assert_eq!(points.len(), 100);
    assert_eq!(points[0].value, json!(1000));
    assert_eq!(points[1].value, json!(199));
    let third = tel.series(p, &id, "t", 3, 100, None).await.unwrap();
    assert_eq!(third.len(), 2);
    assert_eq!(third[1].value, json!(1));

    // The attribute list carries the learned models.
    let views = tel.attributes(p, &id).await.unwrap();
    let t = views
        .iter()
        .find(|v| v.attribute.identifier == "t")
        .unwrap();
    assert_eq!(t.attribute.value, json!(1000));
    let model = t.model.as_ref().unwrap();
    assert_eq!(
        (model.name.as_str(), model.data_type, model.attr_type),
        ("t", DataType::Number, AttrType::Report)
    );

    // Series arguments.
    let now = thingstead_core::now();
    let day = chrono::TimeDelta::days(1);
    assert_eq!(
        invalid_field(tel.series(p, &id, "t", 0, 10, None).await),
        "page"
    );
    assert_eq!(
        invalid_field(tel.series(p, &id, "t", 1, 0, None).await),
        "page_records"
    );
    assert_eq!(
        invalid_field(tel.series(p, &id, "t", 1, 101, None).await),
        "page_records"
    );
    let too_long = Some((now - day * 31, now));
    assert_eq!(
        invalid_field(tel.series(p, &id, "t", 1, 10, too_long).await),
        "start_time"
    );
    let backwards = Some((now, now - day));
    assert_eq!(
        invalid_field(tel.series(p, &id, "t", 1, 10, backwards).await),
        "start_time"
    );
    let month = Some((now - day * 30, now + day));
    assert!(tel.series(p, &id, "t", 1, 10, month).await.is_err());
    let window = Some((now - day * 29, now + day));
    assert_eq!(
        tel.series(p, &id, "t", 1, 10, window).await.unwrap().len(),
        10
    );
    let past = Some((now - day * 60, now - day * 40));
    assert!(
        tel.series(p, &id, "t", 1, 10, past)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        invalid_field(tel.series(p, &id, "bad-id", 1, 10, None).await),
        "identifier"
    );
    assert!(
        tel.series(p, &id, "never", 1, 10, None)
            .await
            .unwrap()
            .is_empty()
    );

    // Another project's device, or no number, answers like a missing one.
    let other = (p + 1000, "device");
    assert_eq!(not_found(tel.attributes(other.0, &id).await), other.1);
    assert_eq!(not_found(tel.attributes_raw(p, "abc").await), "device");
    assert_eq!(
        not_found(
            tel.series(p, &(a.id + 999).to_string(), "t", 1, 10, None)
                .await
        ),
        "device"
    );
    assert_eq!(
        not_found(tel.remove_attributes(other.0, &id, &["t".into()]).await),
        "device"
    );

    // Removal.
    assert_eq!(
        invalid_field(tel.remove_attributes(p, &id, &[]).await),
        "keys"
    );
    tel.remove_attributes(p, &id, &["s".into(), "nope".into()])
        .await
        .unwrap();
    let raw = tel.attributes_raw(p, &id).await.unwrap();
    assert!(!raw.contains_key("s") && raw.contains_key("t"));

    // Closing writes what is queued, then refuses.
    for i in 0..50 {
        report(&dev_b, json!({"t": 5000 + i}), false).await.unwrap();
    }
    tel.close().await;
    tel.close().await;
    assert_eq!(
        tel.attributes_raw(p, &b.id.to_string()).await.unwrap()["t"],
        json!(5049)
    );
    assert!(matches!(
        report(&dev, json!({"t": 1}), false).await,
        Err(ReportError::Unavailable)
    ));
}

#[tokio::test]
async fn reports_on_every_backend() {
    on_every_backend!(reports);
}
