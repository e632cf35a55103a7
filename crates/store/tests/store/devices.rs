//! Device types, groups, devices and extend-info values.

use serde_json::json;
use thingstead_core::project::Tags;
use thingstead_core::project::devices::*;
use thingstead_core::store::*;
use thingstead_store::Db;

use super::*;

pub(super) fn new_type(project: ProjectId, name: &str, is_default: bool) -> NewDeviceType {
    NewDeviceType {
        project_id: project,
        name: name.into(),
        descr: String::new(),
        tags: Tags::from([("k".to_owned(), "v".to_owned())]),
        conn_type: "mqtt".into(),
        conn_protocol: "thingscloud".into(),
        type_key: format!("tk{}", unique_name()),
        is_gateway: false,
        allow_share: true,
        is_default,
        created_at: t(0),
        infos: vec![NewInfoDef {
            project_id: project,
            type_id: 0,
            info_type: "location".into(),
            name: "Location".into(),
            descr: String::new(),
            enabled: true,
            options: json!({}),
            is_standard: true,
            created_at: t(0),
        }],
    }
}

pub(super) fn new_device(project: ProjectId, key: &str) -> NewDevice {
    NewDevice {
        project_id: project,
        name: format!("device {key}"),
        descr: String::new(),
        device_key: key.into(),
        tags: Tags::new(),
        access_token: format!("at{}", unique_name()),
        view_token: "view".into(),
        device_code: "0123456789".into(),
        created_at: t(5),
    }
}

pub(super) fn new_group(project: ProjectId, parent: Option<GroupId>, name: &str) -> NewDeviceGroup {
    NewDeviceGroup {
        project_id: project,
        parent_id: parent,
        name: name.into(),
        descr: String::new(),
        tags: Tags::new(),
        created_at: t(1),
    }
}

/// A page read the way the service reads one: from the mark before it,
/// with a mark every two devices.
async fn page(
    db: &Db,
    p: ProjectId,
    filter: DeviceFilter,
    offset: u64,
    limit: u64,
) -> (u64, Vec<DeviceView>) {
    let marks = db.device_marks(p, filter, 2).await.unwrap();
    assert_eq!(marks.ids.len() as u64, marks.total.div_ceil(2));
    let items = match marks.ids.get((offset / 2) as usize) {
        Some(&from) => db
            .devices_from(p, filter, from, offset % 2, limit)
            .await
            .unwrap(),
        None => Vec::new(),
    };
    (marks.total, items)
}

