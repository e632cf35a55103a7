//! Message templates: `${name}` names an attribute of the device's type or
//! a built-in; unknown names are refused when the rule is written.

use serde_json::Value;

use crate::error::DomainError;
use crate::telemetry::AttributeModel;

/// Longest message template, in characters.
pub const MESSAGE_MAX: usize = 500;
/// Placeholders every template may name besides the type's identifiers.
pub const BUILTIN_PLACEHOLDERS: [&str; 5] =
    ["device_name", "device_id", "value", "threshold", "level"];

/// The placeholders `${name}` of a template, in order.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        match after.find('}') {
            Some(end) => {
                found.push(&after[..end]);
                rest = &after[end + 1..];
            }
            None => break,
        }
    }
    found
}

/// A template is 1 to [`MESSAGE_MAX`] characters naming only the type's
/// identifiers and [`BUILTIN_PLACEHOLDERS`].
pub(super) fn check_template(template: &str, models: &[AttributeModel]) -> Result<(), DomainError> {
    let n = template.chars().count();
    if n == 0 || n > MESSAGE_MAX || template.trim().is_empty() {
        return Err(DomainError::invalid(
            "message",
            format!("message must be 1 to {MESSAGE_MAX} characters"),
        ));
    }
    for name in placeholders(template) {
        let known =
            BUILTIN_PLACEHOLDERS.contains(&name) || models.iter().any(|m| m.identifier == name);
        if !known {
            return Err(DomainError::invalid(
                "message",
                format!(
                    "message names ${{{name}}}, which is neither an attribute of this device type nor one of {}",
                    BUILTIN_PLACEHOLDERS.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

/// Fills a template: the type's identifiers from `values` (the report and
/// the device's other current values), the built-ins from `builtins`; an
/// identifier without a value is left as `-`.
pub fn render(
    template: &str,
    values: &serde_json::Map<String, Value>,
    builtins: &[(&str, String)],
) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            return out;
        };
        let name = &after[..end];
        if let Some((_, v)) = builtins.iter().find(|(k, _)| *k == name) {
            out.push_str(v);
        } else {
            match values.get(name) {
                Some(Value::String(s)) => out.push_str(s),
                Some(v) => out.push_str(&v.to_string()),
                None => out.push('-'),
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn renders_templates() {
        let values = json!({"temperature": 31.5, "door": "open"});
        let values = values.as_object().cloned().unwrap_or_default();
        let text = render(
            "${door}: ${temperature} on ${device_name}, ${lock}",
            &values,
            &[("device_name", "lock-1".into())],
        );
        assert_eq!(text, "open: 31.5 on lock-1, -");
    }
}
