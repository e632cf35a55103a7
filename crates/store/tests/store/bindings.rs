//! User–device bindings: the first user of a device owns it, counts, pages,
//! and the bindings going with their user or device.

use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};
use thingstead_core::project::customers::{BindOutcome, CustomerStore};
use thingstead_core::project::devices::*;
use thingstead_store::Db;

use super::devices::{new_device, new_type};
use super::*;

async fn scenario(db: &Db) -> (ProjectId, [UserId; 2], [DeviceId; 2]) {
    let p = project(db).await;
    let ty = db
        .insert_device_type(new_type(p, "Lock", false))
        .await
        .unwrap();
    let mut devices = [0; 2];
    for (i, key) in ["k1", "k2"].into_iter().enumerate() {
        let d = db
            .insert_device(new_device(p, key), TypeChoice::Given(ty.id))
            .await
            .unwrap()
            .unwrap();
        devices[i] = d.id;
    }
    let u1 = db
        .insert_user(new_user(p, None, Some("owner"), None))
        .await
        .unwrap();
    let u2 = db
        .insert_user(new_user(p, None, Some("member"), None))
        .await
        .unwrap();
    (p, [u1.id, u2.id], devices)
}

async fn bindings(db: &Db) {
    let (p, [u1, u2], [d1, d2]) = scenario(db).await;
    let other = p + 1000;
    assert_eq!(
        db.bind_devices(other, u1, &[d1], t(20)).await.unwrap(),
        BindOutcome::CustomerNotFound
    );
    assert_eq!(
        db.bind_devices(p, u1, &[d1, 987_654], t(20)).await.unwrap(),
        BindOutcome::DeviceNotFound
    );
    assert_eq!(db.device_counts(&[u1, u2]).await.unwrap(), vec![0, 0]);
    for (u, ds) in [(u1, vec![d1, d2]), (u2, vec![d1]), (u1, vec![d1])] {
        assert_eq!(
            db.bind_devices(p, u, &ds, t(20)).await.unwrap(),
            BindOutcome::Bound
        );
    }
    assert_eq!(db.device_counts(&[u2, u1]).await.unwrap(), vec![1, 2]);
    assert_eq!(db.device_count(u1).await.unwrap(), 2);
    let (total, page) = db.customer_devices(p, u1, 1, 1).await.unwrap();
    assert_eq!(total, 2);
    assert_eq!(page.len(), 1);
    assert_eq!(page[0].device.id, d2);
    assert_eq!(db.customer_devices(other, u1, 0, 20).await.unwrap().0, 0);
    let users: Vec<UserId> = db
        .device_customers(p, d1)
        .await
        .unwrap()
        .iter()
        .map(|u| u.id)
        .collect();
    assert_eq!(users, vec![u1, u2]);
    assert!(db.device_customers(other, d1).await.unwrap().is_empty());
    assert!(!db.unbind_device(other, u2, d1).await.unwrap());
    assert!(db.unbind_device(p, u2, d1).await.unwrap());
    assert!(!db.unbind_device(p, u2, d1).await.unwrap());
    assert!(db.delete_device(p, d2).await.unwrap());
    assert_eq!(db.device_count(u1).await.unwrap(), 1);
    assert!(db.delete_customer(p, u1).await.unwrap());
    assert!(db.device_customers(p, d1).await.unwrap().is_empty());
    assert!(db.device(p, d1).await.unwrap().is_some());
}

#[tokio::test]
async fn bindings_on_every_backend() {
    on_every_backend!(bindings);
}

#[tokio::test]
async fn the_first_user_of_a_device_owns_it() {
    let dir = std::env::temp_dir().join(format!("ts_store_{}", unique_name()));
    let url = format!("sqlite://{}/store.db", dir.display());
    let db = Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    let (p, [u1, u2], [d1, _]) = scenario(&db).await;
    for u in [u1, u2, u1] {
        let done = db.bind_devices(p, u, &[d1], t(20)).await.unwrap();
        assert_eq!(done, BindOutcome::Bound);
    }
    let raw = Database::connect(&url).await.unwrap();
    let rows = raw
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT user_id, owned, nickname, sort, created_at FROM bindings ORDER BY id",
        ))
        .await
        .unwrap();
    let got: Vec<(i64, bool, String, i32, i64)> = rows
        .iter()
        .map(|r| {
            (
                r.try_get("", "user_id").unwrap(),
                r.try_get("", "owned").unwrap(),
                r.try_get("", "nickname").unwrap(),
                r.try_get("", "sort").unwrap(),
                r.try_get("", "created_at").unwrap(),
            )
        })
        .collect();
    let at = t(20).timestamp_millis();
    assert_eq!(
        got,
        vec![
            (u1, true, String::new(), 0, at),
            (u2, false, String::new(), 0, at)
        ]
    );
    drop(raw);
    drop(db);
    let _ = std::fs::remove_dir_all(dir);
}
