//! The Telemetry service's control calls (push, commands, data set),
//! presence and certificates over the real store and the in-process bus.

use std::time::Duration;

use bytes::Bytes;
use serde_json::json;
use thingstead_core::DomainError;
use thingstead_core::project::customers::CustomerStore;
use thingstead_core::telemetry::*;
use thingstead_devices::LocalBus;
use thingstead_devices::bus::Link;

use super::service::{attrs, invalid_field, not_found, service};
use super::*;

async fn is_online(db: &Db, d: &Device) -> bool {
    db.device(d.project_id, d.id)
        .await
        .unwrap()
        .unwrap()
        .view
        .device
        .online
}

async fn control(db: &Db) {
    let p = project(db).await;
    let key = project_key(db).await;
    let lamp = db.insert_device_type(new_type(p, "Lamp")).await.unwrap();
    let a = device(db, p, lamp.id, "a").await;
    let bus = LocalBus::new();
    let tel = service(db, &bus).await;
    let id = a.id.to_string();
    let dev = tel
        .authenticate(&a.access_token, &key)
        .await
        .unwrap()
        .unwrap();
    let wait = Duration::from_secs(5);

    // Offline: said so, nothing queued.
    let cmd = json!({"method": "reboot", "params": {}});
    assert_eq!(
        tel.command(p, &id, cmd.clone(), wait).await.unwrap(),
        CommandOutcome::Offline
    );
    assert_eq!(
        tel.push_attributes(p, &id, attrs(json!({"led": true})))
            .await
            .unwrap(),
        Delivery::Offline
    );
    let data = Bytes::from_static(b"\x01\x03");
    assert_eq!(
        tel.send_data(p, &id, "stream", PushMode::Mqtt, data.clone())
            .await
            .unwrap(),
        Delivery::Offline
    );
    // Cloud attributes are kept for the next connection.
    tel.set_cloud_attributes(p, &id, attrs(json!({"target": 20})))
        .await
        .unwrap();
    assert_eq!(
        invalid_field(
            tel.set_cloud_attributes(p, &id, attrs(json!({"target": "x"})))
                .await
        ),
        "attributes"
    );
    assert_eq!(
        not_found(
            tel.set_cloud_attributes(p + 1000, &id, attrs(json!({"x": 1})))
                .await
        ),
        "device"
    );

    // Connected: presence, and the cloud attributes to push.
    let mut conn = bus.register(a.id, Link::Mqtt);
    let mut tcp = bus.register(a.id, Link::Tcp);
    let cloud = tel.connected(&dev, Transport::Mqtt).await.unwrap();
    assert_eq!(cloud, attrs(json!({"target": 20})));
    assert!(is_online(db, &a).await);
    let active = db
        .device(p, a.id)
        .await
        .unwrap()
        .unwrap()
        .view
        .device
        .active;
    assert!(active["connect"].is_i64());

    assert_eq!(
        tel.push_attributes(p, &id, attrs(json!({"led": true})))
            .await
            .unwrap(),
        Delivery::Sent
    );
    assert_eq!(
        *conn.downlinks.recv().await.unwrap(),
        Downlink::AttributesPush(attrs(json!({"led": true})))
    );
    assert_eq!(
        invalid_field(tel.push_attributes(p, &id, attrs(json!({"a-b": 1}))).await),
        "attributes"
    );
    tel.set_cloud_attributes(p, &id, attrs(json!({"target": 22})))
        .await
        .unwrap();
    assert_eq!(
        *conn.downlinks.recv().await.unwrap(),
        Downlink::AttributesPush(attrs(json!({"target": 22})))
    );
    assert_eq!(
        tel.send_data(p, &id, "stream", PushMode::Tcp, data.clone())
            .await
            .unwrap(),
        Delivery::Sent
    );
    assert_eq!(
        *tcp.downlinks.recv().await.unwrap(),
        Downlink::Data {
            identifier: "stream".into(),
            payload: data,
            mode: PushMode::Tcp
        }
    );
    assert_eq!(
        invalid_field(
            tel.send_data(p, &id, "a/b", PushMode::Mqtt, Bytes::new())
                .await
        ),
        "identifier"
    );

    // A command round trip: the device answers through `report`.
    let device_side = {
        let (tel, dev) = (tel.clone(), dev.clone());
        tokio::spawn(async move {
            let mut ids = Vec::new();
            for _ in 0..2 {
                let Some(msg) = conn.downlinks.recv().await else {
                    panic!("expected a command");
                };
                let Downlink::Command { id, body } = *msg else {
                    panic!("expected a command");
                };
                assert_eq!(body["method"], json!("reboot"));
                assert_eq!(body["id"].to_string(), id);
                let reply = ReportBody::CommandReply {
                    id: id.clone(),
                    method: "reboot".into(),
                    params: json!({"done": true}),
                };
                tel.report(&dev, reply, true).await.unwrap();
                ids.push(id);
            }
            (conn, ids)
        })
    };
    let outcome = tel.command(p, &id, cmd.clone(), wait).await.unwrap();
    assert_eq!(
        outcome,
        CommandOutcome::Replied(json!({"method": "reboot", "params": {"done": true}}))
    );
    let given = json!({"method": "reboot", "params": {}, "id": 42});
    assert!(matches!(
        tel.command(p, &id, given, wait).await.unwrap(),
        CommandOutcome::Replied(_)
    ));
    let (conn, ids) = device_side.await.unwrap();
    assert_eq!(ids[1], "42");
    assert_eq!(ids[0].len(), 9);
    let active = db
        .device(p, a.id)
        .await
        .unwrap()
        .unwrap()
        .view
        .device
        .active;
    assert!(active["command_reply"].is_i64());
    for (body, field) in [
        (json!({"params": {}}), "method"),
        (json!({"method": ""}), "method"),
        (json!([1]), "method"),
        (json!({"method": "m", "id": -1}), "id"),
        (json!({"method": "m", "id": "a/b"}), "id"),
    ] {
        assert_eq!(invalid_field(tel.command(p, &id, body, wait).await), field);
    }

    // A second connection takes over: the first one's end changes nothing.
    bus.unregister(a.id, tcp.generation);
    let second = bus.register(a.id, Link::Mqtt);
    bus.unregister(a.id, conn.generation);
    tel.disconnected(&dev, Transport::Mqtt).await.unwrap();
    assert!(is_online(db, &a).await);
    bus.unregister(a.id, second.generation);
    tel.disconnected(&dev, Transport::Mqtt).await.unwrap();
    assert!(!is_online(db, &a).await);
    assert_eq!(
        tel.command(p, &id, cmd, wait).await.unwrap(),
        CommandOutcome::Offline
    );
    // Reads by the device itself.
    let all = tel.attributes_for_device(&dev, None).await.unwrap();
    assert_eq!(all, attrs(json!({"target": 22})));
    let some = tel
        .attributes_for_device(&dev, Some(&["nope".into()]))
        .await
        .unwrap();
    assert!(some.is_empty());
    tel.close().await;
}

