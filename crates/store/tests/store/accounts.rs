//! Projects, accounts, sessions and terminals.

use thingstead_core::model::*;
use thingstead_core::store::*;
use thingstead_store::Db;

use super::*;

async fn migrate_and_bootstrap(db: &Db) {
    db.migrate().await.unwrap();
    db.migrate().await.unwrap();
    db.ping().await.unwrap();
    assert!(db.default_project().await.unwrap().is_none());
    let seed = seed();
    assert!(db.bootstrap(&seed).await.unwrap());
    assert!(!db.bootstrap(&seed).await.unwrap());
    let mut other = self::seed();
    other.client_key = "client-key-2".into();
    assert!(!db.bootstrap(&other).await.unwrap());
    let project = db.default_project().await.unwrap().unwrap();
    assert!(project.is_default);
    assert_eq!(project.name, seed.project_name);
    assert_eq!(project.project_key, seed.project_key);
    assert_eq!(project.created_at, seed.created_at);
    let by_key = db
        .project_by_client_key(&seed.client_key)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(by_key.id, project.id);
    assert!(
        db.project_by_client_key("client-key-2")
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn migrate_twice_and_bootstrap_once() {
    on_every_backend!(migrate_and_bootstrap);
}

async fn users(db: &Db) {
    let p = project(db).await;
    let alice = db
        .insert_user(new_user(
            p,
            Some("13800000001"),
            Some("alice"),
            Some("a@example.com"),
        ))
        .await
        .unwrap();
    assert_eq!(alice.phone.as_deref(), Some("13800000001"));
    assert_eq!(alice.created_at, t(1));
    assert!(alice.last_login_at.is_none());
    let dup_phone = db
        .insert_user(new_user(p, Some("13800000001"), None, None))
        .await;
    assert!(is_conflict(dup_phone, "phone"));
    let dup_name = db
        .insert_user(new_user(p, Some("13800000002"), Some("alice"), None))
        .await;
    assert!(is_conflict(dup_name, "username"));
    let dup_mail = db
        .insert_user(new_user(p, None, None, Some("a@example.com")))
        .await;
    assert!(is_conflict(dup_mail, "email"));
    // Missing phone, user name and e-mail never conflict.
    let bare1 = db.insert_user(new_user(p, None, None, None)).await.unwrap();
    let bare2 = db.insert_user(new_user(p, None, None, None)).await.unwrap();
    assert_ne!(bare1.id, bare2.id);

    assert_eq!(
        db.user_by_phone(p, "13800000001")
            .await
            .unwrap()
            .unwrap()
            .id,
        alice.id
    );
    assert_eq!(
        db.user_by_username(p, "alice").await.unwrap().unwrap().id,
        alice.id
    );
    assert_eq!(
        db.user_by_email(p, "a@example.com")
            .await
            .unwrap()
            .unwrap()
            .id,
        alice.id
    );
    assert!(db.user_by_phone(p, "13899999999").await.unwrap().is_none());
    assert!(db.user(p, alice.id).await.unwrap().is_some());
    assert!(db.user(p + 1000, alice.id).await.unwrap().is_none());

    let mut changed = alice.clone();
    changed.username = Some("alice2".into());
    changed.phone = Some("13800000009".into());
    changed.country_code = "1".into();
    changed.email = None;
    changed.nickname = "Alice".into();
    changed.head_url = "https://example.com/a.png".into();
    changed.alarm_switch = !alice.alarm_switch;
    changed.last_login_at = Some(t(42));
    db.update_user(&changed).await.unwrap();
    let back = db.user(p, alice.id).await.unwrap().unwrap();
    assert_eq!(back.username, changed.username);
    assert_eq!(back.phone, changed.phone);
    assert_eq!(back.country_code, changed.country_code);
    assert_eq!(back.email, None);
    assert_eq!(back.nickname, changed.nickname);
    assert_eq!(back.head_url, changed.head_url);
    assert_eq!(back.alarm_switch, changed.alarm_switch);
    assert_eq!(back.last_login_at, Some(t(42)));
    assert_eq!(back.password_hash, alice.password_hash);
    assert_eq!(back.account_no, alice.account_no);

    let mut clash = bare1.clone();
    clash.phone = Some("13800000009".into());
    assert!(is_conflict(db.update_user(&clash).await, "phone"));
}

#[tokio::test]
async fn users_and_conflicts() {
    on_every_backend!(users);
}

async fn sessions(db: &Db) {
    let p = project(db).await;
    let user = db
        .insert_user(new_user(p, Some("13800000001"), None, None))
        .await
        .unwrap();
    let s1 = db.insert_session(new_session(&user, None)).await.unwrap();
    let s2 = db.insert_session(new_session(&user, None)).await.unwrap();
    let s3 = db.insert_session(new_session(&user, None)).await.unwrap();
    let got = db.session(s1.id).await.unwrap().unwrap();
    assert_eq!(got.user_id, user.id);
    assert_eq!(got.project_id, p);
    assert_eq!(got.token_hash, s1.token_hash);
    assert_eq!(got.platform, Platform::App);
    assert_eq!(got.terminal_id, None);
    assert_eq!(got.created_at, t(10));
    assert_eq!(got.last_seen_at, t(10));
    assert_eq!(got.idle_secs, 3600);
    assert_eq!(got.expires_at, t(10_000));

    db.touch_session(s1.id, t(20)).await.unwrap();
    assert_eq!(
        db.session(s1.id).await.unwrap().unwrap().last_seen_at,
        t(20)
    );
    db.delete_session(s3.id).await.unwrap();
    assert!(db.session(s3.id).await.unwrap().is_none());

    db.set_password(user.id, "$argon2id$new", Some(s2.id))
        .await
        .unwrap();
    assert!(db.session(s1.id).await.unwrap().is_none());
    assert!(db.session(s2.id).await.unwrap().is_some());
    let back = db.user(p, user.id).await.unwrap().unwrap();
    assert_eq!(back.password_hash.as_deref(), Some("$argon2id$new"));

    db.set_password(user.id, "$argon2id$newer", None)
        .await
        .unwrap();
    assert!(db.session(s2.id).await.unwrap().is_none());
}

#[tokio::test]
async fn sessions_and_set_password() {
    on_every_backend!(sessions);
}

async fn terminals(db: &Db) {
    let p = project(db).await;
    let owner = db
        .insert_user(new_user(p, Some("13800000001"), None, None))
        .await
        .unwrap();
    let other = db
        .insert_user(new_user(p, Some("13800000002"), None, None))
        .await
        .unwrap();

    let first = db
        .upsert_terminal(owner.id, &info("dev-1", "Phone"), Platform::App, t(1))
        .await
        .unwrap();
    let second = db
        .upsert_terminal(
            owner.id,
            &info("dev-1", "Renamed"),
            Platform::MiniProgram,
            t(2),
        )
        .await
        .unwrap();
    assert_eq!(first.id, second.id);
    assert_eq!(second.name, "Renamed");
    assert_eq!(second.platform, Platform::MiniProgram);
    assert_eq!(second.last_login_at, t(2));
    assert_eq!(second.model, "A1");
    let listed = db.terminals(owner.id).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].name, "Renamed");
    let found = db
        .terminal_by_device_no(owner.id, "dev-1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.id, first.id);
    assert!(
        db.terminal_by_device_no(other.id, "dev-1")
            .await
            .unwrap()
            .is_none()
    );

    // The same device number for another account is another terminal.
    let others = db
        .upsert_terminal(other.id, &info("dev-1", "Theirs"), Platform::App, t(3))
        .await
        .unwrap();
    assert_ne!(others.id, first.id);

    let on_terminal = db
        .insert_session(new_session(&owner, Some(first.id)))
        .await
        .unwrap();
    let elsewhere = db.insert_session(new_session(&owner, None)).await.unwrap();

    assert!(!db.delete_terminal(other.id, first.id).await.unwrap());
    assert_eq!(db.terminals(owner.id).await.unwrap().len(), 1);
    assert!(db.session(on_terminal.id).await.unwrap().is_some());

    assert!(db.delete_terminal(owner.id, first.id).await.unwrap());
    assert!(db.terminals(owner.id).await.unwrap().is_empty());
    assert!(db.session(on_terminal.id).await.unwrap().is_none());
    assert!(db.session(elsewhere.id).await.unwrap().is_some());
    assert!(!db.delete_terminal(owner.id, first.id).await.unwrap());
    assert_eq!(db.terminals(other.id).await.unwrap().len(), 1);
}

#[tokio::test]
async fn terminals_upsert_and_delete() {
    on_every_backend!(terminals);
}
