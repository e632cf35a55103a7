//! Alarm rows to domain records and back. A rule's spec is stored as one
//! JSON object of its own stable form, independent of the domain types.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use thingstead_core::StoreError;
use thingstead_core::alarms::{
    Alarm, AlarmRule, AlarmStatus, Comparison, Condition, Level, Notification, NotifyChannel,
    NotifyLog, NotifyOn, OpenAlarm, Operator, RuleSpec,
};
use thingstead_core::store::StoreResult;

use crate::convert::time;
use crate::entity::{alarm, alarm_notification, alarm_notify_attempt, alarm_rule};

/// A comparison as stored.
#[derive(Debug, Serialize, Deserialize)]
struct StoredComparison {
    identifier: String,
    operator: String,
    threshold: Value,
}

/// A condition as stored, tagged by its kind.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
enum StoredCondition {
    Attribute(StoredComparison),
    Offline { seconds: u64 },
    Event { identifier: String },
}

/// Notify flags as stored.
#[derive(Debug, Serialize, Deserialize)]
struct StoredNotify {
    push: bool,
    sms: bool,
    email: bool,
    close: bool,
}

/// A rule spec as stored in `alarm_rules.spec`.
#[derive(Debug, Serialize, Deserialize)]
struct StoredSpec {
    name: String,
    condition: StoredCondition,
    recovery: Option<StoredComparison>,
    level: u8,
    message: String,
    notify: StoredNotify,
    enabled: bool,
}

fn bad(what: &str, detail: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(format!("stored {what} is not valid: {detail}"))
}

fn comparison_out(c: &Comparison) -> StoredComparison {
    StoredComparison {
        identifier: c.identifier.clone(),
        operator: c.operator.as_str().to_owned(),
        threshold: c.threshold.clone(),
    }
}

fn comparison_in(c: StoredComparison) -> StoreResult<Comparison> {
    let operator = Operator::parse(&c.operator).ok_or_else(|| bad("operator", &c.operator))?;
    Ok(Comparison {
        identifier: c.identifier,
        operator,
        threshold: c.threshold,
    })
}

/// A rule spec as stored.
pub(super) fn spec_text(spec: &RuleSpec) -> StoreResult<String> {
    let condition = match &spec.condition {
        Condition::Attribute(c) => StoredCondition::Attribute(comparison_out(c)),
        Condition::Offline { seconds } => StoredCondition::Offline { seconds: *seconds },
        Condition::Event { identifier } => StoredCondition::Event {
            identifier: identifier.clone(),
        },
    };
    let stored = StoredSpec {
        name: spec.name.clone(),
        condition,
        recovery: spec.recovery.as_ref().map(comparison_out),
        level: spec.level.get(),
        message: spec.message.clone(),
        notify: StoredNotify {
            push: spec.notify.push,
            sms: spec.notify.sms,
            email: spec.notify.email,
            close: spec.notify.close,
        },
        enabled: spec.enabled,
    };
    serde_json::to_string(&stored).map_err(|e| StoreError::Backend(format!("rule spec: {e}")))
}

/// A stored rule spec.
fn spec(text: &str) -> StoreResult<RuleSpec> {
    let s: StoredSpec = serde_json::from_str(text).map_err(|e| bad("rule spec", e))?;
    let condition = match s.condition {
        StoredCondition::Attribute(c) => Condition::Attribute(comparison_in(c)?),
        StoredCondition::Offline { seconds } => Condition::Offline { seconds },
        StoredCondition::Event { identifier } => Condition::Event { identifier },
    };
    Ok(RuleSpec {
        name: s.name,
        condition,
        recovery: s.recovery.map(comparison_in).transpose()?,
        level: Level::parse(i64::from(s.level)).ok_or_else(|| bad("rule level", s.level))?,
        message: s.message,
        notify: NotifyOn {
            push: s.notify.push,
            sms: s.notify.sms,
            email: s.notify.email,
            close: s.notify.close,
        },
        enabled: s.enabled,
    })
}