#[tokio::test]
async fn control_on_every_backend() {
    on_every_backend!(control);
}

fn new_user(project: ProjectId) -> NewUser {
    NewUser {
        project_id: project,
        account_no: format!("YH{}", unique_name()),
        username: None,
        phone: Some("13800000000".into()),
        country_code: "86".into(),
        email: None,
        nickname: "someone".into(),
        password_hash: None,
        created_at: t(1),
        descr: String::new(),
        tags: Default::default(),
        role_id: None,
        locale: DEFAULT_LOCALE.into(),
    }
}

async fn certificates(db: &Db) {
    let p = project(db).await;
    let key = project_key(db).await;
    let lamp = db.insert_device_type(new_type(p, "Lamp")).await.unwrap();
    let bus = LocalBus::new();
    let tel = service(db, &bus).await;

    let cert = tel
        .issue_certificate(&key, "sensor-1", None, None)
        .await
        .unwrap();
    assert_eq!(
        (cert.name.as_str(), cert.project_key.as_str()),
        ("sensor-1", key.as_str())
    );
    let detail = db.device(p, cert.device_id).await.unwrap().unwrap();
    let default_type = db
        .device_type(p, detail.view.device.type_id.unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(default_type.is_default);
    // The same device again, whatever type is asked.
    let again = tel
        .issue_certificate(&key, "sensor-1", Some(&lamp.type_key), None)
        .await
        .unwrap();
    assert_eq!(again, cert);
    assert!(
        tel.authenticate(&cert.access_token, &key)
            .await
            .unwrap()
            .is_some()
    );

    let typed = tel
        .issue_certificate(&key, "lamp-1", Some(&lamp.type_key), Some(""))
        .await
        .unwrap();
    let detail = db.device(p, typed.device_id).await.unwrap().unwrap();
    assert_eq!(detail.view.device.type_id, Some(lamp.id));

    for wrong in ["", "nope", &format!("{key}x")] {
        assert!(matches!(
            tel.issue_certificate(wrong, "x", None, None).await,
            Err(DomainError::Unauthenticated)
        ));
    }
    assert_eq!(
        not_found(tel.issue_certificate(&key, "x", Some("nope"), None).await),
        "type_key"
    );
    assert_eq!(
        invalid_field(tel.issue_certificate(&key, " ", None, None).await),
        "device_key"
    );

    // Given to a customer on creation; an unknown customer creates nothing.
    let user = db.insert_user(new_user(p)).await.unwrap();
    let owned = tel
        .issue_certificate(&key, "owned-1", None, Some(&user.id.to_string()))
        .await
        .unwrap();
    let users = db.device_customers(p, owned.device_id).await.unwrap();
    assert_eq!(
        users.iter().map(|u| u.id).collect::<Vec<_>>(),
        vec![user.id]
    );
    let missing = (user.id + 1000).to_string();
    assert_eq!(
        not_found(
            tel.issue_certificate(&key, "owned-2", None, Some(&missing))
                .await
        ),
        "customer"
    );
    assert_eq!(
        not_found(
            tel.issue_certificate(&key, "owned-2", None, Some("abc"))
                .await
        ),
        "customer"
    );
    assert!(db.device_by_key(p, "owned-2").await.unwrap().is_none());
    tel.close().await;
}

#[tokio::test]
async fn certificates_on_every_backend() {
    on_every_backend!(certificates);
}
