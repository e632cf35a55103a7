//! Nodes and the devices they hold: each process beats every few seconds;
//! the devices of a node that stopped beating are set offline (with a
//! disconnect in their presence log) by whichever process sweeps first.

use std::time::Duration;

use sea_orm::{ConnectionTrait, Statement, Value};
use thingstead_core::Time;
use thingstead_core::store::StoreResult;

use crate::convert::ms;
use crate::{Db, db_err};

impl Db {
    /// Records that `node` is alive at `at` (its first beat records its start).
    pub async fn node_beat(&self, node: &str, at: Time) -> StoreResult<()> {
        let backend = self.writer().get_database_backend();
        let at = ms(at);
        let sql = match backend {
            sea_orm::DbBackend::Postgres => {
                "INSERT INTO nodes (node_id, started_at, last_seen) VALUES ($1, $2, $2) \
                 ON CONFLICT (node_id) DO UPDATE SET last_seen = EXCLUDED.last_seen"
            }
            _ => {
                "INSERT INTO nodes (node_id, started_at, last_seen) VALUES (?, ?, ?) \
                 ON CONFLICT (node_id) DO UPDATE SET last_seen = excluded.last_seen"
            }
        };
        let values: Vec<Value> = match backend {
            sea_orm::DbBackend::Postgres => vec![node.into(), at.into()],
            _ => vec![node.into(), at.into(), at.into()],
        };
        self.writer()
            .execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await
            .map_err(db_err)?;
        Ok(())
    }

    /// A node that stops cleanly: its record goes (its devices were
    /// disconnected one by one).
    pub async fn node_left(&self, node: &str) -> StoreResult<()> {
        let backend = self.writer().get_database_backend();
        let sql = match backend {
            sea_orm::DbBackend::Postgres => "DELETE FROM nodes WHERE node_id = $1",
            _ => "DELETE FROM nodes WHERE node_id = ?",
        };
        self.writer()
            .execute_raw(Statement::from_sql_and_values(backend, sql, [node.into()]))
            .await
            .map_err(db_err)?;
        Ok(())
    }

    /// Nodes silent for `silent` are dead: their devices go offline (a
    /// disconnect at `now` in each one's presence log) and their records go.
    /// Returns how many devices were set offline.
    pub async fn sweep_dead_nodes(&self, now: Time, silent: Duration) -> StoreResult<u64> {
        let before = ms(now) - i64::try_from(silent.as_millis()).unwrap_or(i64::MAX);
        let backend = self.writer().get_database_backend();
        let p = |n: usize| match backend {
            sea_orm::DbBackend::Postgres => format!("${n}"),
            _ => "?".to_owned(),
        };
        let txn = self.begin().await?;
        let dead = txn
            .query_all_raw(Statement::from_sql_and_values(
                backend,
                format!("SELECT node_id FROM nodes WHERE last_seen < {}", p(1)),
                [before.into()],
            ))
            .await
            .map_err(db_err)?;
        let mut offline = 0;
        for row in dead {
            let node: String = row.try_get("", "node_id").map_err(db_err)?;
            txn.execute_raw(Statement::from_sql_and_values(
                backend,
                format!(
                    "INSERT INTO device_presence (device_id, online, transport, at) \
                     SELECT id, {}, 'node', {} FROM devices WHERE node_id = {} AND online = {}",
                    p(1),
                    p(2),
                    p(3),
                    p(4)
                ),
                [
                    false.into(),
                    ms(now).into(),
                    node.clone().into(),
                    true.into(),
                ],
            ))
            .await
            .map_err(db_err)?;
            let done = txn
                .execute_raw(Statement::from_sql_and_values(
                    backend,
                    format!(
                        "UPDATE devices SET online = {}, node_id = NULL WHERE node_id = {}",
                        p(1),
                        p(2)
                    ),
                    [false.into(), node.clone().into()],
                ))
                .await
                .map_err(db_err)?;
            offline += done.rows_affected();
            txn.execute_raw(Statement::from_sql_and_values(
                backend,
                format!("DELETE FROM nodes WHERE node_id = {}", p(1)),
                [node.into()],
            ))
            .await
            .map_err(db_err)?;
        }
        txn.commit().await.map_err(db_err)?;
        Ok(offline)
    }
}
