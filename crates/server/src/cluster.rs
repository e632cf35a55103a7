//! Cluster mode: its settings (`nats_url`, `nats_subject_prefix`,
//! `node_id`) and the device bus a node runs with: the in-process bus
//! alone, or wrapped in the NATS bus.

use std::sync::Arc;

use thingstead_core::live::LiveEvents;
use thingstead_core::telemetry::DeviceBus;
use thingstead_devices::LocalBus;
use thingstead_devices::cluster::{Cluster, NatsBus};
use tokio_util::sync::CancellationToken;

use crate::config::{Settings, bad, redact_url};
use crate::error::StartError;

/// Whether `s` is one or more NATS subject tokens separated by dots
/// (letters, digits, `-` and `_`).
fn is_subject(s: &str) -> bool {
    !s.is_empty()
        && s.split('.').all(|token| {
            !token.is_empty()
                && token
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// The cluster settings' checks, part of [`Settings::validate`].
pub(crate) fn validate(settings: &Settings) -> Result<(), StartError> {
    let prefix = &settings.nats_subject_prefix;
    if !is_subject(prefix) {
        return Err(bad(
            "nats_subject_prefix",
            format!(
                "must be NATS subject tokens (letters, digits, - and _, separated by dots) (got {prefix:?})"
            ),
        ));
    }
    if let Some(id) = &settings.node_id
        && (id.len() > 64 || id.contains('.') || !is_subject(id))
    {
        return Err(bad(
            "node_id",
            format!("must be 1 to 64 letters, digits, - or _ (got {id:?})"),
        ));
    }
    if let Some(url) = nats_url(settings) {
        if !url.starts_with("nats://") && !url.starts_with("tls://") {
            return Err(bad(
                "nats_url",
                format!("must be a nats:// URL (got {:?})", redact_url(&url)),
            ));
        }
        if !settings.database_url().starts_with("postgres") {
            return Err(StartError::Config(
                "cluster mode needs PostgreSQL: --nats-url (THINGSTEAD_NATS_URL) is set, so set --database-url (THINGSTEAD_DATABASE_URL) to a postgres:// URL".into(),
            ));
        }
    }
    Ok(())
}

/// The NATS URL, if cluster mode is on.
pub(crate) fn nats_url(settings: &Settings) -> Option<String> {
    settings
        .nats_url
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_owned)
}

/// This node's id: the configured one, or 8 random hex digits.
pub(crate) fn node_id(settings: &Settings) -> String {
    if let Some(id) = &settings.node_id {
        return id.clone();
    }
    let mut bytes = [0u8; 4];
    if getrandom::fill(&mut bytes).is_err() {
        // The clock's low bits are random enough to tell nodes apart.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        bytes = nanos.to_be_bytes();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The device bus of a node, and what the server keeps of it.
pub(crate) struct NodeBus {
    /// What the API and the telemetry service send through.
    pub bus: Arc<dyn DeviceBus>,
    /// The bus the device connections register with.
    pub local: LocalBus,
    /// The NATS connection, in cluster mode.
    pub cluster: Option<Cluster>,
    /// Ends the cluster tasks.
    pub stop: CancellationToken,
}

/// Connects to NATS when `settings` ask for cluster mode and builds the bus.
pub(crate) async fn node_bus(settings: &Settings, node_id: &str) -> Result<NodeBus, StartError> {
    let Some(url) = nats_url(settings) else {
        let local = LocalBus::new();
        return Ok(NodeBus {
            bus: Arc::new(local.clone()),
            local,
            cluster: None,
            stop: CancellationToken::new(),
        });
    };
    let failed = |reason: String| StartError::Nats {
        url: redact_url(&url),
        reason,
    };
    let cluster = Cluster::connect(&url, &settings.nats_subject_prefix, node_id)
        .await
        .map_err(failed)?;
    let (local, changes) = LocalBus::watched();
    let nats = NatsBus::start(local.clone(), changes, cluster.clone())
        .await
        .map_err(failed)?;
    Ok(NodeBus {
        stop: nats.stop_token(),
        bus: Arc::new(nats),
        local,
        cluster: Some(cluster),
    })
}

/// In cluster mode, relays live events between `hub` and the other nodes.
pub(crate) async fn relay_live(
    node: &NodeBus,
    hub: LiveEvents,
    settings: &Settings,
) -> Result<(), StartError> {
    let Some(cluster) = &node.cluster else {
        return Ok(());
    };
    thingstead_devices::cluster::relay_live_events(cluster, hub, node.stop.clone())
        .await
        .map_err(|reason| StartError::Nats {
            url: redact_url(&nats_url(settings).unwrap_or_default()),
            reason,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_prefixes_are_tokens() {
        assert!(is_subject("thingstead"));
        assert!(is_subject("ts.test-1_a"));
        for bad in ["", ".", "a..b", "a.", "a b", "a.*", "a.>"] {
            assert!(!is_subject(bad), "{bad:?}");
        }
    }

    #[test]
    fn cluster_mode_needs_postgres() {
        let settings = Settings {
            nats_url: Some("nats://127.0.0.1:4222".into()),
            ..Settings::default()
        };
        let e = validate(&settings).err().map(|e| e.to_string());
        assert!(
            e.as_deref().is_some_and(|e| e.contains("--nats-url")
                && e.contains("--database-url")
                && e.contains("PostgreSQL")),
            "{e:?}"
        );
        let settings = Settings {
            database_url: Some("postgres://u:p@h/db".into()),
            ..settings
        };
        assert!(validate(&settings).is_ok());
        assert_eq!(node_id(&settings).len(), 8);
    }
}
