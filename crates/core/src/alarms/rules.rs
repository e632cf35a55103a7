//! Alarm rules: a condition on what a device of a type reports, a level, a
//! message template and an optional recovery condition. [`RuleSpec::check`]
//! turns a company's request into a rule the engine can evaluate, refusing
//! identifiers the type does not have, thresholds of the wrong type and
//! unknown template placeholders.

use serde_json::Value;

use super::template::check_template;
use crate::Time;
use crate::error::DomainError;
use crate::model::ProjectId;
use crate::project::devices::DeviceTypeId;
use crate::telemetry::{AttributeModel, DataType, is_identifier};

/// Id of an alarm rule.
pub type RuleId = i64;

/// Most rules on one device type.
pub const RULES_PER_TYPE_MAX: usize = 100;
/// Longest "offline for N seconds".
pub const OFFLINE_SECONDS_MAX: u64 = 30 * 24 * 3600;

/// A comparison of a reported value with a threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    Gt,
    Ge,
    Lt,
    Le,
    Eq,
    Ne,
}

impl Operator {
    pub fn parse(s: &str) -> Option<Operator> {
        Some(match s {
            ">" => Operator::Gt,
            ">=" => Operator::Ge,
            "<" => Operator::Lt,
            "<=" => Operator::Le,
            "==" => Operator::Eq,
            "!=" => Operator::Ne,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Gt => ">",
            Operator::Ge => ">=",
            Operator::Lt => "<",
            Operator::Le => "<=",
            Operator::Eq => "==",
            Operator::Ne => "!=",
        }
    }

    /// Whether the operator orders values (and so needs numbers).
    pub fn orders(self) -> bool {
        !matches!(self, Operator::Eq | Operator::Ne)
    }

    /// `value <op> threshold`; values of another type never match.
    pub fn holds(self, value: &Value, threshold: &Value) -> bool {
        if let (Some(v), Some(t)) = (value.as_f64(), threshold.as_f64()) {
            return match self {
                Operator::Gt => v > t,
                Operator::Ge => v >= t,
                Operator::Lt => v < t,
                Operator::Le => v <= t,
                Operator::Eq => v == t,
                Operator::Ne => v != t,
            };
        }
        match self {
            Operator::Eq => value == threshold,
            Operator::Ne => DataType::of(value) == DataType::of(threshold) && value != threshold,
            _ => false,
        }
    }
}

/// A comparison of one attribute with a threshold.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub identifier: String,
    pub operator: Operator,
    pub threshold: Value,
}

impl Comparison {
    /// Whether the report decides this comparison: `None` when it does not
    /// carry the identifier.
    pub fn decide(&self, attrs: &serde_json::Map<String, Value>) -> Option<bool> {
        attrs
            .get(&self.identifier)
            .map(|v| self.operator.holds(v, &self.threshold))
    }
}

/// What makes an alarm open.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// An attribute report compares true.
    Attribute(Comparison),
    /// The device has been offline for this many seconds; it closes when
    /// the device connects again.
    Offline { seconds: u64 },
    /// The device reports the event `identifier` (its `method`); it stays
    /// open until the recovery condition holds or an operator clears it.
    Event { identifier: String },
}

impl Condition {
    /// `attribute`, `offline` or `event`, as shown.
    pub fn kind(&self) -> &'static str {
        match self {
            Condition::Attribute(_) => "attribute",
            Condition::Offline { .. } => "offline",
            Condition::Event { .. } => "event",
        }
    }
}

/// How urgent an alarm is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Level(u8);

impl Level {
    pub const NORMAL: Level = Level(1);

    /// 1 normal, 2 serious, 3 urgent.
    pub fn parse(n: i64) -> Option<Level> {
        (1..=3).contains(&n).then_some(Level(n as u8))
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

/// Which channels a rule notifies on, besides app push.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotifyOn {
    /// App push to every bound push channel.
    pub push: bool,
    pub sms: bool,
    pub email: bool,
    /// Also notify when the alarm closes.
    pub close: bool,
}

impl Default for NotifyOn {
    fn default() -> Self {
        NotifyOn {
            push: true,
            sms: false,
            email: false,
            close: false,
        }
    }
}

/// A rule as the company sends it, before it is checked.
#[derive(Debug, Clone, Default)]
pub struct RuleInput {
    /// `attribute` (default), `offline` or `event`.
    pub kind: Option<String>,
    pub name: Option<String>,
    pub identifier: Option<String>,
    pub operator: Option<String>,
    pub threshold: Option<Value>,
    pub offline_seconds: Option<Value>,
    pub level: Option<Value>,
    pub message: Option<String>,
    /// `{"identifier", "operator", "threshold"}` or null.
    pub recovery: Option<Value>,
    pub notify: Option<NotifyOn>,
    pub enabled: Option<bool>,
}

/// A checked rule, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSpec {
    pub name: String,
    pub condition: Condition,
    pub recovery: Option<Comparison>,
    pub level: Level,
    pub message: String,
    pub notify: NotifyOn,
    pub enabled: bool,
}

