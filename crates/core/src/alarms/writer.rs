//! Turns transitions into stored alarms and queued notifications, in the
//! order they were made, those queued together in one transaction. A
//! failing store is retried (with back-off) until it answers: transitions
//! wait, they are not dropped.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::mpsc;

use super::delivery::HOLD;
use super::engine::{Transition, Trigger};
use super::rules::{AlarmRule, Condition, NotifyOn};
use super::template::render;
use super::{
    AlarmChange, AlarmContext, AlarmStatus, AlarmStore, NewAlarm, NewNotification, Notification,
    NotifyChannel,
};
use crate::Time;
use crate::live::{LiveEvent, LiveEvents};
use crate::store::StoreResult;
use crate::telemetry::ConnectedDevice;

/// The longest wait between two tries of a failing store.
const RETRY_MAX: Duration = Duration::from_secs(10);

/// Most transitions stored in one transaction.
const BATCH_MAX: usize = 256;

/// A transition read and ready to store.
struct Prepared {
    change: AlarmChange,
    device: ConnectedDevice,
    event: &'static str,
    body: Value,
}

pub(super) async fn run(
    store: Arc<dyn AlarmStore>,
    mut rx: mpsc::UnboundedReceiver<Transition>,
    deliver: mpsc::UnboundedSender<Notification>,
    live: LiveEvents,
) {
    let mut batch = Vec::with_capacity(BATCH_MAX);
    while rx.recv_many(&mut batch, BATCH_MAX).await > 0 {
        // Everything queued meanwhile goes in one transaction, so that a
        // burst of changes waits for the database once, not once each.
        let mut flushed = Vec::new();
        let mut prepared = Vec::with_capacity(batch.len());
        for t in batch.drain(..) {
            match t {
                Transition::Flush(done) => flushed.push(done),
                Transition::Open {
                    device,
                    rule,
                    trigger,
                    at,
                } => {
                    let p =
                        retry(|| prepare_open(store.as_ref(), &device, &rule, &trigger, at)).await;
                    prepared.extend(p);
                }
                Transition::Close { device, rule, at } => {
                    let p = retry(|| prepare_close(store.as_ref(), &device, &rule, at)).await;
                    prepared.push(p);
                }
            }
        }
        if !prepared.is_empty() {
            let changes: Vec<AlarmChange> = prepared.iter().map(|p| p.change.clone()).collect();
            let applied = retry(|| store.apply_changes(&changes, hold_until())).await;
            for (p, done) in prepared.iter().zip(applied) {
                if let Some(id) = done.alarm_id {
                    live.publish(LiveEvent::alarm(&p.device, id, p.event, &p.body));
                }
                // Stored and held for this process: sent at once.
                for n in done.queued {
                    let _ = deliver.send(n);
                }
            }
        }
        for done in flushed {
            let _ = done.send(());
        }
    }
}

/// Runs `step` until the store answers, waiting longer each time.
async fn retry<T, F: Future<Output = StoreResult<T>>>(mut step: impl FnMut() -> F) -> T {
    let mut wait = Duration::from_millis(100);
    loop {
        match step().await {
            Ok(v) => return v,
            Err(e) => {
                tracing::error!(error = %e, "an alarm change could not be stored; retrying");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(RETRY_MAX);
            }
        }
    }
}

