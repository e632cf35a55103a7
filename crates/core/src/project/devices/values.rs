//! The rules of the fields of device types, groups and devices, and the
//! standard extend infos. Each check returns the value as stored.

use serde_json::Value;

use crate::error::{DomainError, Result};
use crate::project::Tags;

/// Longest name of a type, group or device, in characters.
pub const NAME_MAX: usize = 128;
/// Longest `descr`, in characters.
pub const DESCR_MAX: usize = 1024;
/// Longest `device_key`, in characters.
pub const DEVICE_KEY_MAX: usize = 128;
/// Most tags a record may have.
pub const TAGS_MAX: usize = 50;
/// Longest tag key, in characters.
pub const TAG_KEY_MAX: usize = 64;
/// Longest tag value, in characters.
pub const TAG_VALUE_MAX: usize = 256;
/// Largest extend-info value or definition `options`, as JSON text.
pub const JSON_MAX: usize = 4096;
/// The connection types a device type may have.
pub const CONN_TYPES: [&str; 3] = ["mqtt", "tcp", "http"];
/// The value types of custom extend infos.
pub const CUSTOM_INFO_TYPES: [&str; 4] = ["string", "number", "boolean", "object"];

fn invalid(field: &'static str, message: impl Into<String>) -> DomainError {
    DomainError::invalid(field, message)
}

/// A required name: trimmed, 1 to [`NAME_MAX`] characters, no control characters.
pub fn name(field: &'static str, raw: &str) -> Result<String> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(DomainError::required(field));
    }
    if s.chars().count() > NAME_MAX || s.chars().any(char::is_control) {
        return Err(invalid(
            field,
            format!("{field} must be at most {NAME_MAX} characters without control characters"),
        ));
    }
    Ok(s.to_owned())
}

/// A description: trimmed, at most [`DESCR_MAX`] characters, may be empty.
pub fn descr(field: &'static str, raw: &str) -> Result<String> {
    let s = raw.trim();
    if s.chars().count() > DESCR_MAX {
        return Err(invalid(
            field,
            format!("{field} must be at most {DESCR_MAX} characters"),
        ));
    }
    Ok(s.to_owned())
}

/// Tags to set: at most [`TAGS_MAX`], keys of 1 to [`TAG_KEY_MAX`]
/// characters, values of at most [`TAG_VALUE_MAX`], no control characters.
pub fn tags(field: &'static str, tags: Tags) -> Result<Tags> {
    if tags.len() > TAGS_MAX {
        return Err(invalid(
            field,
            format!("{field} must have at most {TAGS_MAX} entries"),
        ));
    }
    for (key, value) in &tags {
        tag_key(field, key)?;
        if value.chars().count() > TAG_VALUE_MAX || value.chars().any(char::is_control) {
            return Err(invalid(
                field,
                format!(
                    "{field}.{key} must be at most {TAG_VALUE_MAX} characters without control characters"
                ),
            ));
        }
    }
    Ok(tags)
}

/// A tag key: 1 to [`TAG_KEY_MAX`] characters, no control characters.
pub fn tag_key(field: &'static str, key: &str) -> Result<()> {
    let len = key.chars().count();
    if len == 0 || len > TAG_KEY_MAX || key.chars().any(char::is_control) {
        return Err(invalid(
            field,
            format!(
                "{field} keys must be 1 to {TAG_KEY_MAX} characters without control characters"
            ),
        ));
    }
    Ok(())
}

/// A device key: trimmed, 1 to [`DEVICE_KEY_MAX`] characters, no spaces or
/// control characters.
pub fn device_key(field: &'static str, raw: &str) -> Result<String> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(DomainError::required(field));
    }
    if s.chars().count() > DEVICE_KEY_MAX || s.chars().any(|c| c.is_control() || c.is_whitespace())
    {
        return Err(invalid(
            field,
            format!("{field} must be at most {DEVICE_KEY_MAX} characters without spaces"),
        ));
    }
    Ok(s.to_owned())
}

