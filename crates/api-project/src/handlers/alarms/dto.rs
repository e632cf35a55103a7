//! Bodies of the alarm endpoints: alarm log items as seed 003 shows them,
//! and alarm rules (an extension) in its snake_case style.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use thingstead_core::DomainError;
use thingstead_core::alarms::{
    Alarm, AlarmRule, Comparison, Condition, NotifyLog, NotifyOn, RuleInput,
};
use utoipa::ToSchema;

use crate::handlers::devices::dto::millis;

/// `{id, name}` of the alarm's device.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeviceRef {
    pub id: String,
    pub name: String,
}

/// One delivery attempt of a notification.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotifyLogItem {
    /// `push`, `sms` or `email`.
    pub channel: &'static str,
    /// The push channel, phone number or e-mail address.
    pub to: String,
    pub user_id: String,
    /// `open` or `close`.
    pub event: String,
    /// 1 for the first attempt.
    pub attempt: u32,
    /// `ok` or `failed`.
    pub result: &'static str,
    /// Why it failed; `""` when it succeeded.
    pub error: String,
    /// Unix milliseconds.
    pub time: i64,
}

impl From<NotifyLog> for NotifyLogItem {
    fn from(l: NotifyLog) -> Self {
        NotifyLogItem {
            channel: l.channel.as_str(),
            to: l.target,
            user_id: l.user_id.to_string(),
            event: l.event,
            attempt: l.attempt,
            result: if l.ok { "ok" } else { "failed" },
            error: l.error,
            time: millis(l.at),
        }
    }
}

/// One alarm of `alarm_logs`.
#[derive(Debug, Serialize, ToSchema)]
pub struct AlarmItem {
    pub id: String,
    pub device_id: String,
    /// 1 open, 2 acknowledged, 3 recovered, 4 cleared.
    pub alarm_status: i32,
    /// 1 normal, 2 serious, 3 urgent.
    pub alarm_level: u8,
    /// What opened it: rule, message, value, threshold, and when it was
    /// acknowledged or closed.
    #[schema(value_type = Object)]
    pub alarm_info: Value,
    /// Unix milliseconds.
    pub create_time: i64,
    pub notify_logs: Vec<NotifyLogItem>,
    pub device: DeviceRef,
}

impl From<Alarm> for AlarmItem {
    fn from(a: Alarm) -> Self {
        AlarmItem {
            id: a.id.to_string(),
            device_id: a.device_id.to_string(),
            alarm_status: a.status.code(),
            alarm_level: a.level.get(),
            alarm_info: a.info,
            create_time: millis(a.created_at),
            notify_logs: a.notify_logs.into_iter().map(NotifyLogItem::from).collect(),
            device: DeviceRef {
                id: a.device_id.to_string(),
                name: a.device_name,
            },
        }
    }
}

/// A rule's channels: app push, SMS, e-mail, and whether closing notifies too.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotifyItem {
    pub push: bool,
    pub sms: bool,
    pub email: bool,
    pub close: bool,
}

/// `{identifier, operator, threshold}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ComparisonItem {
    pub identifier: String,
    pub operator: &'static str,
    #[schema(value_type = Object)]
    pub threshold: Value,
}

impl From<Comparison> for ComparisonItem {
    fn from(c: Comparison) -> Self {
        ComparisonItem {
            identifier: c.identifier,
            operator: c.operator.as_str(),
            threshold: c.threshold,
        }
    }
}

/// **Extension.** An alarm rule of a device type. Fields that do not
/// apply to the rule's `type` are `null`.
#[derive(Debug, Serialize, ToSchema)]
pub struct RuleItem {
    pub id: String,
    pub type_id: String,
    pub name: String,
    /// `attribute`, `offline` or `event`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The attribute (attribute rules) or the event (event rules).
    pub identifier: Option<String>,
    /// Attribute rules: `>`, `>=`, `<`, `<=`, `==` or `!=`.
    pub operator: Option<&'static str>,
    /// Attribute rules.
    #[schema(value_type = Option<Object>)]
    pub threshold: Option<Value>,
    /// Offline rules.
    pub offline_seconds: Option<u64>,
    /// 1 normal, 2 serious, 3 urgent.
    pub level: u8,
    /// The message template.
    pub message: String,
    pub recovery: Option<ComparisonItem>,
    pub notify: NotifyItem,
    pub enabled: bool,
    /// Unix milliseconds.
    pub create_time: i64,
}

impl From<AlarmRule> for RuleItem {
    fn from(r: AlarmRule) -> Self {
        let spec = r.spec;
        let kind = spec.condition.kind();
        let (identifier, operator, threshold, offline_seconds) = match spec.condition {
            Condition::Attribute(c) => (
                Some(c.identifier),
                Some(c.operator.as_str()),
                Some(c.threshold),
                None,
            ),
            Condition::Offline { seconds } => (None, None, None, Some(seconds)),
            Condition::Event { identifier } => (Some(identifier), None, None, None),
        };
        RuleItem {
            id: r.id.to_string(),
            type_id: r.type_id.to_string(),
            name: spec.name,
            kind,
            identifier,
            operator,
            threshold,
            offline_seconds,
            level: spec.level.get(),
            message: spec.message,
            recovery: spec.recovery.map(ComparisonItem::from),
            notify: NotifyItem {
                push: spec.notify.push,
                sms: spec.notify.sms,
                email: spec.notify.email,
                close: spec.notify.close,
            },
            enabled: spec.enabled,
            create_time: millis(r.created_at),
        }
    }
}