/// The message of an alarm, filled from the device's values and the trigger.
fn message(
    rule: &AlarmRule,
    ctx: &AlarmContext,
    device: &ConnectedDevice,
    trigger: &Trigger,
) -> (String, Value) {
    let mut values = ctx.values.clone();
    if let Trigger::Attributes(report) = trigger {
        values.extend(report.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    let (value, threshold) = match &rule.spec.condition {
        Condition::Attribute(c) => (
            values.get(&c.identifier).cloned().unwrap_or(Value::Null),
            c.threshold.clone(),
        ),
        Condition::Offline { seconds } => (Value::Null, Value::from(*seconds)),
        Condition::Event { .. } => (Value::Null, Value::Null),
    };
    let shown = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => "-".to_owned(),
        v => v.to_string(),
    };
    let builtins = [
        ("device_name", ctx.device_name.clone()),
        ("device_id", device.device.to_string()),
        ("value", shown(&value)),
        ("threshold", shown(&threshold)),
        ("level", rule.spec.level.get().to_string()),
    ];
    (render(&rule.spec.message, &values, &builtins), value)
}

async fn prepare_open(
    store: &dyn AlarmStore,
    device: &ConnectedDevice,
    rule: &AlarmRule,
    trigger: &Trigger,
    at: Time,
) -> StoreResult<Option<Prepared>> {
    let Some(ctx) = store.alarm_context(device.device).await? else {
        return Ok(None);
    };
    let (text, value) = message(rule, &ctx, device, trigger);
    let mut info = json!({
        "rule_id": rule.id.to_string(),
        "rule_name": rule.spec.name,
        "type": rule.spec.condition.kind(),
        "message": text,
    });
    match &rule.spec.condition {
        Condition::Attribute(c) => {
            info["identifier"] = json!(c.identifier);
            info["operator"] = json!(c.operator.as_str());
            info["threshold"] = c.threshold.clone();
            info["value"] = value;
        }
        Condition::Offline { seconds } => info["offline_seconds"] = json!(seconds),
        Condition::Event { identifier } => {
            info["identifier"] = json!(identifier);
            if let Trigger::Event(params) = trigger {
                info["params"] = params.clone();
            }
        }
    }
    let body = payload("open", rule, &ctx, device, &text, AlarmStatus::Open, at);
    let notifications = notifications(&ctx, rule.spec.notify, &body);
    Ok(Some(Prepared {
        change: AlarmChange::Open {
            alarm: NewAlarm {
                project_id: device.project,
                device_id: device.device,
                rule_id: rule.id,
                level: rule.spec.level,
                info,
                at,
            },
            notifications,
        },
        device: device.clone(),
        event: "open",
        body,
    }))
}

async fn prepare_close(
    store: &dyn AlarmStore,
    device: &ConnectedDevice,
    rule: &AlarmRule,
    at: Time,
) -> StoreResult<Prepared> {
    let ctx = store
        .alarm_context(device.device)
        .await?
        .unwrap_or(AlarmContext {
            device_name: String::new(),
            values: Default::default(),
            recipients: Vec::new(),
        });
    let text = render(
        &rule.spec.message,
        &ctx.values,
        &[("device_name", ctx.device_name.clone())],
    );
    let body = payload(
        "close",
        rule,
        &ctx,
        device,
        &text,
        AlarmStatus::Recovered,
        at,
    );
    let notifications = if rule.spec.notify.close {
        notifications(&ctx, rule.spec.notify, &body)
    } else {
        Vec::new()
    };
    Ok(Prepared {
        change: AlarmChange::Close {
            device: device.device,
            rule: rule.id,
            status: AlarmStatus::Recovered,
            at,
            notifications,
        },
        device: device.clone(),
        event: "close",
        body,
    })
}

/// What every notification of a transition carries (the delivery adds the
/// alarm's id and the recipient).
fn payload(
    event: &str,
    rule: &AlarmRule,
    ctx: &AlarmContext,
    device: &ConnectedDevice,
    text: &str,
    status: AlarmStatus,
    at: Time,
) -> Value {
    json!({
        "event": event,
        "alarm": {
            "rule_id": rule.id.to_string(),
            "alarm_status": status.code(),
            "alarm_level": rule.spec.level.get(),
            "message": text,
            "time": at.timestamp_millis(),
        },
        "device": {"id": device.device.to_string(), "name": ctx.device_name},
    })
}

/// One notification per recipient and channel the rule asks for.
fn notifications(ctx: &AlarmContext, on: NotifyOn, body: &Value) -> Vec<NewNotification> {
    let mut out = Vec::new();
    for r in &ctx.recipients {
        let mut add = |channel, target: &str, kind: &str| {
            out.push(NewNotification {
                user_id: r.user_id,
                channel,
                target: target.to_owned(),
                target_kind: kind.to_owned(),
                payload: body.clone(),
            });
        };
        if on.push {
            for (id, kind) in &r.push_channels {
                add(NotifyChannel::Push, id, kind);
            }
        }
        if on.sms
            && let Some(phone) = &r.phone
        {
            add(NotifyChannel::Sms, phone, &r.country_code);
        }
        if on.email
            && let Some(email) = &r.email
        {
            add(NotifyChannel::Email, email, "");
        }
    }
    out
}

/// When notifications queued now stop being held for this process.
fn hold_until() -> Time {
    crate::now() + chrono::Duration::from_std(HOLD).unwrap_or_default()
}
