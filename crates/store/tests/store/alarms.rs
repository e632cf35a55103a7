//! Alarms: rules scoped to their project and type, alarms opening and
//! closing with the device's summary, what an alarm knows of its device.

use serde_json::{Value, json};
use thingstead_core::alarms::*;
use thingstead_core::project::customers::CustomerStore;
use thingstead_core::project::devices::*;
use thingstead_store::Db;

use super::devices::{new_device, new_type};
use super::*;

pub(super) struct Scene {
    pub(super) p: ProjectId,
    pub(super) ty: DeviceTypeId,
    pub(super) d: DeviceId,
    pub(super) user: UserId,
}

pub(super) async fn scene(db: &Db) -> Scene {
    let p = project(db).await;
    let ty = db
        .insert_device_type(new_type(p, "Sensor", false))
        .await
        .unwrap()
        .id;
    let d = db
        .insert_device(new_device(p, "k1"), TypeChoice::Given(ty))
        .await
        .unwrap()
        .unwrap()
        .id;
    let user = db
        .insert_user(new_user(p, Some("13800000001"), None, None))
        .await
        .unwrap()
        .id;
    Scene { p, ty, d, user }
}

fn spec(name: &str, level: i64) -> RuleSpec {
    RuleSpec {
        name: name.into(),
        condition: Condition::Attribute(Comparison {
            identifier: "temperature".into(),
            operator: Operator::Gt,
            threshold: json!(30),
        }),
        recovery: None,
        level: Level::parse(level).unwrap(),
        message: format!("{name} message"),
        notify: NotifyOn::default(),
        enabled: true,
    }
}

pub(super) fn new_alarm(s: &Scene, rule: RuleId, level: i64, at: i64) -> NewAlarm {
    NewAlarm {
        project_id: s.p,
        device_id: s.d,
        rule_id: rule,
        level: Level::parse(level).unwrap(),
        info: json!({"message": format!("rule {rule}")}),
        at: t(at),
    }
}

pub(super) fn note(user: UserId, event: &str) -> NewNotification {
    NewNotification {
        user_id: user,
        channel: NotifyChannel::Sms,
        target: "13800000001".into(),
        target_kind: "86".into(),
        payload: json!({"event": event}),
    }
}

/// The device's `alarm_level` and `alarm` summary.
async fn summary(db: &Db, s: &Scene) -> (i32, Value) {
    let d = db.device(s.p, s.d).await.unwrap().unwrap();
    (d.view.device.alarm_level, d.view.device.alarm)
}

async fn rules_scoped(db: &Db) {
    let s = scene(db).await;
    let other = s.p + 1000;
    assert_eq!(db.type_models(other, s.ty).await.unwrap(), None);
    assert_eq!(db.type_models(s.p, s.ty).await.unwrap(), Some(vec![]));
    let a = db
        .insert_rule(s.p, s.ty, &spec("a", 1), t(10))
        .await
        .unwrap();
    let b = db
        .insert_rule(s.p, s.ty, &spec("b", 2), t(11))
        .await
        .unwrap();
    let mut offline = spec("c", 3);
    offline.condition = Condition::Offline { seconds: 60 };
    let listed = db.rules(s.ty).await.unwrap();
    assert_eq!(listed, vec![a.clone(), b.clone()]);
    assert!(
        db.update_rule(other, s.ty, a.id, &offline)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        db.update_rule(s.p, s.ty + 1, a.id, &offline)
            .await
            .unwrap()
            .is_none()
    );
    let updated = db
        .update_rule(s.p, s.ty, a.id, &offline)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(updated.spec, offline);
    assert_eq!(db.rules(s.ty).await.unwrap()[0].spec, offline);
    assert!(
        db.delete_rule(other, s.ty, b.id, t(12))
            .await
            .unwrap()
            .is_none()
    );
    // Deleting a rule clears its open alarms and the device's summary.
    let id = db
        .open_alarm(&new_alarm(&s, b.id, 2, 20), &[], t(0))
        .await
        .unwrap()
        .0;
    assert_eq!(summary(db, &s).await.0, 2);
    let cleared = db
        .delete_rule(s.p, s.ty, b.id, t(30))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        cleared,
        vec![OpenAlarm {
            id,
            device_id: s.d,
            rule_id: b.id
        }]
    );
    assert_eq!(summary(db, &s).await, (0, json!({})));
    assert!(db.open_alarms().await.unwrap().is_empty());
    let q = query(&s, 0, 10);
    let logged = &db.alarm_logs(&q).await.unwrap()[0];
    assert_eq!(logged.status, AlarmStatus::Cleared);
    assert_eq!(logged.info["closed_by"], "rule removed");
    assert_eq!(logged.info["close_time"], t(30).timestamp_millis());
    assert_eq!(db.rules(s.ty).await.unwrap(), vec![updated]);
}

pub(super) fn query(s: &Scene, offset: u64, limit: u64) -> AlarmQuery {
    AlarmQuery {
        project_id: s.p,
        device_id: None,
        start: t(0),
        end: t(1000),
        offset,
        limit,
    }
}