/// A stored rule.
#[derive(Debug, Clone, PartialEq)]
pub struct AlarmRule {
    pub id: RuleId,
    pub project_id: ProjectId,
    pub type_id: DeviceTypeId,
    pub spec: RuleSpec,
    pub created_at: Time,
}

impl RuleInput {
    /// Checks the rule against the type's attribute models.
    pub fn check(self, models: &[AttributeModel]) -> Result<RuleSpec, DomainError> {
        let kind = self.kind.as_deref().unwrap_or("attribute");
        let condition = match kind {
            "attribute" => Condition::Attribute(comparison(
                "",
                self.identifier.as_deref(),
                self.operator.as_deref(),
                self.threshold.as_ref(),
                models,
            )?),
            "offline" => {
                let seconds = self
                    .offline_seconds
                    .as_ref()
                    .ok_or(DomainError::required("offline_seconds"))?
                    .as_u64()
                    .filter(|s| (1..=OFFLINE_SECONDS_MAX).contains(s))
                    .ok_or_else(|| {
                        DomainError::invalid(
                            "offline_seconds",
                            format!("offline_seconds must be a whole number from 1 to {OFFLINE_SECONDS_MAX}"),
                        )
                    })?;
                Condition::Offline { seconds }
            }
            "event" => {
                let identifier = self
                    .identifier
                    .as_deref()
                    .ok_or(DomainError::required("identifier"))?;
                if !is_identifier(identifier) {
                    return Err(DomainError::invalid(
                        "identifier",
                        "identifier must name an event: letters, digits and '_', at most 64",
                    ));
                }
                Condition::Event {
                    identifier: identifier.to_owned(),
                }
            }
            _ => {
                return Err(DomainError::invalid(
                    "type",
                    "type must be attribute, offline or event",
                ));
            }
        };
        let recovery = match self.recovery {
            None | Some(Value::Null) => None,
            Some(Value::Object(r)) => {
                if matches!(condition, Condition::Offline { .. }) {
                    return Err(DomainError::invalid(
                        "recovery",
                        "an offline rule recovers when the device connects; it takes no recovery condition",
                    ));
                }
                let text = |k: &str| r.get(k).and_then(Value::as_str);
                Some(comparison(
                    "recovery.",
                    text("identifier"),
                    text("operator"),
                    r.get("threshold"),
                    models,
                )?)
            }
            Some(_) => {
                return Err(DomainError::invalid(
                    "recovery",
                    "recovery must be an object {identifier, operator, threshold} or null",
                ));
            }
        };
        let level = match &self.level {
            None => Level::NORMAL,
            Some(v) => v.as_i64().and_then(Level::parse).ok_or_else(|| {
                DomainError::invalid(
                    "level",
                    "level must be 1 (normal), 2 (serious) or 3 (urgent)",
                )
            })?,
        };
        let message = self.message.ok_or(DomainError::required("message"))?;
        check_template(&message, models)?;
        let name = self.name.unwrap_or_default();
        if name.chars().count() > 64 {
            return Err(DomainError::invalid(
                "name",
                "name must be at most 64 characters",
            ));
        }
        Ok(RuleSpec {
            name,
            condition,
            recovery,
            level,
            message,
            notify: self.notify.unwrap_or_default(),
            enabled: self.enabled.unwrap_or(true),
        })
    }
}

