//! The alarm notification queue claimed once, attempts, and the alarm
//! logs' pages and windows.

use thingstead_core::alarms::*;
use thingstead_core::project::devices::*;
use thingstead_store::Db;

use super::alarms::{new_alarm, note, query, scene};
use super::devices::new_device;
use super::*;

async fn delivery(db: &Db) {
    let s = scene(db).await;
    let a = db
        .open_alarm(
            &new_alarm(&s, 1, 1, 20),
            &[note(s.user, "open"), note(s.user, "open")],
            t(0),
        )
        .await
        .unwrap()
        .0;
    // Not due yet, then due: each handed out once while held.
    assert!(
        db.claim_notifications(t(19), t(80), 10)
            .await
            .unwrap()
            .is_empty()
    );
    let first = db.claim_notifications(t(20), t(80), 1).await.unwrap();
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].attempts, 0);
    let second = db.claim_notifications(t(21), t(80), 10).await.unwrap();
    assert_eq!(second.len(), 1);
    assert_ne!(second[0].id, first[0].id);
    assert!(
        db.claim_notifications(t(22), t(80), 10)
            .await
            .unwrap()
            .is_empty()
    );
    // A hold that runs out hands it out again.
    assert_eq!(
        db.claim_notifications(t(81), t(140), 10)
            .await
            .unwrap()
            .len(),
        2
    );

    let n = &first[0];
    let attempt = |number: u32, ok: bool, at: i64, retry: Option<i64>| Attempt {
        notification_id: n.id,
        alarm_id: a,
        attempt: number,
        ok,
        error: if ok { String::new() } else { "timeout".into() },
        at: t(at),
        retry_at: retry.map(t),
    };
    db.record_attempt(&attempt(1, false, 150, Some(200)))
        .await
        .unwrap();
    // Released, due again at the retry time only.
    assert!(
        db.claim_notifications(t(199), t(260), 10)
            .await
            .unwrap()
            .iter()
            .all(|c| c.id != n.id)
    );
    let retry = db.claim_notifications(t(200), t(260), 10).await.unwrap();
    let retry = retry.iter().find(|c| c.id == n.id).unwrap();
    assert_eq!(retry.attempts, 1);
    db.record_attempt(&attempt(2, true, 201, None))
        .await
        .unwrap();
    db.record_attempt(&Attempt {
        notification_id: second[0].id,
        ..attempt(1, false, 202, None)
    })
    .await
    .unwrap();
    assert!(
        db.claim_notifications(t(999), t(1999), 10)
            .await
            .unwrap()
            .is_empty()
    );

    let logs = &db.alarm_logs(&query(&s, 0, 10)).await.unwrap()[0].notify_logs;
    let got: Vec<_> = logs
        .iter()
        .map(|l| (l.notification_id, l.attempt, l.ok, l.event.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (n.id, 1, false, "open"),
            (n.id, 2, true, "open"),
            (second[0].id, 1, false, "open")
        ]
    );
    assert_eq!(logs[0].error, "timeout");
    assert_eq!(logs[0].channel, NotifyChannel::Sms);
    assert_eq!(logs[0].user_id, s.user);
}

async fn logs_paged(db: &Db) {
    let s = scene(db).await;
    let other = db
        .insert_device(new_device(s.p, "k2"), TypeChoice::Given(s.ty))
        .await
        .unwrap()
        .unwrap()
        .id;
    let mut ids = Vec::new();
    for (i, at) in [10, 20, 20, 30].into_iter().enumerate() {
        let mut a = new_alarm(&s, i as i64 + 1, 1, at);
        if i == 3 {
            a.device_id = other;
        }
        ids.push(db.open_alarm(&a, &[], t(0)).await.unwrap().0);
    }
    let page = |q: AlarmQuery| async move {
        db.alarm_logs(&q)
            .await
            .unwrap()
            .iter()
            .map(|a| a.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        page(query(&s, 0, 10)).await,
        vec![ids[3], ids[2], ids[1], ids[0]]
    );
    assert_eq!(page(query(&s, 1, 2)).await, vec![ids[2], ids[1]]);
    let window = AlarmQuery {
        start: t(20),
        end: t(20),
        ..query(&s, 0, 10)
    };
    assert_eq!(page(window).await, vec![ids[2], ids[1]]);
    let one = AlarmQuery {
        device_id: Some(other),
        ..query(&s, 0, 10)
    };
    assert_eq!(page(one).await, vec![ids[3]]);
    let elsewhere = AlarmQuery {
        project_id: s.p + 1000,
        ..query(&s, 0, 10)
    };
    assert!(page(elsewhere).await.is_empty());
    let shown = &db.alarm_logs(&query(&s, 0, 1)).await.unwrap()[0];
    assert_eq!(shown.device_name, "device k2");
    assert_eq!(shown.created_at, t(30));
    // Alarms go with their device.
    assert!(db.delete_device(s.p, other).await.unwrap());
    assert_eq!(page(query(&s, 0, 10)).await, vec![ids[2], ids[1], ids[0]]);
}

/// Workers claiming at the same time never share a notification.
async fn concurrent_claims(db: &Db) {
    let s = scene(db).await;
    let notes: Vec<_> = (0..40).map(|_| note(s.user, "open")).collect();
    db.open_alarm(&new_alarm(&s, 1, 1, 20), &notes, t(0))
        .await
        .unwrap();
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let db = db.clone();
            tokio::spawn(async move { db.claim_notifications(t(30), t(90), 7).await.unwrap() })
        })
        .collect();
    let mut ids = Vec::new();
    for w in workers {
        let claimed = w.await.unwrap();
        assert!(claimed.len() <= 7);
        ids.extend(claimed.iter().map(|n| n.id));
    }
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n);
    assert_eq!(n, 28);
}

#[tokio::test]
async fn notifications_are_claimed_once_and_attempts_logged() {
    on_every_backend!(delivery);
}

#[tokio::test]
async fn alarm_logs_page_and_window() {
    on_every_backend!(logs_paged);
}

#[tokio::test]
async fn concurrent_claims_share_nothing() {
    on_every_backend!(concurrent_claims);
}