async fn open_and_close(db: &Db) {
    let s = scene(db).await;
    let (r1, r2) = (1, 2);
    let a1 = db
        .open_alarm(&new_alarm(&s, r1, 1, 20), &[note(s.user, "open")], t(0))
        .await
        .unwrap()
        .0;
    let a2 = db
        .open_alarm(&new_alarm(&s, r2, 3, 21), &[], t(0))
        .await
        .unwrap()
        .0;
    let (level, alarm) = summary(db, &s).await;
    assert_eq!(level, 3);
    assert_eq!(alarm["level"], 3);
    assert_eq!(alarm["count"], 2);
    assert_eq!(alarm["alarms"][0]["id"], a2.to_string());
    assert_eq!(alarm["alarms"][0]["rule_id"], r2.to_string());
    assert_eq!(alarm["alarms"][0]["message"], "rule 2");
    assert_eq!(alarm["alarms"][1]["create_time"], t(20).timestamp_millis());
    assert_eq!(db.device_stats(s.p).await.unwrap().alarm, [0, 0, 1]);
    assert_eq!(db.open_alarms().await.unwrap().len(), 2);

    // Acknowledged stays open; another project sees nothing.
    assert!(
        db.set_alarm_status(s.p + 1000, a2, AlarmStatus::Acknowledged, t(22))
            .await
            .unwrap()
            .is_none()
    );
    let acked = db
        .set_alarm_status(s.p, a2, AlarmStatus::Acknowledged, t(22))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(acked.status, AlarmStatus::Acknowledged);
    assert_eq!(acked.info["ack_time"], t(22).timestamp_millis());
    assert_eq!(acked.device_name, "device k1");
    let closed = db
        .close_alarm(
            s.d,
            r2,
            AlarmStatus::Recovered,
            t(23),
            &[note(s.user, "close")],
            t(0),
        )
        .await
        .unwrap()
        .map(|(id, _)| id);
    assert_eq!(closed, Some(a2));
    assert_eq!(
        db.close_alarm(s.d, r2, AlarmStatus::Recovered, t(24), &[], t(0))
            .await
            .unwrap()
            .map(|(id, _)| id),
        None
    );
    let (level, alarm) = summary(db, &s).await;
    assert_eq!((level, alarm["count"].clone()), (1, json!(1)));
    assert_eq!(db.device_stats(s.p).await.unwrap().alarm, [1, 0, 0]);

    // Cleared by an operator; a closed alarm does not change again.
    let cleared = db
        .set_alarm_status(s.p, a1, AlarmStatus::Cleared, t(25))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(cleared.info["closed_by"], "operator");
    let again = db
        .set_alarm_status(s.p, a1, AlarmStatus::Acknowledged, t(26))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.status, AlarmStatus::Cleared);
    assert!(again.info.get("ack_time").is_none());
    assert_eq!(summary(db, &s).await, (0, json!({})));
    let recovered = db
        .set_alarm_status(s.p, a2, AlarmStatus::Cleared, t(27))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(recovered.status, AlarmStatus::Recovered);
    assert_eq!(recovered.info["closed_by"], "recovery");
    assert!(db.open_alarms().await.unwrap().is_empty());

    // Both queued notifications are due.
    let claimed = db.claim_notifications(t(30), t(90), 10).await.unwrap();
    let events: Vec<_> = claimed
        .iter()
        .map(|n| (n.alarm_id, n.payload["event"].clone()))
        .collect();
    assert_eq!(events, vec![(a1, json!("open")), (a2, json!("close"))]);
}

async fn context(db: &Db) {
    let s = scene(db).await;
    let off = db
        .insert_user(new_user(s.p, None, Some("quiet"), None))
        .await
        .unwrap();
    let mut quiet = off.clone();
    quiet.alarm_switch = false;
    db.update_user(&quiet).await.unwrap();
    db.bind_devices(s.p, s.user, &[s.d], t(2)).await.unwrap();
    db.bind_devices(s.p, off.id, &[s.d], t(3)).await.unwrap();
    let c = db.alarm_context(s.d).await.unwrap().unwrap();
    assert_eq!(c.device_name, "device k1");
    let users: Vec<_> = c.recipients.iter().map(|r| r.user_id).collect();
    assert_eq!(users, vec![s.user]);
    assert_eq!(c.recipients[0].phone.as_deref(), Some("13800000001"));
    assert!(db.alarm_context(s.d + 1000).await.unwrap().is_none());
    assert!(db.device_exists(s.p, s.d).await.unwrap());
    assert!(!db.device_exists(s.p + 1000, s.d).await.unwrap());
}

#[tokio::test]
async fn alarm_rules_are_scoped() {
    on_every_backend!(rules_scoped);
}

#[tokio::test]
async fn alarms_open_and_close_with_the_device_summary() {
    on_every_backend!(open_and_close);
}

#[tokio::test]
async fn alarm_context_has_recipients_with_the_switch_on() {
    on_every_backend!(context);
}
