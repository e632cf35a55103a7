//! Writing device data in bulk: the ingest batch in one transaction, and
//! the multi-row statements it and the cloud attributes share.
//!
//! Every statement takes many rows: current values are upserted
//! (`ON CONFLICT … DO UPDATE`, each key once per statement), history and
//! logs appended, learned models inserted unless present. Statements are
//! cut so that their bound parameters stay under SQLite's limit.

use std::collections::{BTreeMap, HashMap};

use sea_orm::sea_query::{CaseStatement, Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Statement,
};
use serde_json::{Map, Value};
use thingstead_core::StoreError;
use thingstead_core::project::devices::{DeviceId, DeviceTypeId};
use thingstead_core::store::StoreResult;
use thingstead_core::telemetry::{AttrType, Attributes, DataType, Report, ReportBody};

use crate::convert::ms;
use crate::entity::{
    attribute_model, device, device_attribute, device_command, device_data, device_event,
};
use crate::{Db, db_err};

/// Bound parameters per statement: SQLite allows 32,766, PostgreSQL 65,535.
const MAX_PARAMS: usize = 30_000;
/// Rows per statement, whatever their width: larger statements cost more to
/// prepare than they save.
const MAX_ROWS: usize = 1_000;
/// History rows per JSON statement.
const HISTORY_ROWS_PER_STATEMENT: usize = 8_192;
/// History rows from a JSON array of `[device, identifier, ts, value, type]`.
const HISTORY_FROM_JSON_SQLITE: &str = "INSERT INTO device_attribute_history \
     (device_id, identifier, ts, value, data_type) \
     SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4 FROM json_each(?)";
const HISTORY_FROM_JSON_POSTGRES: &str = "INSERT INTO device_attribute_history \
     (device_id, identifier, ts, value, data_type) \
     SELECT (e ->> 0)::bigint, e ->> 1, (e ->> 2)::bigint, e ->> 3, e ->> 4 \
     FROM json_array_elements($1::json) AS e";
/// Devices whose `active` one `UPDATE … CASE` sets.
const ACTIVE_PER_STATEMENT: usize = 100;

fn sql_err(e: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(e.to_string())
}

/// Rows of a table with `cols` columns that one statement takes.
fn rows_per_statement(cols: usize) -> usize {
    (MAX_PARAMS / cols).min(MAX_ROWS)
}

/// One attribute value to write: a history row, and maybe the current one.
pub(super) struct AttrValue<'a> {
    pub device: DeviceId,
    pub identifier: &'a str,
    pub ts: i64,
    /// JSON text.
    pub value: String,
    pub data_type: DataType,
}

