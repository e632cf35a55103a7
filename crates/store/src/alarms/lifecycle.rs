//! Alarms opening and closing, operators acknowledging and clearing them,
//! what an alarm needs to know about its device, and the device's alarm
//! summary (`devices.alarm`, `devices.alarm_level`) that follows its open
//! alarms in the same transaction.

use std::collections::{BTreeSet, HashMap};

use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::DatabaseTransaction;
use sea_orm::sea_query::{Expr, IntoCondition};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};
use serde_json::{Map, Value, json};
use thingstead_core::Time;
use thingstead_core::alarms::{
    Alarm, AlarmChange, AlarmContext, AlarmId, AlarmStatus, Applied, NewAlarm, NewNotification,
    Notification, OpenAlarm, Recipient, RuleId,
};
use thingstead_core::model::ProjectId;
use thingstead_core::project::devices::DeviceId;
use thingstead_core::store::StoreResult;

use super::convert;
use crate::convert::ms;
use crate::entity::{
    alarm, alarm_notification, binding, device, device_attribute, push_channel, user,
};
use crate::{Db, db_err};

/// Notification rows per insert.
const NOTIFICATIONS_PER_STATEMENT: usize = 1000;

/// Stored statuses that count as open: open and acknowledged.
pub(super) const OPEN: [i32; 2] = [1, 2];

/// The open alarms matching `cond`, newest first.
pub(super) async fn open_of(
    conn: &impl ConnectionTrait,
    cond: impl IntoCondition,
) -> StoreResult<Vec<alarm::Model>> {
    alarm::Entity::find()
        .filter(cond)
        .filter(alarm::Column::Status.is_in(OPEN))
        .order_by_desc(alarm::Column::CreatedAt)
        .order_by_desc(alarm::Column::Id)
        .all(conn)
        .await
        .map_err(db_err)
}