/// Checks one comparison; `prefix` names the enclosing field in messages.
fn comparison(
    prefix: &str,
    identifier: Option<&str>,
    operator: Option<&str>,
    threshold: Option<&Value>,
    models: &[AttributeModel],
) -> Result<Comparison, DomainError> {
    let field = |name: &'static str, recovery: &'static str| {
        if prefix.is_empty() { name } else { recovery }
    };
    let f_id = field("identifier", "recovery.identifier");
    let f_op = field("operator", "recovery.operator");
    let f_th = field("threshold", "recovery.threshold");
    let identifier = identifier.ok_or(DomainError::required(f_id))?;
    let model = models
        .iter()
        .find(|m| m.identifier == identifier)
        .ok_or_else(|| {
            DomainError::invalid(
                f_id,
                format!(
                    "{prefix}identifier {identifier:?} is not an attribute of this device type"
                ),
            )
        })?;
    let operator = operator.ok_or(DomainError::required(f_op))?;
    let operator = Operator::parse(operator).ok_or_else(|| {
        DomainError::invalid(
            f_op,
            format!("{prefix}operator must be one of >, >=, <, <=, ==, !="),
        )
    })?;
    let threshold = threshold.ok_or(DomainError::required(f_th))?;
    let threshold_type = DataType::of(threshold);
    let fits = match model.data_type {
        DataType::Number => threshold_type == Some(DataType::Number),
        DataType::String | DataType::Boolean => {
            !operator.orders() && threshold_type == Some(model.data_type)
        }
        DataType::Json => false,
    };
    if !fits {
        let wanted = match model.data_type {
            DataType::Number => "a number".to_owned(),
            DataType::Json => "not compared: the attribute holds JSON".to_owned(),
            t => format!("a {} compared with == or !=", t.as_str()),
        };
        return Err(DomainError::invalid(
            f_th,
            format!("{prefix}threshold for {identifier:?} must be {wanted}"),
        ));
    }
    Ok(Comparison {
        identifier: identifier.to_owned(),
        operator,
        threshold: threshold.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::telemetry::AttrType;
    use serde_json::json;

    fn models() -> Vec<AttributeModel> {
        let m = |id: &str, t| AttributeModel {
            identifier: id.into(),
            name: id.into(),
            attr_type: AttrType::Report,
            data_type: t,
        };
        vec![
            m("temperature", DataType::Number),
            m("door", DataType::String),
            m("lock", DataType::Boolean),
        ]
    }

    fn input(identifier: &str, op: &str, threshold: Value, message: &str) -> RuleInput {
        RuleInput {
            identifier: Some(identifier.into()),
            operator: Some(op.into()),
            threshold: Some(threshold),
            message: Some(message.into()),
            ..RuleInput::default()
        }
    }

    fn field(r: Result<RuleSpec, DomainError>) -> String {
        match r {
            Err(DomainError::Invalid { field, .. }) => field.to_owned(),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn checks_rules_against_the_type() {
        let ok = input(
            "temperature",
            ">",
            json!(30),
            "hot: ${temperature} on ${device_name}",
        )
        .check(&models());
        assert!(ok.is_ok(), "{ok:?}");
        assert_eq!(
            field(input("humidity", ">", json!(1), "x").check(&models())),
            "identifier"
        );
        assert_eq!(
            field(input("temperature", ">", json!("30"), "x").check(&models())),
            "threshold"
        );
        assert_eq!(
            field(input("door", ">", json!("open"), "x").check(&models())),
            "threshold"
        );
        assert!(
            input("door", "==", json!("open"), "x")
                .check(&models())
                .is_ok()
        );
        assert_eq!(
            field(input("lock", "==", json!(1), "x").check(&models())),
            "threshold"
        );
        assert_eq!(
            field(input("temperature", "=>", json!(1), "x").check(&models())),
            "operator"
        );
        assert_eq!(
            field(input("temperature", ">", json!(1), "${humidity}").check(&models())),
            "message"
        );
        let mut r = input("temperature", ">", json!(30), "x");
        r.recovery = Some(json!({"identifier": "temperature", "operator": "<", "threshold": "a"}));
        assert_eq!(field(r.check(&models())), "recovery.threshold");
        let mut r = input("temperature", ">", json!(30), "x");
        r.level = Some(json!(4));
        assert_eq!(field(r.check(&models())), "level");
    }

    #[test]
    fn offline_and_event_rules() {
        let r = RuleInput {
            kind: Some("offline".into()),
            offline_seconds: Some(json!(60)),
            message: Some("gone".into()),
            ..RuleInput::default()
        };
        assert_eq!(
            r.check(&models()).map(|s| s.condition).ok(),
            Some(Condition::Offline { seconds: 60 })
        );
        let r = RuleInput {
            kind: Some("event".into()),
            identifier: Some("tamper".into()),
            message: Some("tampered".into()),
            ..RuleInput::default()
        };
        assert!(r.check(&models()).is_ok());
    }

    #[test]
    fn operators_compare_by_type() {
        assert!(Operator::Gt.holds(&json!(31.5), &json!(30)));
        assert!(!Operator::Gt.holds(&json!("31"), &json!(30)));
        assert!(Operator::Eq.holds(&json!("open"), &json!("open")));
        assert!(Operator::Ne.holds(&json!(false), &json!(true)));
        assert!(!Operator::Ne.holds(&json!("x"), &json!(true)));
    }
}
