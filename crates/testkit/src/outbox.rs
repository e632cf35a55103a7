//! Reads `<data-dir>/outbox.jsonl`, where the `log` provider appends every
//! SMS and e-mail.

use std::path::Path;

use serde::Deserialize;

/// One message of the outbox.
#[derive(Debug, Clone, Deserialize)]
pub struct OutboxEntry {
    pub at: String,
    pub channel: String,
    pub to: String,
    pub purpose: String,
    pub code: String,
    pub text: String,
}

pub(crate) fn read(data_dir: &Path) -> Vec<OutboxEntry> {
    let Ok(text) = std::fs::read_to_string(data_dir.join("outbox.jsonl")) else {
        return Vec::new();
    };
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad outbox line {l}: {e}")))
        .collect()
}
