//! Presence across nodes: a device held by another node is not taken
//! offline by an old connection's close; a dead node's devices go offline.

use std::time::Duration;

use thingstead_core::telemetry::*;

use super::*;

async fn online(db: &Db, d: &Device) -> bool {
    db.device(d.project_id, d.id)
        .await
        .unwrap()
        .unwrap()
        .view
        .device
        .online
}

async fn nodes_hold_their_devices(db: &Db) {
    let p = project(db).await;
    let lamp = db.insert_device_type(new_type(p, "Lamp")).await.unwrap();
    let a = device(db, p, lamp.id, "a").await;
    let b = device(db, p, lamp.id, "b").await;
    let now = Utc::now();
    // `a` moves from n1 to n2; n1's late close changes nothing.
    db.set_presence(a.id, true, Transport::Mqtt, now, "n1")
        .await
        .unwrap();
    db.set_presence(a.id, true, Transport::Mqtt, now, "n2")
        .await
        .unwrap();
    db.set_presence(a.id, false, Transport::Mqtt, now, "n1")
        .await
        .unwrap();
    assert!(online(db, &a).await);
    db.set_presence(b.id, true, Transport::Tcp, now, "n3")
        .await
        .unwrap();

    // n2 stopped beating 20 s ago; n3 beats.
    db.node_beat("n2", now - chrono::Duration::seconds(20))
        .await
        .unwrap();
    db.node_beat("n3", now).await.unwrap();
    let swept = db
        .sweep_dead_nodes(now, Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(swept, 1);
    assert!(!online(db, &a).await);
    assert!(online(db, &b).await);
    // Nothing more to sweep; a node that leaves is forgotten.
    assert_eq!(
        db.sweep_dead_nodes(now, Duration::from_secs(10))
            .await
            .unwrap(),
        0
    );
    db.node_left("n3").await.unwrap();
    db.set_presence(b.id, false, Transport::Tcp, now, "n3")
        .await
        .unwrap();
    assert!(!online(db, &b).await);
}

#[tokio::test]
async fn nodes_hold_their_devices_on_every_backend() {
    on_every_backend!(nodes_hold_their_devices);
}