impl RuleItem {
    /// The rule as JSON (for the command line).
    pub fn json(rule: AlarmRule) -> Value {
        serde_json::to_value(RuleItem::from(rule)).unwrap_or(Value::Null)
    }
}

/// **Extension** `POST /device_type/{id}/alarm_rules` and
/// `PUT /device_type/{id}/alarm_rule/{rule_id}` (the whole rule). Every
/// field is read here, so that a wrong JSON type answers with its field.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct RuleBody {
    #[schema(value_type = Option<String>)]
    pub name: Option<Value>,
    /// `attribute` (default), `offline` or `event`.
    #[serde(rename = "type")]
    #[schema(value_type = Option<String>)]
    pub kind: Option<Value>,
    /// Attribute rules: the attribute; event rules: the event.
    #[schema(value_type = Option<String>)]
    pub identifier: Option<Value>,
    /// Attribute rules: `>`, `>=`, `<`, `<=`, `==` or `!=`.
    #[schema(value_type = Option<String>)]
    pub operator: Option<Value>,
    /// Attribute rules: a value of the attribute's type.
    #[schema(value_type = Option<Object>)]
    pub threshold: Option<Value>,
    /// Offline rules: 1 to 2,592,000.
    #[schema(value_type = Option<u64>)]
    pub offline_seconds: Option<Value>,
    /// 1 normal (default), 2 serious, 3 urgent.
    #[schema(value_type = Option<u8>)]
    pub level: Option<Value>,
    /// The template: `${<identifier>}`, `${device_name}`, `${device_id}`,
    /// `${value}`, `${threshold}`, `${level}`.
    #[schema(value_type = Option<String>)]
    pub message: Option<Value>,
    /// `{identifier, operator, threshold}` or null.
    #[schema(value_type = Option<Object>)]
    pub recovery: Option<Value>,
    /// `{push (default true), sms, email, close}`.
    #[schema(value_type = Option<Object>)]
    pub notify: Option<Value>,
    /// Default true.
    #[schema(value_type = Option<bool>)]
    pub enabled: Option<Value>,
}

impl RuleBody {
    /// The rule as the domain checks it; a field of the wrong JSON type is
    /// refused here, naming it.
    pub fn input(self) -> Result<RuleInput, DomainError> {
        Ok(RuleInput {
            kind: text("type", self.kind)?,
            name: text("name", self.name)?,
            identifier: text("identifier", self.identifier)?,
            operator: text("operator", self.operator)?,
            threshold: self.threshold,
            offline_seconds: self.offline_seconds,
            level: self.level,
            message: text("message", self.message)?,
            recovery: self.recovery,
            notify: self.notify.map(notify).transpose()?,
            enabled: flag("enabled", self.enabled)?,
        })
    }
}

fn text(field: &'static str, v: Option<Value>) -> Result<Option<String>, DomainError> {
    match v {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(DomainError::invalid(
            field,
            format!("{field} must be a string"),
        )),
    }
}

fn flag(field: &'static str, v: Option<Value>) -> Result<Option<bool>, DomainError> {
    match v {
        None => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(b)),
        Some(_) => Err(DomainError::invalid(
            field,
            format!("{field} must be true or false"),
        )),
    }
}

/// `{push, sms, email, close}`; channels left out take their defaults.
fn notify(v: Value) -> Result<NotifyOn, DomainError> {
    let mut map = match v {
        Value::Null => Map::new(),
        Value::Object(m) => m,
        _ => {
            return Err(DomainError::invalid(
                "notify",
                "notify must be an object {push, sms, email, close}",
            ));
        }
    };
    let mut on = NotifyOn::default();
    for (field, slot) in [
        ("notify.push", &mut on.push),
        ("notify.sms", &mut on.sms),
        ("notify.email", &mut on.email),
        ("notify.close", &mut on.close),
    ] {
        let key = field.trim_start_matches("notify.");
        if let Some(b) = flag(field, map.remove(key))? {
            *slot = b;
        }
    }
    if let Some(key) = map.keys().next() {
        return Err(DomainError::invalid(
            "notify",
            format!("notify has no channel {}", json!(key)),
        ));
    }
    Ok(on)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn field(body: Value) -> &'static str {
        let body: RuleBody = serde_json::from_value(body).unwrap();
        match body.input() {
            Err(DomainError::Invalid { field, .. }) => field,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn wrong_json_types_name_their_field() {
        assert_eq!(field(json!({"name": 1})), "name");
        assert_eq!(field(json!({"type": true})), "type");
        assert_eq!(field(json!({"identifier": 3})), "identifier");
        assert_eq!(field(json!({"operator": [">"]})), "operator");
        assert_eq!(field(json!({"message": {}})), "message");
        assert_eq!(field(json!({"enabled": "yes"})), "enabled");
        assert_eq!(field(json!({"notify": "all"})), "notify");
        assert_eq!(field(json!({"notify": {"sms": 1}})), "notify.sms");
        assert_eq!(field(json!({"notify": {"fax": true}})), "notify");
    }

    #[test]
    fn notify_defaults_to_push_only() {
        let body: RuleBody = serde_json::from_value(json!({"notify": {"sms": true}})).unwrap();
        let on = body.input().unwrap().notify.unwrap();
        assert_eq!(
            on,
            NotifyOn {
                push: true,
                sms: true,
                email: false,
                close: false
            }
        );
        let body: RuleBody = serde_json::from_value(json!({"name": null})).unwrap();
        assert!(body.input().unwrap().name.is_none());
    }
}