/// `mqtt`, `tcp` or `http`, in any case.
pub fn conn_type(field: &'static str, raw: &str) -> Result<String> {
    let s = raw.trim().to_ascii_lowercase();
    if CONN_TYPES.contains(&s.as_str()) {
        Ok(s)
    } else {
        Err(invalid(field, format!("{field} must be mqtt, tcp or http")))
    }
}

/// A protocol name: 1 to 32 of `a-z`, `0-9`, `_`, `-` (lower-cased).
pub fn conn_protocol(field: &'static str, raw: &str) -> Result<String> {
    let s = raw.trim().to_ascii_lowercase();
    let ok = (1..=32).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
    if ok {
        Ok(s)
    } else {
        Err(invalid(
            field,
            format!("{field} must be 1 to 32 letters, digits, '_' or '-'"),
        ))
    }
}

/// The value type of a custom extend info.
pub fn custom_info_type(field: &'static str, raw: &str) -> Result<String> {
    let s = raw.trim().to_ascii_lowercase();
    if CUSTOM_INFO_TYPES.contains(&s.as_str()) {
        Ok(s)
    } else {
        Err(invalid(
            field,
            format!("{field} must be string, number, boolean or object"),
        ))
    }
}

/// Definition options: a JSON object of at most [`JSON_MAX`] bytes.
pub fn options(field: &'static str, value: Value) -> Result<Value> {
    if !value.is_object() {
        return Err(invalid(field, format!("{field} must be an object")));
    }
    small(field, field, &value)?;
    Ok(value)
}

fn small(field: &'static str, shown: &str, value: &Value) -> Result<()> {
    if value.to_string().len() > JSON_MAX {
        return Err(invalid(
            field,
            format!("{shown} must be at most {JSON_MAX} bytes as JSON"),
        ));
    }
    Ok(())
}

/// Checks a custom extend-info value against its definition's type.
/// `shown` names the value in the message (`infos.12`).
pub fn custom_value(
    field: &'static str,
    shown: &str,
    info_type: &str,
    value: &Value,
) -> Result<()> {
    let fits = match info_type {
        "string" => value.is_string(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "object" => value.is_object(),
        _ => false,
    };
    if !fits {
        let article = if info_type == "object" { "an" } else { "a" };
        return Err(invalid(
            field,
            format!("{shown} must be {article} {info_type}"),
        ));
    }
    small(field, shown, value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn message(r: Result<impl std::fmt::Debug>) -> String {
        match r {
            Err(e) => e.to_string(),
            Ok(v) => panic!("accepted {v:?}"),
        }
    }

    #[test]
    fn custom_values_match_their_type() {
        assert!(custom_value("infos", "infos.1", "string", &json!("x")).is_ok());
        assert!(custom_value("infos", "infos.1", "number", &json!(1.5)).is_ok());
        assert!(custom_value("infos", "infos.1", "boolean", &json!(true)).is_ok());
        assert!(custom_value("infos", "infos.1", "object", &json!({"a": 1})).is_ok());
        assert_eq!(
            message(custom_value("infos", "infos.1", "number", &json!("1")).map(|_| ())),
            "infos.1 must be a number"
        );
        assert_eq!(
            message(custom_value("infos", "infos.1", "object", &json!([])).map(|_| ())),
            "infos.1 must be an object"
        );
    }

    #[test]
    fn fields() {
        assert_eq!(name("name", "  lamp ").ok().as_deref(), Some("lamp"));
        assert_eq!(message(name("name", " ")), "name is required");
        assert!(device_key("device_key", "a b").is_err());
        assert_eq!(conn_type("conn_type", "MQTT").ok().as_deref(), Some("mqtt"));
        assert!(conn_type("conn_type", "coap").is_err());
        assert!(conn_protocol("conn_protocol", "modbus-rtu").is_ok());
        assert!(conn_protocol("conn_protocol", "").is_err());
        let many: Tags = (0..=TAGS_MAX)
            .map(|i| (i.to_string(), String::new()))
            .collect();
        assert!(tags("tags", many).is_err());
        assert!(tags("tags", Tags::from([(String::new(), "v".into())])).is_err());
    }
}
