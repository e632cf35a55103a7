//! Codes, throttles, login failures, provisioning codes and upload tickets.

use thingstead_core::model::*;
use thingstead_core::store::*;
use thingstead_store::Db;

use super::*;

async fn codes(db: &Db) {
    let p = project(db).await;
    let target = "13800000000";
    let max = 3;
    let any = [CodePurpose::Register, CodePurpose::ResetPassword];

    db.replace_code(new_code(p, CodePurpose::Register, "h1"))
        .await
        .unwrap();
    let first = db
        .live_code(p, target, &any, t(1), max)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first.code_hash, "h1");
    assert_eq!(first.purpose, CodePurpose::Register);
    assert_eq!(first.attempts, 0);
    assert_eq!(first.expires_at, t(300));

    db.replace_code(new_code(p, CodePurpose::Register, "h2"))
        .await
        .unwrap();
    let second = db
        .live_code(p, target, &any, t(1), max)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(second.code_hash, "h2");
    // Replacing spent the first one.
    assert!(!db.spend_code(first.id).await.unwrap());

    // Another purpose does not replace, and the newest of the asked wins.
    db.replace_code(new_code(p, CodePurpose::ResetPassword, "h3"))
        .await
        .unwrap();
    let reg = db
        .live_code(p, target, &[CodePurpose::Register], t(1), max)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(reg.code_hash, "h2");
    let newest = db
        .live_code(p, target, &any, t(1), max)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(newest.code_hash, "h3");
    assert!(
        db.live_code(p, target, &[CodePurpose::BindEmail], t(1), max)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        db.live_code(p, target, &[], t(1), max)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        db.live_code(p, "someone-else", &any, t(1), max)
            .await
            .unwrap()
            .is_none()
    );
    // Expired.
    assert!(
        db.live_code(p, target, &any, t(300), max)
            .await
            .unwrap()
            .is_none()
    );

    // Wrong tries.
    for n in 1..=max {
        db.fail_code(reg.id).await.unwrap();
        let live = db
            .live_code(p, target, &[CodePurpose::Register], t(1), max)
            .await
            .unwrap();
        if n < max {
            assert_eq!(live.unwrap().attempts, n);
        } else {
            assert!(live.is_none());
        }
    }

    assert!(db.spend_code(newest.id).await.unwrap());
    assert!(!db.spend_code(newest.id).await.unwrap());
    assert!(
        db.live_code(p, target, &any, t(1), max)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn codes_replace_live_fail_spend() {
    on_every_backend!(codes);
}

async fn concurrent_writes(db: &Db) {
    let p = project(db).await;
    db.replace_code(new_code(p, CodePurpose::Register, "h1"))
        .await
        .unwrap();
    let code = db
        .live_code(p, "13800000000", &[CodePurpose::Register], t(1), 5)
        .await
        .unwrap()
        .unwrap();
    let mut tasks = Vec::new();
    for i in 0..16 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            db.record_send(p, "13800000000", "10.0.0.1", t(i))
                .await
                .unwrap();
            db.fail_code(code.id).await.unwrap();
            db.spend_code(code.id).await.unwrap()
        }));
    }
    let mut winners = 0;
    for task in tasks {
        if task.await.unwrap() {
            winners += 1;
        }
    }
    assert_eq!(winners, 1);
    assert_eq!(db.count_sends_from("10.0.0.1", t(0)).await.unwrap(), 16);
}

#[tokio::test]
async fn concurrent_writers_one_winner() {
    on_every_backend!(concurrent_writes);
}

async fn throttles(db: &Db) {
    let p = project(db).await;
    assert!(db.last_send(p, "t1").await.unwrap().is_none());
    db.record_send(p, "t1", "10.0.0.1", t(0)).await.unwrap();
    db.record_send(p, "t1", "10.0.0.2", t(60)).await.unwrap();
    let last = db.record_send(p, "t1", "10.0.0.1", t(120)).await.unwrap();
    db.record_send(p, "t2", "10.0.0.1", t(130)).await.unwrap();
    assert_eq!(db.last_send(p, "t1").await.unwrap(), Some(t(120)));
    assert_eq!(db.count_sends(p, "t1", t(0)).await.unwrap(), 3);
    assert_eq!(db.count_sends(p, "t1", t(60)).await.unwrap(), 2);
    assert_eq!(db.count_sends(p, "t1", t(121)).await.unwrap(), 0);
    assert_eq!(db.count_sends_from("10.0.0.1", t(0)).await.unwrap(), 3);
    assert_eq!(db.count_sends_from("10.0.0.1", t(100)).await.unwrap(), 2);
    db.delete_send(last).await.unwrap();
    assert_eq!(db.count_sends(p, "t1", t(0)).await.unwrap(), 2);
    assert_eq!(db.last_send(p, "t1").await.unwrap(), Some(t(60)));
}

#[tokio::test]
async fn send_throttle_counts() {
    on_every_backend!(throttles);
}

async fn login_failures(db: &Db) {
    let p = project(db).await;
    for s in [0, 10, 20] {
        db.record_login_failure(p, "alice", t(s)).await.unwrap();
    }
    db.record_login_failure(p, "bob", t(0)).await.unwrap();
    assert_eq!(db.count_login_failures(p, "alice", t(0)).await.unwrap(), 3);
    assert_eq!(db.count_login_failures(p, "alice", t(15)).await.unwrap(), 1);
    db.clear_login_failures(p, "alice").await.unwrap();
    assert_eq!(db.count_login_failures(p, "alice", t(0)).await.unwrap(), 0);
    assert_eq!(db.count_login_failures(p, "bob", t(0)).await.unwrap(), 1);
}

#[tokio::test]
async fn login_failures_count_and_clear() {
    on_every_backend!(login_failures);
}

async fn grants(db: &Db) {
    let p = project(db).await;
    let user = db
        .insert_user(new_user(p, Some("13800000001"), None, None))
        .await
        .unwrap();
    let provision = NewProvisionCode {
        project_id: p,
        user_id: user.id,
        kind: 1,
        code_hash: "pc1".into(),
        created_at: t(0),
        expires_at: t(600),
    };
    db.insert_provision_code(provision.clone()).await.unwrap();
    assert!(is_conflict(
        db.insert_provision_code(provision).await,
        "code_hash"
    ));

    let ticket = NewUploadTicket {
        project_id: p,
        ticket_hash: "tk1".into(),
        module: "head".into(),
        owner: format!("user:{}", user.id),
        declared_size: 1234,
        stored_name: "abc.png".into(),
        created_at: t(0),
        expires_at: t(600),
    };
    db.insert_upload_ticket(ticket.clone()).await.unwrap();
    assert!(is_conflict(
        db.insert_upload_ticket(ticket).await,
        "ticket_hash"
    ));
    assert!(db.upload_ticket("tk1", t(600)).await.unwrap().is_none());
    assert!(db.upload_ticket("nope", t(1)).await.unwrap().is_none());
    let found = db.upload_ticket("tk1", t(1)).await.unwrap().unwrap();
    assert_eq!(
        found,
        UploadTicket {
            id: found.id,
            project_id: p,
            module: "head".into(),
            owner: format!("user:{}", user.id),
            declared_size: 1234,
            stored_name: "abc.png".into(),
            expires_at: t(600),
        }
    );
    assert!(db.take_upload_ticket(found.id).await.unwrap());
    assert!(!db.take_upload_ticket(found.id).await.unwrap());
    assert!(db.upload_ticket("tk1", t(1)).await.unwrap().is_none());
}

#[tokio::test]
async fn provision_codes_and_upload_tickets() {
    on_every_backend!(grants);
}
