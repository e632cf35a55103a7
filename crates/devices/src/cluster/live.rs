//! Live events across nodes: each node publishes its own events to
//! `<prefix>.live` and publishes the other nodes' events into its hub.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};

use futures::StreamExt as _;
use thingstead_core::live::{LiveEvent, LiveEvents};
use tokio::sync::broadcast::error::RecvError;
use tokio_util::sync::CancellationToken;

use super::Cluster;
use super::wire::LiveWire;

/// Events from other nodes not yet seen coming back out of the hub.
const RELAYED_KEPT: usize = 1_024;

/// Events this node put into its hub for other nodes, so that they are not
/// sent back out.
#[derive(Default, Clone)]
struct Relayed(Arc<Mutex<VecDeque<LiveEvent>>>);

impl Relayed {
    fn push(&self, event: LiveEvent) {
        let mut kept = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if kept.len() == RELAYED_KEPT {
            kept.pop_front();
        }
        kept.push_back(event);
    }

    /// Whether `event` came from another node (forgetting it).
    fn take(&self, event: &LiveEvent) -> bool {
        let mut kept = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        match kept.iter().position(|e| e == event) {
            Some(i) => {
                kept.remove(i);
                true
            }
            None => false,
        }
    }
}

/// Relays live events between `hub` and the other nodes until `stop` is
/// cancelled. Returns once both directions are set up. While it runs the
/// hub always has a listener, so events are always built.
pub async fn relay_live_events(
    cluster: &Cluster,
    hub: LiveEvents,
    stop: CancellationToken,
) -> Result<(), String> {
    let subject = cluster.subject("live");
    let mut incoming = cluster
        .client
        .subscribe(subject.clone())
        .await
        .map_err(|e| e.to_string())?;
    let mut outgoing = hub.subscribe();
    let relayed = Relayed::default();

    let (out_cluster, out_relayed, out_stop) = (cluster.clone(), relayed.clone(), stop.clone());
    tokio::spawn(async move {
        loop {
            let event = tokio::select! {
                () = out_stop.cancelled() => break,
                event = outgoing.recv() => event,
            };
            let event = match event {
                Ok(event) => event,
                Err(RecvError::Lagged(missed)) => {
                    tracing::warn!(missed, "live events not relayed to other nodes");
                    continue;
                }
                Err(RecvError::Closed) => break,
            };
            if out_relayed.take(&event) {
                continue;
            }
            let wire = LiveWire {
                node: out_cluster.node_id.to_string(),
                project_id: event.project_id,
                device_id: event.device_id,
                kind: event.kind.to_owned(),
                data: event.data.clone(),
                at_ms: event.at.timestamp_millis(),
            };
            if let Ok(payload) = serde_json::to_vec(&wire)
                && let Err(e) = out_cluster
                    .client
                    .publish(subject.clone(), payload.into())
                    .await
            {
                tracing::warn!(error = %e, "cannot relay a live event");
            }
        }
    });

    let node_id = cluster.node_id.clone();
    tokio::spawn(async move {
        loop {
            let msg = tokio::select! {
                () = stop.cancelled() => break,
                msg = incoming.next() => msg,
            };
            let Some(msg) = msg else { break };
            let Ok(wire) = serde_json::from_slice::<LiveWire>(&msg.payload) else {
                continue;
            };
            if wire.node == *node_id {
                continue;
            }
            let Some(event) = from_wire(wire) else {
                continue;
            };
            relayed.push(event.clone());
            hub.publish(event);
        }
    });
    Ok(())
}

fn from_wire(wire: LiveWire) -> Option<LiveEvent> {
    let kind = match wire.kind.as_str() {
        "attributes" => "attributes",
        "alarm" => "alarm",
        _ => return None,
    };
    Some(LiveEvent {
        project_id: wire.project_id,
        device_id: wire.device_id,
        kind,
        data: wire.data,
        at: chrono::DateTime::from_timestamp_millis(wire.at_ms)?,
    })
}