/// A stored rule.
pub(super) fn rule(m: alarm_rule::Model) -> StoreResult<AlarmRule> {
    Ok(AlarmRule {
        id: m.id,
        project_id: m.project_id,
        type_id: m.type_id,
        spec: spec(&m.spec)?,
        created_at: time(m.created_at)?,
    })
}

/// A stored status.
pub(super) fn status(code: i32) -> StoreResult<AlarmStatus> {
    AlarmStatus::from_code(code).ok_or_else(|| bad("alarm status", code))
}

/// A stored level.
pub(super) fn level(n: i32) -> StoreResult<Level> {
    Level::parse(i64::from(n)).ok_or_else(|| bad("alarm level", n))
}

/// A level as stored.
pub(super) fn level_code(level: Level) -> i32 {
    i32::from(level.get())
}

/// Stored JSON text.
pub(super) fn json(column: &str, text: &str) -> StoreResult<Value> {
    serde_json::from_str(text).map_err(|e| bad(column, e))
}

/// A stored channel.
fn channel(name: &str) -> StoreResult<NotifyChannel> {
    NotifyChannel::parse(name).ok_or_else(|| bad("notification channel", name))
}

/// An alarm row as the engine remembers it.
pub(super) fn open_alarm(m: &alarm::Model) -> OpenAlarm {
    OpenAlarm {
        id: m.id,
        device_id: m.device_id,
        rule_id: m.rule_id,
    }
}

/// An alarm row with its device's name and its delivery history.
pub(super) fn alarm(
    m: alarm::Model,
    device_name: String,
    notify_logs: Vec<NotifyLog>,
) -> StoreResult<Alarm> {
    Ok(Alarm {
        id: m.id,
        project_id: m.project_id,
        device_id: m.device_id,
        device_name,
        rule_id: m.rule_id,
        status: status(m.status)?,
        level: level(m.level)?,
        info: json("alarms.info", &m.info)?,
        created_at: time(m.created_at)?,
        notify_logs,
    })
}

/// A claimed notification row.
pub(super) fn notification(m: alarm_notification::Model) -> StoreResult<Notification> {
    Ok(Notification {
        id: m.id,
        alarm_id: m.alarm_id,
        user_id: m.user_id,
        channel: channel(&m.channel)?,
        payload: json("alarm_notifications.payload", &m.payload)?,
        target: m.target,
        target_kind: m.target_kind,
        attempts: u32::try_from(m.attempts).unwrap_or(0),
    })
}

/// An attempt row with its notification.
pub(super) fn notify_log(
    a: alarm_notify_attempt::Model,
    n: &alarm_notification::Model,
) -> StoreResult<NotifyLog> {
    let payload = json("alarm_notifications.payload", &n.payload)?;
    Ok(NotifyLog {
        notification_id: a.notification_id,
        user_id: n.user_id,
        channel: channel(&n.channel)?,
        target: n.target.clone(),
        event: payload["event"].as_str().unwrap_or_default().to_owned(),
        attempt: u32::try_from(a.attempt).unwrap_or(0),
        ok: a.ok,
        error: a.error,
        at: time(a.at)?,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn specs_round_trip() {
        let attribute = RuleSpec {
            name: "hot".into(),
            condition: Condition::Attribute(Comparison {
                identifier: "temperature".into(),
                operator: Operator::Ge,
                threshold: json!(30.5),
            }),
            recovery: Some(Comparison {
                identifier: "temperature".into(),
                operator: Operator::Lt,
                threshold: json!(25),
            }),
            level: Level::NORMAL,
            message: "${device_name} is hot".into(),
            notify: NotifyOn {
                push: false,
                sms: true,
                email: true,
                close: true,
            },
            enabled: false,
        };
        let offline = RuleSpec {
            condition: Condition::Offline { seconds: 60 },
            recovery: None,
            ..attribute.clone()
        };
        let event = RuleSpec {
            condition: Condition::Event {
                identifier: "tamper".into(),
            },
            ..attribute.clone()
        };
        for s in [attribute, offline, event] {
            assert_eq!(spec(&spec_text(&s).unwrap()).unwrap(), s);
        }
    }
}
