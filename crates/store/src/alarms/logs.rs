//! Alarm logs: a page of a project's (or a device's) alarms with the
//! delivery attempts of their notifications.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use thingstead_core::alarms::{Alarm, AlarmQuery, NotifyLog};
use thingstead_core::store::StoreResult;

use super::convert;
use crate::convert::ms;
use crate::entity::{alarm, alarm_notification, alarm_notify_attempt, device};
use crate::{Db, db_err};

/// The alarms (each with its device's name) with their attempts, oldest
/// attempt first: one query for all of them.
pub(super) async fn with_logs(
    conn: &impl ConnectionTrait,
    rows: Vec<(alarm::Model, String)>,
) -> StoreResult<Vec<Alarm>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let attempts = alarm_notify_attempt::Entity::find()
        .filter(alarm_notify_attempt::Column::AlarmId.is_in(rows.iter().map(|(a, _)| a.id)))
        .find_also_related(alarm_notification::Entity)
        .order_by_asc(alarm_notify_attempt::Column::At)
        .order_by_asc(alarm_notify_attempt::Column::Id)
        .all(conn)
        .await
        .map_err(db_err)?;
    let mut logs: HashMap<i64, Vec<NotifyLog>> = HashMap::new();
    for (a, n) in attempts {
        // The notification goes only with its alarm, and so with its attempts.
        let Some(n) = n else { continue };
        let alarm_id = a.alarm_id;
        logs.entry(alarm_id)
            .or_default()
            .push(convert::notify_log(a, &n)?);
    }
    rows.into_iter()
        .map(|(a, name)| {
            let l = logs.remove(&a.id).unwrap_or_default();
            convert::alarm(a, name, l)
        })
        .collect()
}

impl Db {
    pub(crate) async fn alarm_logs_page(&self, q: &AlarmQuery) -> StoreResult<Vec<Alarm>> {
        use alarm::Column as C;
        let mut find = alarm::Entity::find()
            .filter(C::ProjectId.eq(q.project_id))
            .filter(C::CreatedAt.gte(ms(q.start)))
            .filter(C::CreatedAt.lte(ms(q.end)));
        if let Some(d) = q.device_id {
            find = find.filter(C::DeviceId.eq(d));
        }
        // Databases take offsets as signed 64-bit numbers.
        let offset = Ord::min(q.offset, i64::MAX as u64);
        let limit = Ord::min(q.limit, i64::MAX as u64);
        let rows = find
            .find_also_related(device::Entity)
            .order_by_desc(C::CreatedAt)
            .order_by_desc(C::Id)
            .offset(offset)
            .limit(limit)
            .all(self.reader())
            .await
            .map_err(db_err)?;
        let rows = rows
            .into_iter()
            .map(|(a, d)| (a, d.map(|d| d.name).unwrap_or_default()))
            .collect();
        with_logs(self.reader(), rows).await
    }
}
