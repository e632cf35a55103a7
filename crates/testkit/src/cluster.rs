//! Several nodes on one PostgreSQL database and one NATS server.
//!
//! NATS tests run when `THINGSTEAD_TEST_NATS_URL` is set (and PostgreSQL's
//! variable too); each cluster gets its own database and subject prefix.

use serde_json::{Value, json};

use crate::{Backend, TestApp};

/// The NATS server of `THINGSTEAD_TEST_NATS_URL`; `None` (and a note, once)
/// when it is not set.
pub fn nats_url() -> Option<String> {
    match std::env::var("THINGSTEAD_TEST_NATS_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            static SAID: std::sync::Once = std::sync::Once::new();
            SAID.call_once(|| {
                eprintln!("THINGSTEAD_TEST_NATS_URL is not set: cluster tests are skipped");
            });
            None
        }
    }
}

/// A NATS subject prefix no other test uses.
pub fn subject_prefix() -> String {
    format!("tstest_{}", crate::random_suffix())
}

/// Starts `n` nodes (`node1`, `node2`…) on one fresh PostgreSQL database
/// and one fresh subject prefix. The first node owns the database: keep
/// the vector whole until the test ends. `None` when NATS or PostgreSQL is
/// not configured for tests. `extra` settings apply to every node.
pub async fn spawn_cluster(n: usize, extra: Value) -> Option<Vec<TestApp>> {
    let nats = nats_url()?;
    let mut settings = json!({
        "nats_url": nats,
        "nats_subject_prefix": subject_prefix(),
        "node_id": "node1",
    });
    if let (Some(s), Some(e)) = (settings.as_object_mut(), extra.as_object()) {
        s.extend(e.clone());
    }
    let first = TestApp::spawn_with(Backend::Postgres, settings).await?;
    let mut nodes = vec![first];
    for i in 2..=n {
        let node = TestApp::spawn_node(&nodes[0], json!({ "node_id": format!("node{i}") })).await;
        nodes.push(node);
    }
    Some(nodes)
}