async fn types_and_devices(db: &Db) {
    let p = project(db).await;
    let other = p + 1000;
    let lamp = db
        .insert_device_type(new_type(p, "Lamp", false))
        .await
        .unwrap();
    assert_eq!(lamp.tags.get("k").map(String::as_str), Some("v"));
    assert!(db.device_type(other, lamp.id).await.unwrap().is_none());

    let a = db
        .insert_device(new_device(p, "a"), TypeChoice::Given(lamp.id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(a.active, json!({}));
    assert!(!a.online);
    assert_eq!(a.created_at, t(5));
    assert!(
        db.insert_device(new_device(other, "x"), TypeChoice::Given(lamp.id))
            .await
            .unwrap()
            .is_none()
    );
    assert!(is_conflict(
        db.insert_device(new_device(p, "a"), TypeChoice::Given(lamp.id))
            .await,
        "device_key"
    ));
    // A duplicate key leaves no default type behind.
    let default = || TypeChoice::Default(Box::new(new_type(p, "Default type", true)));
    assert!(is_conflict(
        db.insert_device(new_device(p, "a"), default()).await,
        "device_key"
    ));
    assert_eq!(db.device_types(p).await.unwrap().len(), 1);
    let b = db
        .insert_device(new_device(p, "b"), default())
        .await
        .unwrap()
        .unwrap();
    let d1 = db
        .device_type(p, b.type_id.unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(d1.is_default);
    assert_eq!(db.type_infos(p, d1.id).await.unwrap().len(), 1);
    let again = db
        .insert_device(new_device(p, "b2"), default())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.type_id, Some(d1.id));
    assert!(db.delete_device(p, again.id).await.unwrap());
    db.insert_device(new_device(p, "c"), TypeChoice::Given(lamp.id))
        .await
        .unwrap()
        .unwrap();

    let types = db.device_types(p).await.unwrap();
    let counts: Vec<(String, u64)> = types
        .iter()
        .map(|t| (t.device_type.name.clone(), t.device_count))
        .collect();
    assert_eq!(counts, vec![("Lamp".into(), 2), ("Default type".into(), 1)]);

    let (total, first) = page(db, p, DeviceFilter::default(), 0, 2).await;
    assert_eq!((total, first.len()), (3, 2));
    assert_eq!(first[0].device.device_key, "a");
    assert_eq!(first[0].type_info.as_ref().unwrap().name, "Lamp");
    let (_, last) = page(db, p, DeviceFilter::default(), 2, 2).await;
    assert_eq!(last.len(), 1);
    let (_, past) = page(db, p, DeviceFilter::default(), 4, 2).await;
    assert!(past.is_empty());
    let lamps = DeviceFilter {
        type_id: Some(lamp.id),
        group_id: None,
    };
    assert_eq!(page(db, p, lamps, 0, 20).await.0, 2);
    assert_eq!(page(db, other, DeviceFilter::default(), 0, 20).await.0, 0);

    assert_eq!(
        db.delete_device_type(p, lamp.id).await.unwrap(),
        Deletion::InUse
    );
    assert_eq!(
        db.delete_device_type(other, lamp.id).await.unwrap(),
        Deletion::NotFound
    );
    let update = DeviceInfoUpdate {
        device_key: Some("b".into()),
        ..Default::default()
    };
    assert!(is_conflict(
        db.update_device_info(p, a.id, &update).await,
        "device_key"
    ));
    let update = DeviceInfoUpdate {
        name: Some("renamed".into()),
        ..Default::default()
    };
    assert!(db.update_device_info(p, a.id, &update).await.unwrap());
    assert!(!db.update_device_info(other, a.id, &update).await.unwrap());

    let cert = db.device_certificate(p, a.id).await.unwrap().unwrap();
    assert_eq!(cert.name, "renamed");
    assert!(db.default_project().await.unwrap().unwrap().project_key == cert.project_key);
    assert!(
        db.set_device_access_token(p, a.id, "new-token")
            .await
            .unwrap()
    );
    assert_eq!(
        db.device_certificate(p, a.id)
            .await
            .unwrap()
            .unwrap()
            .access_token,
        "new-token"
    );
    assert!(db.device_certificate(other, a.id).await.unwrap().is_none());

    for d in page(db, p, lamps, 0, 20).await.1 {
        assert!(db.delete_device(p, d.device.id).await.unwrap());
    }
    assert!(!db.delete_device(p, a.id).await.unwrap());
    assert_eq!(
        db.delete_device_type(p, lamp.id).await.unwrap(),
        Deletion::Deleted
    );
}

#[tokio::test]
async fn device_types_and_devices() {
    on_every_backend!(types_and_devices);
}

async fn groups_tags_and_infos(db: &Db) {
    let p = project(db).await;
    let other = p + 1000;
    let ty = db
        .insert_device_type(new_type(p, "Lamp", false))
        .await
        .unwrap();
    let dev = db
        .insert_device(new_device(p, "a"), TypeChoice::Given(ty.id))
        .await
        .unwrap()
        .unwrap();
    let top = db
        .insert_device_group(new_group(p, None, "top"))
        .await
        .unwrap();
    let sub = db
        .insert_device_group(new_group(p, Some(top.id), "sub"))
        .await
        .unwrap();
    assert_eq!(db.device_groups(p).await.unwrap().len(), 2);
    assert!(db.device_group(other, top.id).await.unwrap().is_none());

    assert_eq!(
        db.set_device_groups(p, dev.id, &[top.id, sub.id])
            .await
            .unwrap(),
        GroupsEdit::Done
    );
    assert_eq!(
        db.set_device_groups(p, dev.id, &[top.id, sub.id + 99])
            .await
            .unwrap(),
        GroupsEdit::GroupNotFound
    );
    assert_eq!(
        db.set_device_groups(other, dev.id, &[]).await.unwrap(),
        GroupsEdit::DeviceNotFound
    );
    let detail = db.device(p, dev.id).await.unwrap().unwrap();
    assert_eq!(detail.groups, vec![top.id, sub.id]);
    let in_sub = DeviceFilter {
        type_id: None,
        group_id: Some(sub.id),
    };
    let (n, items) = page(db, p, in_sub, 0, 20).await;
    assert_eq!((n, items[0].device.id), (1, dev.id));

    assert_eq!(
        db.delete_device_group(p, top.id).await.unwrap(),
        Deletion::InUse
    );
    assert_eq!(
        db.delete_device_group(p, sub.id).await.unwrap(),
        Deletion::Deleted
    );
    assert_eq!(
        db.device(p, dev.id).await.unwrap().unwrap().groups,
        vec![top.id]
    );
    let moved = GroupUpdate {
        parent: Some(None),
        name: Some("renamed".into()),
        ..Default::default()
    };
    assert!(db.update_device_group(p, top.id, &moved).await.unwrap());
    assert!(!db.update_device_group(other, top.id, &moved).await.unwrap());

    let set = Tags::from([
        ("a".to_owned(), "1".to_owned()),
        ("b".to_owned(), "2".to_owned()),
    ]);
    assert_eq!(
        db.edit_device_tags(p, dev.id, &set, &[], 50).await.unwrap(),
        TagsEdit::Done
    );
    assert_eq!(
        db.edit_device_tags(p, dev.id, &Tags::new(), &["a".to_owned()], 50)
            .await
            .unwrap(),
        TagsEdit::Done
    );
    let more = Tags::from([("c".to_owned(), "3".to_owned())]);
    assert_eq!(
        db.edit_device_tags(p, dev.id, &more, &[], 1).await.unwrap(),
        TagsEdit::TooMany
    );
    assert_eq!(
        db.edit_device_tags(other, dev.id, &more, &[], 9)
            .await
            .unwrap(),
        TagsEdit::NotFound
    );
    let tags = db
        .device(p, dev.id)
        .await
        .unwrap()
        .unwrap()
        .view
        .device
        .tags;
    assert_eq!(tags, Tags::from([("b".to_owned(), "2".to_owned())]));

    let def = db
        .insert_type_info(NewInfoDef {
            project_id: p,
            type_id: ty.id,
            info_type: "number".into(),
            name: "Floor".into(),
            descr: String::new(),
            enabled: true,
            options: json!({"unit": "m"}),
            is_standard: false,
            created_at: t(2),
        })
        .await
        .unwrap();
    let defs = db.type_infos(p, ty.id).await.unwrap();
    assert!(defs[0].is_standard && defs[1].id == def.id);
    db.set_device_info_values(dev.id, &[(def.id, json!(3))], t(3))
        .await
        .unwrap();
    db.set_device_info_values(dev.id, &[(def.id, json!(4))], t(4))
        .await
        .unwrap();
    let values = db.device_info_values(dev.id).await.unwrap();
    assert_eq!(
        (values[0].value.clone(), values[0].updated_at),
        (json!(4), t(4))
    );
    db.set_device_standard_info(dev.id, "location", &json!({"lng": 1, "lat": 2}), t(5))
        .await
        .unwrap();
    db.set_device_standard_info(dev.id, "location", &json!({"lng": 3, "lat": 4}), t(6))
        .await
        .unwrap();
    assert_eq!(
        db.device_standard_infos(dev.id).await.unwrap()[0].value,
        json!({"lng": 3, "lat": 4})
    );
    assert!(!db.delete_type_info(other, ty.id, def.id).await.unwrap());
    assert!(db.delete_type_info(p, ty.id, def.id).await.unwrap());
    assert!(db.device_info_values(dev.id).await.unwrap().is_empty());

    let stats = db.device_stats(p).await.unwrap();
    assert_eq!(
        stats,
        DeviceStats {
            total: 1,
            ..Default::default()
        }
    );
    assert_eq!(
        db.device_stats(other).await.unwrap(),
        DeviceStats::default()
    );
    assert!(db.delete_device(p, dev.id).await.unwrap());
    assert!(db.device_standard_infos(dev.id).await.unwrap().is_empty());
}

#[tokio::test]
async fn groups_tags_and_extend_infos() {
    on_every_backend!(groups_tags_and_infos);
}
