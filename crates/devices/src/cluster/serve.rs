//! What a node does for the others: answers requests for the devices it
//! holds, announces its registrations, and closes connections that
//! another node took over.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::time::Duration;

use futures::StreamExt as _;
use thingstead_core::project::devices::DeviceId;
use thingstead_core::telemetry::DeviceBus as _;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tokio_util::task::AbortOnDropHandle;

use super::Cluster;
use super::wire::{Reply, Request, Takeover};
use crate::bus::{BusChange, LocalBus};

/// Follows the local bus: subscribes to a device's subject while it has a
/// connection here, and announces each registration so that other nodes
/// close theirs.
pub(super) async fn registrations(
    bus: LocalBus,
    cluster: Cluster,
    mut changes: mpsc::UnboundedReceiver<BusChange>,
    stop: CancellationToken,
) {
    // Dropping a handle ends its task, whose subscription ends with it.
    let mut serving: HashMap<DeviceId, AbortOnDropHandle<()>> = HashMap::new();
    loop {
        let change = tokio::select! {
            () = stop.cancelled() => break,
            change = changes.recv() => change,
        };
        match change {
            None => break,
            Some(BusChange::Registered { device, link }) => {
                if let Entry::Vacant(slot) = serving.entry(device) {
                    match cluster
                        .client
                        .subscribe(cluster.device_subject(device))
                        .await
                    {
                        Ok(sub) => {
                            let task = tokio::spawn(serve_device(
                                bus.clone(),
                                cluster.clone(),
                                device,
                                sub,
                            ));
                            slot.insert(AbortOnDropHandle::new(task));
                        }
                        Err(e) => {
                            tracing::warn!(device, error = %e, "cannot subscribe for a device")
                        }
                    }
                }
                let notice = Takeover {
                    node: cluster.node_id.to_string(),
                    link: link.into(),
                };
                if let Ok(payload) = serde_json::to_vec(&notice) {
                    let subject = cluster.subject(&format!("takeover.{device}"));
                    if let Err(e) = cluster.client.publish(subject, payload.into()).await {
                        tracing::warn!(device, error = %e, "cannot announce a registration");
                    }
                }
            }
            Some(BusChange::Gone(device)) => {
                serving.remove(&device);
            }
        }
    }
}

/// Answers the requests for one device held here.
async fn serve_device(
    bus: LocalBus,
    cluster: Cluster,
    device: DeviceId,
    mut sub: async_nats::Subscriber,
) {
    while let Some(msg) = sub.next().await {
        let Some(reply_to) = msg.reply else {
            continue;
        };
        let request: Request = match serde_json::from_slice(&msg.payload) {
            Ok(request) => request,
            Err(e) => {
                tracing::warn!(device, error = %e, "unreadable request from another node");
                continue;
            }
        };
        let (bus, client) = (bus.clone(), cluster.client.clone());
        // A command may wait for its reply: each request on its own task.
        tokio::spawn(async move {
            let reply = answer(&bus, device, request).await;
            if let Ok(payload) = serde_json::to_vec(&reply) {
                let _ = client.publish(reply_to, payload.into()).await;
            }
        });
    }
}

/// Runs a request on the local bus.
async fn answer(bus: &LocalBus, device: DeviceId, request: Request) -> Reply {
    match request {
        Request::Send { msg } => Reply::delivery(bus.send(device, msg.into()).await),
        Request::Command {
            id,
            body,
            wait_ms,
            sub,
        } => {
            let wait = Duration::from_millis(wait_ms);
            let outcome = match sub {
                None => bus.command(device, id, body, wait).await,
                Some(sub) => bus.command_via(device, sub, id, body, wait).await,
            };
            Reply::command(outcome)
        }
        Request::Online => Reply::Online {
            online: bus.is_online(device).await,
        },
    }
}

/// Closes this node's connection of a device that registered on another
/// node (the same path as a local takeover).
pub(super) async fn takeovers(
    bus: LocalBus,
    cluster: Cluster,
    mut sub: async_nats::Subscriber,
    stop: CancellationToken,
) {
    loop {
        let msg = tokio::select! {
            () = stop.cancelled() => break,
            msg = sub.next() => msg,
        };
        let Some(msg) = msg else { break };
        let device = msg
            .subject
            .rsplit('.')
            .next()
            .and_then(|id| id.parse::<DeviceId>().ok());
        let notice = serde_json::from_slice::<Takeover>(&msg.payload).ok();
        let (Some(device), Some(notice)) = (device, notice) else {
            continue;
        };
        if notice.node == *cluster.node_id {
            continue;
        }
        if bus.close(device, notice.link.into()) {
            tracing::info!(device, node = %notice.node, "device connection taken over by another node");
        }
    }
}
