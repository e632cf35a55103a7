//! SQLite WAL checkpoints on a connection of their own, so that copying the
//! log into the database file (and its fsync) does not stall the writer.
//! The writer still checkpoints by itself if the log grows past
//! [`WRITER_CHECKPOINT_PAGES`], should this task fall behind.

use std::sync::{Arc, Weak};
use std::time::Duration;

use sea_orm::{ConnectOptions, ConnectionTrait, Database};
use thingstead_core::store::StoreResult;

use crate::{db_err, sqlite_options};

/// How often the log is checkpointed.
const EVERY: Duration = Duration::from_millis(500);
/// Log pages (4 KiB) after which the writer checkpoints by itself.
pub(crate) const WRITER_CHECKPOINT_PAGES: &str = "16384";

/// Keeps the checkpoint task running: it stops once every clone of the
/// [`crate::Db`] holding this is dropped.
#[derive(Debug)]
pub(crate) struct Checkpoints;

/// Opens the checkpoint connection and starts the task.
pub(crate) async fn start(url: &str) -> StoreResult<Arc<Checkpoints>> {
    let mut opts = ConnectOptions::new(url);
    opts.max_connections(1)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|o| sqlite_options(o, false));
    let conn = Database::connect(opts).await.map_err(db_err)?;
    let alive = Arc::new(Checkpoints);
    let weak: Weak<Checkpoints> = Arc::downgrade(&alive);
    tokio::spawn(async move {
        let mut failures = 0u32;
        loop {
            tokio::time::sleep(EVERY).await;
            if weak.strong_count() == 0 {
                break;
            }
            // PASSIVE: copies what it can without waiting for readers or
            // the writer.
            match conn
                .execute_unprepared("PRAGMA wal_checkpoint(PASSIVE)")
                .await
            {
                Ok(_) => failures = 0,
                Err(e) => {
                    failures += 1;
                    if failures == 1 {
                        tracing::warn!(error = %e, "SQLite checkpoint failed");
                    }
                }
            }
        }
        let _ = conn.close().await;
    });
    Ok(alive)
}
