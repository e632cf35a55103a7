//! Work a server does on its own while it runs: beating for its node (and
//! setting the devices of silent nodes offline), and keeping the device
//! history in shape. Each stops when its guard is dropped.

use std::time::Duration;

use thingstead_store::Db;
use tokio_util::sync::DropGuard;

/// How often a node records that it is alive, and looks for dead ones.
const NODE_BEAT: Duration = Duration::from_secs(2);
/// A node silent this long is dead: its devices are set offline.
const NODE_SILENT: Duration = Duration::from_secs(10);

/// Beats for this node every two seconds and sets the devices of nodes
/// that stopped beating (another process that died, or this process's
/// previous run) offline.
pub(crate) fn spawn_node_beat(db: Db, node: String) -> DropGuard {
    let stop = tokio_util::sync::CancellationToken::new();
    let guard = stop.clone().drop_guard();
    tokio::spawn(async move {
        let mut failing = false;
        loop {
            let now = thingstead_core::now();
            let beat = db.node_beat(&node, now).await;
            let swept = db.sweep_dead_nodes(now, NODE_SILENT).await;
            match (beat, swept) {
                (Ok(()), Ok(n)) => {
                    failing = false;
                    if n > 0 {
                        tracing::info!(devices = n, "devices of a node that stopped set offline");
                    }
                }
                (Err(e), _) | (_, Err(e)) => {
                    if !failing {
                        tracing::warn!(error = %e, "the node beat failed");
                    }
                    failing = true;
                }
            }
            tokio::select! {
                () = stop.cancelled() => return,
                () = tokio::time::sleep(NODE_BEAT) => {}
            }
        }
    });
    guard
}

/// How often the device history is kept in shape.
const UPKEEP_EVERY: Duration = Duration::from_secs(3600);

/// Runs the history upkeep now and every hour: day partitions ahead on
/// PostgreSQL, and history older than `retention_days` (0: none) removed.
pub(crate) fn spawn_upkeep(db: Db, retention_days: u32) -> DropGuard {
    let stop = tokio_util::sync::CancellationToken::new();
    let guard = stop.clone().drop_guard();
    let retention = (retention_days > 0).then(|| chrono::Duration::days(i64::from(retention_days)));
    tokio::spawn(async move {
        loop {
            match db.upkeep(thingstead_core::now(), retention).await {
                Ok(done) if done != thingstead_store::Upkeep::default() => tracing::info!(
                    partitions_created = done.partitions_created,
                    partitions_dropped = done.partitions_dropped,
                    rows_deleted = done.rows_deleted,
                    "device history kept in shape"
                ),
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "the device history upkeep failed; it runs again in an hour")
                }
            }
            tokio::select! {
                () = stop.cancelled() => return,
                () = tokio::time::sleep(UPKEEP_EVERY) => {}
            }
        }
    });
    guard
}
