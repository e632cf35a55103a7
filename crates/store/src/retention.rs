//! History upkeep, run at start and every hour by the server: on
//! PostgreSQL, day partitions of the attribute history are made ahead and
//! those wholly older than the retention are dropped; elsewhere (and for
//! the event, data, command and presence logs) old rows are deleted in
//! chunks.

use chrono::{Days, NaiveDate};
use sea_orm::{ConnectionTrait, Statement, TransactionTrait};
use thingstead_core::Time;
use thingstead_core::store::StoreResult;

use crate::migration::DAYS_AHEAD;
use crate::{Backend, Db, db_err};

/// What one pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Upkeep {
    /// Day partitions made (PostgreSQL).
    pub partitions_created: u32,
    /// Day partitions dropped (PostgreSQL).
    pub partitions_dropped: u32,
    /// Rows deleted.
    pub rows_deleted: u64,
}

/// The partitioned table and its partitions' name prefix.
const HISTORY: &str = "device_attribute_history";
const PARTITION_PREFIX: &str = "device_attribute_history_p";
/// Rows one delete statement removes.
const DELETE_CHUNK: u32 = 10_000;
/// Logs cut by time, and their time column.
const LOGS: [(&str, &str); 4] = [
    ("device_events", "at"),
    ("device_data", "at"),
    ("device_presence", "at"),
    ("device_commands", "sent_at"),
];
/// Serialises the upkeep of several processes on one database.
const LOCK_KEY: i64 = 0x7468_696e_6773_7464;

fn day_ms(d: NaiveDate) -> i64 {
    d.and_hms_opt(0, 0, 0)
        .map_or(0, |t| t.and_utc().timestamp_millis())
}

impl Db {
    /// Keeps day partitions ahead of `now` and removes what is older than
    /// `retention` (`None`: history is kept).
    pub async fn upkeep(
        &self,
        now: Time,
        retention: Option<chrono::Duration>,
    ) -> StoreResult<Upkeep> {
        let mut done = Upkeep::default();
        let cutoff = retention.map(|r| now - r);
        if self.backend == Backend::Postgres {
            self.pg_partitions(now, cutoff, &mut done).await?;
        } else if let Some(cutoff) = cutoff {
            done.rows_deleted += self.delete_older(HISTORY, "ts", cutoff).await?;
        }
        if let Some(cutoff) = cutoff {
            for (table, column) in LOGS {
                done.rows_deleted += self.delete_older(table, column, cutoff).await?;
            }
        }
        Ok(done)
    }

    async fn pg_partitions(
        &self,
        now: Time,
        cutoff: Option<Time>,
        done: &mut Upkeep,
    ) -> StoreResult<()> {
        let txn = self.writer().begin().await.map_err(db_err)?;
        let backend = txn.get_database_backend();
        txn.execute_raw(Statement::from_string(
            backend,
            format!("SELECT pg_advisory_xact_lock({LOCK_KEY})"),
        ))
        .await
        .map_err(db_err)?;
        let rows = txn
            .query_all_raw(Statement::from_string(
                backend,
                format!(
                    "SELECT c.relname AS name FROM pg_inherits i \
                     JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent \
                     WHERE p.relname = '{HISTORY}'"
                ),
            ))
            .await
            .map_err(db_err)?;
        let mut days = Vec::new();
        for row in rows {
            let name: String = row.try_get("", "name").map_err(db_err)?;
            if let Some(day) = name
                .strip_prefix(PARTITION_PREFIX)
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y%m%d").ok())
            {
                days.push(day);
            }
        }
        let today = now.date_naive();
        let mut day = today;
        while day <= today + Days::new(DAYS_AHEAD as u64) {
            if !days.contains(&day) {
                let next = day + Days::new(1);
                txn.execute_raw(Statement::from_string(
                    backend,
                    format!(
                        "CREATE TABLE {PARTITION_PREFIX}{} PARTITION OF {HISTORY} FOR VALUES FROM ({}) TO ({})",
                        day.format("%Y%m%d"),
                        day_ms(day),
                        day_ms(next)
                    ),
                ))
                .await
                .map_err(db_err)?;
                done.partitions_created += 1;
            }
            day = day + Days::new(1);
        }
        if let Some(cutoff) = cutoff {
            for day in days {
                // A partition goes once its last millisecond is older than the cutoff.
                if day_ms(day + Days::new(1)) <= cutoff.timestamp_millis() {
                    txn.execute_raw(Statement::from_string(
                        backend,
                        format!("DROP TABLE {PARTITION_PREFIX}{}", day.format("%Y%m%d")),
                    ))
                    .await
                    .map_err(db_err)?;
                    done.partitions_dropped += 1;
                }
            }
            // Rows that landed outside the day partitions.
            txn.execute_raw(Statement::from_string(
                backend,
                format!(
                    "DELETE FROM {HISTORY}_default WHERE ts < {}",
                    cutoff.timestamp_millis()
                ),
            ))
            .await
            .map_err(db_err)?;
        }
        txn.commit().await.map_err(db_err)
    }

    /// Deletes rows of `table` with `column` before `cutoff`, a chunk per
    /// statement (so that the writer is never held long).
    async fn delete_older(&self, table: &str, column: &str, cutoff: Time) -> StoreResult<u64> {
        let backend = self.writer().get_database_backend();
        let sql = format!(
            "DELETE FROM {table} WHERE id IN \
             (SELECT id FROM {table} WHERE {column} < {} LIMIT {DELETE_CHUNK})",
            cutoff.timestamp_millis()
        );
        let mut total = 0;
        loop {
            let r = self
                .writer()
                .execute_raw(Statement::from_string(backend, sql.clone()))
                .await
                .map_err(db_err)?;
            total += r.rows_affected();
            if r.rows_affected() < u64::from(DELETE_CHUNK) {
                return Ok(total);
            }
        }
    }
}
