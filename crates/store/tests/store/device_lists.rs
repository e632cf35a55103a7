//! Device lists read by marks, and device inserts arriving together.

use thingstead_core::project::devices::*;
use thingstead_core::store::*;
use thingstead_store::Db;

use super::devices::{new_device, new_group, new_type};
use super::*;

async fn marks_pages_and_grouped_inserts(db: &Db) {
    let p = project(db).await;
    let lamp = db
        .insert_device_type(new_type(p, "Lamp", false))
        .await
        .unwrap();
    let all = DeviceFilter::default();
    assert_eq!(
        db.device_marks(p, all, 3).await.unwrap(),
        DeviceMarks {
            total: 0,
            stride: 3,
            ids: vec![]
        }
    );
    // Inserts arriving together: each gets its own answer.
    let default = || TypeChoice::Default(Box::new(new_type(p, "Default type", true)));
    let answers = futures_join(
        db,
        (0..40).map(|i| match i % 10 {
            // The key of the one before.
            9 => (new_device(p, &format!("k{}", i - 1)), default()),
            // A type that is not the project's.
            7 => (
                new_device(p, &format!("k{i}")),
                TypeChoice::Given(lamp.id + 999),
            ),
            3 => (new_device(p, &format!("k{i}")), TypeChoice::Given(lamp.id)),
            _ => (new_device(p, &format!("k{i}")), default()),
        }),
    )
    .await;
    let (mut created, mut members, mut member_lamps) = (Vec::new(), Vec::new(), Vec::new());
    let mut conflicts = 0;
    for (i, answer) in answers.into_iter().enumerate() {
        // Of two devices with one key, either may come first.
        if i % 10 == 8 || i % 10 == 9 {
            match answer {
                Ok(Some(d)) => created.push(d.id),
                other => {
                    assert!(is_conflict(other, "device_key"), "{i}");
                    conflicts += 1;
                }
            }
            continue;
        }
        match i % 10 {
            7 => assert!(answer.unwrap().is_none(), "{i}"),
            _ => {
                let d = answer.unwrap().unwrap();
                assert_eq!(d.device_key, format!("k{i}"));
                assert_eq!(d.type_id == Some(lamp.id), i % 10 == 3, "{i}");
                created.push(d.id);
                if i % 10 == 0 || i % 10 == 3 {
                    members.push(d.id);
                }
                if i % 10 == 3 {
                    member_lamps.push(d.id);
                }
            }
        }
    }
    assert_eq!(conflicts, 4);
    created.sort();
    members.sort();
    member_lamps.sort();
    assert_eq!(created.len(), 32);
    assert_eq!(db.device_types(p).await.unwrap().len(), 2);

    for stride in [1, 3, 32, 100] {
        let marks = db.device_marks(p, all, stride).await.unwrap();
        assert_eq!(marks.total, 32, "stride {stride}");
        let expected: Vec<i64> = created.iter().step_by(stride as usize).copied().collect();
        assert_eq!(marks.ids, expected, "stride {stride}");
    }
    // From a mark, skipping some: the ids after it, in order.
    let page = db.devices_from(p, all, created[3], 2, 5).await.unwrap();
    let ids: Vec<i64> = page.iter().map(|d| d.device.id).collect();
    assert_eq!(ids, created[5..10]);
    let tail = db.devices_from(p, all, created[30], 1, 5).await.unwrap();
    assert_eq!(tail.len(), 1);

    let lamps = DeviceFilter {
        type_id: Some(lamp.id),
        group_id: None,
    };
    let marks = db.device_marks(p, lamps, 2).await.unwrap();
    assert_eq!((marks.total, marks.ids.len()), (4, 2));
    let g = db
        .insert_device_group(new_group(p, None, "g"))
        .await
        .unwrap();
    for id in &members {
        db.set_device_groups(p, *id, &[g.id]).await.unwrap();
    }
    let in_g = DeviceFilter {
        type_id: None,
        group_id: Some(g.id),
    };
    let marks = db.device_marks(p, in_g, 3).await.unwrap();
    assert_eq!(marks.total, 8);
    assert_eq!(marks.ids, vec![members[0], members[3], members[6]]);
    let page = db.devices_from(p, in_g, members[3], 1, 3).await.unwrap();
    let ids: Vec<i64> = page.iter().map(|d| d.device.id).collect();
    assert_eq!(ids, members[4..7]);
    let lamps_in_g = DeviceFilter {
        type_id: Some(lamp.id),
        group_id: Some(g.id),
    };
    let marks = db.device_marks(p, lamps_in_g, 3).await.unwrap();
    assert_eq!(marks.total, 4);
    assert_eq!(marks.ids, vec![member_lamps[0], member_lamps[3]]);
    let page = db
        .devices_from(p, lamps_in_g, marks.ids[0], 1, 20)
        .await
        .unwrap();
    let ids: Vec<i64> = page.iter().map(|d| d.device.id).collect();
    assert_eq!(ids, member_lamps[1..]);
}

/// Runs the inserts at once and answers in their order.
async fn futures_join(
    db: &Db,
    inserts: impl Iterator<Item = (NewDevice, TypeChoice)>,
) -> Vec<StoreResult<Option<Device>>> {
    let tasks: Vec<_> = inserts
        .map(|(new, choice)| {
            let db = db.clone();
            tokio::spawn(async move { db.insert_device(new, choice).await })
        })
        .collect();
    let mut answers = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    answers
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn device_lists_and_inserts_together() {
    on_every_backend!(marks_pages_and_grouped_inserts);
}