/// Moves an alarm to `status`, adding `extra`'s fields to its info.
pub(super) async fn set_status(
    conn: &impl ConnectionTrait,
    a: &alarm::Model,
    status: AlarmStatus,
    extra: &Value,
    at: Time,
) -> StoreResult<alarm::Model> {
    let mut info = match convert::json("alarms.info", &a.info)? {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    if let Value::Object(extra) = extra {
        for (k, v) in extra {
            info.insert(k.clone(), v.clone());
        }
    }
    let info = Value::Object(info).to_string();
    alarm::Entity::update_many()
        .col_expr(alarm::Column::Status, Expr::value(status.code()))
        .col_expr(alarm::Column::Info, Expr::value(info.clone()))
        .col_expr(alarm::Column::UpdatedAt, Expr::value(ms(at)))
        .filter(alarm::Column::Id.eq(a.id))
        .exec(conn)
        .await
        .map_err(db_err)?;
    Ok(alarm::Model {
        status: status.code(),
        info,
        updated_at: ms(at),
        ..a.clone()
    })
}

/// Sets each device's `alarm_level` (the highest level of its open
/// alarms, 0 without) and `alarm` (a summary of them, newest first).
pub(super) async fn refresh_summaries(
    conn: &impl ConnectionTrait,
    devices: impl IntoIterator<Item = DeviceId>,
) -> StoreResult<()> {
    let devices: BTreeSet<DeviceId> = devices.into_iter().collect();
    for d in devices {
        let open = open_of(conn, alarm::Column::DeviceId.eq(d)).await?;
        let level = open.iter().map(|a| a.level).max().unwrap_or(0);
        let summary = if open.is_empty() {
            json!({})
        } else {
            let alarms: Vec<Value> = open
                .iter()
                .map(|a| {
                    let info = convert::json("alarms.info", &a.info).unwrap_or(Value::Null);
                    json!({
                        "id": a.id.to_string(),
                        "rule_id": a.rule_id.to_string(),
                        "level": a.level,
                        "message": info.get("message").cloned().unwrap_or(Value::Null),
                        "create_time": a.created_at,
                    })
                })
                .collect();
            json!({"level": level, "count": open.len(), "alarms": alarms})
        };
        device::Entity::update_many()
            .col_expr(device::Column::AlarmLevel, Expr::value(level))
            .col_expr(device::Column::Alarm, Expr::value(summary.to_string()))
            .filter(device::Column::Id.eq(d))
            .exec(conn)
            .await
            .map_err(db_err)?;
    }
    Ok(())
}

/// Queues `notifications` of an alarm, due at once and held until
/// `hold_until` by the caller, who sends them; returns them.
async fn queue(
    conn: &impl ConnectionTrait,
    project: ProjectId,
    alarm_id: AlarmId,
    notifications: &[NewNotification],
    at: Time,
    hold_until: Time,
) -> StoreResult<Vec<Notification>> {
    let mut queued = Vec::with_capacity(notifications.len());
    if notifications.is_empty() {
        return Ok(queued);
    }
    // Well under PostgreSQL's 65,535 parameters per statement.
    for chunk in notifications.chunks(NOTIFICATIONS_PER_STATEMENT) {
        let rows = chunk.iter().map(|n| alarm_notification::ActiveModel {
            id: NotSet,
            alarm_id: Set(alarm_id),
            project_id: Set(project),
            user_id: Set(n.user_id),
            channel: Set(n.channel.as_str().to_owned()),
            target: Set(n.target.clone()),
            target_kind: Set(n.target_kind.clone()),
            payload: Set(n.payload.to_string()),
            state: Set(super::delivery::PENDING.to_owned()),
            attempts: Set(0),
            due_at: Set(ms(at)),
            held_until: Set(Some(ms(hold_until))),
            created_at: Set(ms(at)),
        });
        let inserted = alarm_notification::Entity::insert_many(rows)
            .exec_with_returning(conn)
            .await
            .map_err(db_err)?;
        for row in inserted {
            queued.push(convert::notification(row)?);
        }
    }
    Ok(queued)
}

/// Opens an alarm within `txn`.
async fn open_in(
    txn: &DatabaseTransaction,
    a: &NewAlarm,
    notifications: &[NewNotification],
    hold_until: Time,
) -> StoreResult<(AlarmId, Vec<Notification>)> {
    let res = alarm::Entity::insert(alarm::ActiveModel {
        id: NotSet,
        project_id: Set(a.project_id),
        device_id: Set(a.device_id),
        rule_id: Set(a.rule_id),
        status: Set(AlarmStatus::Open.code()),
        level: Set(convert::level_code(a.level)),
        info: Set(a.info.to_string()),
        created_at: Set(ms(a.at)),
        updated_at: Set(ms(a.at)),
    })
    .exec(txn)
    .await
    .map_err(db_err)?;
    let id = res.last_insert_id;
    let queued = queue(txn, a.project_id, id, notifications, a.at, hold_until).await?;
    refresh_summaries(txn, [a.device_id]).await?;
    Ok((id, queued))
}

/// Closes the device's open alarm of the rule within `txn`.
async fn close_in(
    txn: &DatabaseTransaction,
    device: DeviceId,
    rule: RuleId,
    status: AlarmStatus,
    at: Time,
    notifications: &[NewNotification],
    hold_until: Time,
) -> StoreResult<Option<(AlarmId, Vec<Notification>)>> {
    let open = open_of(
        txn,
        Condition::all()
            .add(alarm::Column::DeviceId.eq(device))
            .add(alarm::Column::RuleId.eq(rule)),
    )
    .await?;
    let Some(newest) = open.iter().max_by_key(|a| a.id) else {
        return Ok(None);
    };
    let extra = json!({"close_time": ms(at), "closed_by": "recovery"});
    for a in &open {
        set_status(txn, a, status, &extra, at).await?;
    }
    let queued = queue(
        txn,
        newest.project_id,
        newest.id,
        notifications,
        at,
        hold_until,
    )
    .await?;
    refresh_summaries(txn, [device]).await?;
    Ok(Some((newest.id, queued)))
}

impl Db {
    pub(crate) async fn alarm_open_alarms(&self) -> StoreResult<Vec<OpenAlarm>> {
        let rows = alarm::Entity::find()
            .filter(alarm::Column::Status.is_in(OPEN))
            .order_by_asc(alarm::Column::Id)
            .all(self.reader())
            .await
            .map_err(db_err)?;
        Ok(rows.iter().map(convert::open_alarm).collect())
    }

    pub(crate) async fn alarm_device_context(
        &self,
        id: DeviceId,
    ) -> StoreResult<Option<AlarmContext>> {
        let conn = self.reader();
        let Some(d) = device::Entity::find_by_id(id)
            .one(conn)
            .await
            .map_err(db_err)?
        else {
            return Ok(None);
        };
        let mut values = Map::new();
        for a in device_attribute::Entity::find()
            .filter(device_attribute::Column::DeviceId.eq(id))
            .all(conn)
            .await
            .map_err(db_err)?
        {
            let v = convert::json("device_attributes.value", &a.value)?;
            values.insert(a.identifier, v);
        }
        let user_ids: Vec<i64> = binding::Entity::find()
            .filter(binding::Column::DeviceId.eq(id))
            .order_by_desc(binding::Column::Owned)
            .order_by_asc(binding::Column::Id)
            .all(conn)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(|b| b.user_id)
            .collect();
        let mut users: HashMap<i64, user::Model> = user::Entity::find()
            .filter(user::Column::Id.is_in(user_ids.iter().copied()))
            .filter(user::Column::AlarmSwitch.eq(true))
            .all(conn)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(|u| (u.id, u))
            .collect();
        let mut channels: HashMap<i64, Vec<(String, String)>> = HashMap::new();
        if !users.is_empty() {
            for c in push_channel::Entity::find()
                .filter(push_channel::Column::UserId.is_in(users.keys().copied()))
                .order_by_asc(push_channel::Column::Id)
                .all(conn)
                .await
                .map_err(db_err)?
            {
                channels
                    .entry(c.user_id)
                    .or_default()
                    .push((c.channel, c.device_type));
            }
        }
        let recipients = user_ids
            .iter()
            .filter_map(|uid| users.remove(uid))
            .map(|u| Recipient {
                user_id: u.id,
                push_channels: channels.remove(&u.id).unwrap_or_default(),
                phone: u.phone,
                country_code: u.country_code,
                email: u.email,
            })
            .collect();
        Ok(Some(AlarmContext {
            device_name: d.name,
            values,
            recipients,
        }))
    }

    pub(crate) async fn alarm_open(
        &self,
        a: &NewAlarm,
        notifications: &[NewNotification],
        hold_until: Time,
    ) -> StoreResult<(AlarmId, Vec<Notification>)> {
        let txn = self.begin().await?;
        let done = open_in(&txn, a, notifications, hold_until).await?;
        txn.commit().await.map_err(db_err)?;
        Ok(done)
    }

    /// Every change in order, in one transaction.
    pub(crate) async fn alarm_apply(
        &self,
        changes: &[AlarmChange],
        hold_until: Time,
    ) -> StoreResult<Vec<Applied>> {
        let txn = self.begin().await?;
        let mut applied = Vec::with_capacity(changes.len());
        for change in changes {
            applied.push(match change {
                AlarmChange::Open {
                    alarm,
                    notifications,
                } => {
                    let (id, queued) = open_in(&txn, alarm, notifications, hold_until).await?;
                    Applied {
                        alarm_id: Some(id),
                        queued,
                    }
                }
                AlarmChange::Close {
                    device,
                    rule,
                    status,
                    at,
                    notifications,
                } => {
                    match close_in(
                        &txn,
                        *device,
                        *rule,
                        *status,
                        *at,
                        notifications,
                        hold_until,
                    )
                    .await?
                    {
                        Some((id, queued)) => Applied {
                            alarm_id: Some(id),
                            queued,
                        },
                        None => Applied {
                            alarm_id: None,
                            queued: Vec::new(),
                        },
                    }
                }
            });
        }
        txn.commit().await.map_err(db_err)?;
        Ok(applied)
    }

    pub(crate) async fn alarm_close(
        &self,
        device: DeviceId,
        rule: RuleId,
        status: AlarmStatus,
        at: Time,
        notifications: &[NewNotification],
        hold_until: Time,
    ) -> StoreResult<Option<(AlarmId, Vec<Notification>)>> {
        let txn = self.begin().await?;
        let done = close_in(&txn, device, rule, status, at, notifications, hold_until).await?;
        txn.commit().await.map_err(db_err)?;
        Ok(done)
    }

    pub(crate) async fn alarm_set_status(
        &self,
        project: ProjectId,
        id: AlarmId,
        status: AlarmStatus,
        at: Time,
    ) -> StoreResult<Option<Alarm>> {
        let txn = self.begin().await?;
        let Some((row, d)) = alarm::Entity::find_by_id(id)
            .filter(alarm::Column::ProjectId.eq(project))
            .find_also_related(device::Entity)
            .one(&txn)
            .await
            .map_err(db_err)?
        else {
            return Ok(None);
        };
        let name = d.map(|d| d.name).unwrap_or_default();
        let open = OPEN.contains(&row.status);
        let row = match status {
            AlarmStatus::Acknowledged if open => {
                let extra = json!({"ack_time": ms(at)});
                set_status(&txn, &row, status, &extra, at).await?
            }
            AlarmStatus::Recovered | AlarmStatus::Cleared if open => {
                let extra = json!({"close_time": ms(at), "closed_by": "operator"});
                let row = set_status(&txn, &row, status, &extra, at).await?;
                refresh_summaries(&txn, [row.device_id]).await?;
                row
            }
            _ => row,
        };
        let mut alarms = super::logs::with_logs(&txn, vec![(row, name)]).await?;
        txn.commit().await.map_err(db_err)?;
        Ok(alarms.pop())
    }

    pub(crate) async fn alarm_device_exists(
        &self,
        project: ProjectId,
        id: DeviceId,
    ) -> StoreResult<bool> {
        let n = device::Entity::find_by_id(id)
            .filter(device::Column::ProjectId.eq(project))
            .count(self.reader())
            .await
            .map_err(db_err)?;
        Ok(n > 0)
    }
}