/// Attribute values of a batch: every value for the history, the latest of
/// each device and identifier for the current values, and the
/// (type, identifier) pairs seen, with their first type.
#[derive(Default)]
pub(super) struct AttributeRows<'a> {
    pub values: Vec<AttrValue<'a>>,
    /// Index into `values` of the latest value, and who wrote it.
    pub current: HashMap<(DeviceId, &'a str), (usize, AttrType)>,
    pub models: BTreeMap<(DeviceTypeId, &'a str), (DataType, AttrType)>,
}

impl<'a> AttributeRows<'a> {
    /// Adds the values of one report or cloud write.
    pub fn add(
        &mut self,
        device: DeviceId,
        type_id: Option<DeviceTypeId>,
        attrs: &'a Attributes,
        ts: i64,
        attr_type: AttrType,
    ) {
        for (identifier, value) in attrs {
            // Validated before: no nulls. Skipped rather than stored typeless.
            let Some(data_type) = DataType::of(value) else {
                continue;
            };
            let index = self.values.len();
            self.values.push(AttrValue {
                device,
                identifier,
                ts,
                value: value.to_string(),
                data_type,
            });
            self.current
                .insert((device, identifier.as_str()), (index, attr_type));
            if let Some(t) = type_id {
                self.models
                    .entry((t, identifier.as_str()))
                    .or_insert((data_type, attr_type));
            }
        }
    }

    /// Writes history, current values and new models.
    pub async fn write(&self, conn: &impl ConnectionTrait, now: i64) -> StoreResult<()> {
        self.write_history(conn).await?;
        self.write_current(conn).await?;
        self.write_models(conn, now).await
    }

    /// History rows go in as one JSON array per statement, unpacked by the
    /// database itself: binding five parameters per row costs more than
    /// the insert.
    async fn write_history(&self, conn: &impl ConnectionTrait) -> StoreResult<()> {
        // In index order: each statement fills index pages one after the
        // other instead of jumping between devices.
        let mut order: Vec<&AttrValue<'_>> = self.values.iter().collect();
        order.sort_unstable_by_key(|v| (v.device, v.identifier, v.ts));
        let backend = conn.get_database_backend();
        let sql = match backend {
            DbBackend::Postgres => HISTORY_FROM_JSON_POSTGRES,
            _ => HISTORY_FROM_JSON_SQLITE,
        };
        for chunk in order.chunks(HISTORY_ROWS_PER_STATEMENT) {
            let rows: Vec<(DeviceId, &str, i64, &str, &str)> = chunk
                .iter()
                .map(|v| {
                    (
                        v.device,
                        v.identifier,
                        v.ts,
                        v.value.as_str(),
                        v.data_type.as_str(),
                    )
                })
                .collect();
            let json = serde_json::to_string(&rows).map_err(sql_err)?;
            conn.execute_raw(Statement::from_sql_and_values(backend, sql, [json.into()]))
                .await
                .map_err(db_err)?;
        }
        Ok(())
    }

    async fn write_current(&self, conn: &impl ConnectionTrait) -> StoreResult<()> {
        use device_attribute::Column as C;
        let rows: Vec<(usize, AttrType)> = self.current.values().copied().collect();
        for chunk in rows.chunks(rows_per_statement(6)) {
            let mut q = Query::insert();
            q.into_table(device_attribute::Entity)
                .columns([
                    C::DeviceId,
                    C::Identifier,
                    C::Value,
                    C::DataType,
                    C::AttrType,
                    C::Ts,
                ])
                .on_conflict(
                    OnConflict::columns([C::DeviceId, C::Identifier])
                        .update_columns([C::Value, C::DataType, C::AttrType, C::Ts])
                        .to_owned(),
                );
            for (index, attr_type) in chunk {
                let v = &self.values[*index];
                q.values([
                    v.device.into(),
                    v.identifier.into(),
                    v.value.as_str().into(),
                    v.data_type.as_str().into(),
                    attr_type.as_str().into(),
                    v.ts.into(),
                ])
                .map_err(sql_err)?;
            }
            conn.execute(&q).await.map_err(db_err)?;
        }
        Ok(())
    }

    async fn write_models(&self, conn: &impl ConnectionTrait, now: i64) -> StoreResult<()> {
        use attribute_model::Column as C;
        let rows: Vec<_> = self.models.iter().collect();
        for chunk in rows.chunks(rows_per_statement(6)) {
            let mut q = Query::insert();
            q.into_table(attribute_model::Entity)
                .columns([
                    C::TypeId,
                    C::Identifier,
                    C::Name,
                    C::DataType,
                    C::AttrType,
                    C::CreatedAt,
                ])
                .on_conflict(
                    OnConflict::columns([C::TypeId, C::Identifier])
                        .do_nothing()
                        .to_owned(),
                );
            for ((type_id, identifier), (data_type, attr_type)) in chunk {
                q.values([
                    (*type_id).into(),
                    (*identifier).into(),
                    (*identifier).into(),
                    data_type.as_str().into(),
                    attr_type.as_str().into(),
                    now.into(),
                ])
                .map_err(sql_err)?;
            }
            conn.execute(&q).await.map_err(db_err)?;
        }
        Ok(())
    }
}

/// Locks the devices' rows (by id, so that two writers cannot deadlock)
/// and reads their `active` objects. Devices that no longer exist are
/// missing from the answer.
pub(super) async fn lock_active(
    txn: &DatabaseTransaction,
    devices: &[DeviceId],
) -> StoreResult<HashMap<DeviceId, String>> {
    let mut out = HashMap::with_capacity(devices.len());
    for chunk in devices.chunks(MAX_ROWS) {
        let rows: Vec<(i64, String)> = device::Entity::find()
            .select_only()
            .columns([device::Column::Id, device::Column::Active])
            .filter(device::Column::Id.is_in(chunk.iter().copied()))
            .order_by_asc(device::Column::Id)
            .lock_exclusive()
            .into_tuple()
            .all(txn)
            .await
            .map_err(db_err)?;
        out.extend(rows);
    }
    Ok(out)
}

/// `stored` with each kind's time raised to the one in `latest`; `None`
/// when nothing changes. A stored `active` that is not an object is
/// replaced.
pub(super) fn merge_active(stored: &str, latest: &BTreeMap<&str, i64>) -> Option<String> {
    let mut active = match serde_json::from_str::<Value>(stored) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    let mut changed = false;
    for (kind, at) in latest {
        let newer = active
            .get(*kind)
            .and_then(Value::as_i64)
            .is_none_or(|old| old < *at);
        if newer {
            active.insert((*kind).to_owned(), Value::from(*at));
            changed = true;
        }
    }
    changed.then(|| Value::Object(active).to_string())
}

/// Sets `active` of each device, a chunk of devices per statement.
pub(super) async fn write_active(
    conn: &impl ConnectionTrait,
    updates: &[(DeviceId, String)],
) -> StoreResult<()> {
    use device::Column as C;
    for chunk in updates.chunks(ACTIVE_PER_STATEMENT) {
        let mut case = CaseStatement::new();
        for (id, active) in chunk {
            case = case.case(Expr::col(C::Id).eq(*id), Expr::val(active.as_str()));
        }
        let case = case.finally(Expr::col(C::Active));
        let q = Query::update()
            .table(device::Entity)
            .value(C::Active, case)
            .and_where(Expr::col(C::Id).is_in(chunk.iter().map(|(id, _)| *id)))
            .to_owned();
        conn.execute(&q).await.map_err(db_err)?;
    }
    Ok(())
}

/// Events, data messages and command replies of a batch.
#[derive(Default)]
struct Logs<'a> {
    events: Vec<(&'a Report, &'a str, &'a str, String)>,
    data: Vec<(&'a Report, &'a str, &'a [u8])>,
    replies: Vec<(&'a Report, &'a str, String)>,
}

impl<'a> Logs<'a> {
    fn add(&mut self, report: &'a Report) {
        match &report.body {
            ReportBody::Event { id, method, params } => {
                self.events
                    .push((report, id.as_str(), method.as_str(), params.to_string()));
            }
            ReportBody::Data {
                identifier,
                payload,
            } => self.data.push((report, identifier.as_str(), payload)),
            ReportBody::CommandReply { id, method, params } => {
                let reply = serde_json::json!({ "method": method, "params": params });
                self.replies.push((report, id.as_str(), reply.to_string()));
            }
            ReportBody::Attributes(_) => {}
        }
    }

    async fn write(&self, conn: &impl ConnectionTrait) -> StoreResult<()> {
        for chunk in self.events.chunks(rows_per_statement(5)) {
            use device_event::Column as C;
            let mut q = Query::insert();
            q.into_table(device_event::Entity).columns([
                C::DeviceId,
                C::EventId,
                C::Method,
                C::Params,
                C::At,
            ]);
            for (r, id, method, params) in chunk {
                q.values([
                    r.device.into(),
                    (*id).into(),
                    (*method).into(),
                    params.as_str().into(),
                    ms(r.at).into(),
                ])
                .map_err(sql_err)?;
            }
            conn.execute(&q).await.map_err(db_err)?;
        }
        for chunk in self.data.chunks(rows_per_statement(4)) {
            use device_data::Column as C;
            let mut q = Query::insert();
            q.into_table(device_data::Entity).columns([
                C::DeviceId,
                C::Identifier,
                C::Payload,
                C::At,
            ]);
            for (r, identifier, payload) in chunk {
                q.values([
                    r.device.into(),
                    (*identifier).into(),
                    payload.to_vec().into(),
                    ms(r.at).into(),
                ])
                .map_err(sql_err)?;
            }
            conn.execute(&q).await.map_err(db_err)?;
        }
        // Replies are few: one statement each.
        for (r, id, reply) in &self.replies {
            use device_command::Column as C;
            let q = Query::update()
                .table(device_command::Entity)
                .value(C::Reply, reply.as_str())
                .value(C::RepliedAt, ms(r.at))
                .and_where(Expr::col(C::DeviceId).eq(r.device))
                .and_where(Expr::col(C::CommandId).eq(*id))
                .and_where(Expr::col(C::Reply).is_null())
                .to_owned();
            conn.execute(&q).await.map_err(db_err)?;
        }
        Ok(())
    }
}

impl Db {
    pub(super) async fn write_batch(&self, batch: &[Report]) -> StoreResult<()> {
        if batch.is_empty() {
            return Ok(());
        }
        let mut devices: Vec<DeviceId> = batch.iter().map(|r| r.device).collect();
        devices.sort_unstable();
        devices.dedup();
        let now = batch.iter().map(|r| ms(r.at)).max().unwrap_or(0);

        let txn = self.begin().await?;
        let stored = lock_active(&txn, &devices).await?;

        let mut attributes = AttributeRows::default();
        let mut logs = Logs::default();
        let mut latest: HashMap<DeviceId, BTreeMap<&str, i64>> = HashMap::new();
        for report in batch.iter().filter(|r| stored.contains_key(&r.device)) {
            let at = ms(report.at);
            let kinds = latest.entry(report.device).or_default();
            let slot = kinds.entry(report.body.kind().as_str()).or_insert(at);
            *slot = Ord::max(*slot, at);
            match &report.body {
                ReportBody::Attributes(attrs) => {
                    attributes.add(report.device, report.type_id, attrs, at, AttrType::Report);
                }
                _ => logs.add(report),
            }
        }
        attributes.write(&txn, now).await?;
        logs.write(&txn).await?;

        let mut updates: Vec<(DeviceId, String)> = latest
            .iter()
            .filter_map(|(device, kinds)| {
                let old = stored.get(device)?;
                merge_active(old, kinds).map(|new| (*device, new))
            })
            .collect();
        updates.sort_unstable_by_key(|(id, _)| *id);
        write_active(&txn, &updates).await?;
        txn.commit().await.map_err(db_err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn active_keeps_the_latest_time_of_each_kind() {
        let latest = BTreeMap::from([("attributes", 20), ("event", 5)]);
        let merged = merge_active(r#"{"event":10,"connect":1}"#, &latest).unwrap_or_default();
        let merged: Value = serde_json::from_str(&merged).unwrap_or_default();
        assert_eq!(
            merged,
            serde_json::json!({"attributes": 20, "event": 10, "connect": 1})
        );
        assert_eq!(merge_active(r#"{"attributes":30}"#, &latest).as_deref(), {
            let expected = r#"{"attributes":30,"event":5}"#;
            Some(expected)
        });
        assert_eq!(
            merge_active(r#"{"attributes":30,"event":5}"#, &latest),
            None
        );
        assert!(merge_active("not json", &latest).is_some());
    }
}
