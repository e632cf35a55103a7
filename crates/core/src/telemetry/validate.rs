//! What devices may send: payload shapes, identifiers and the limits of
//! docs/device-protocol.md ("Limits"). Every check here refuses a whole
//! message; nothing of a refused message is written.

use serde_json::Value;

use super::ReportError;
use super::model::{Attributes, DataType};

/// Longest attribute or data stream identifier.
pub const IDENTIFIER_MAX: usize = 64;
/// Most identifiers in one attribute report (or push, or cloud write).
pub const ATTRIBUTES_MAX: usize = 256;
/// Most attribute identifiers a device type learns.
pub const MODELS_MAX: usize = 1_000;
/// Longest event or command id (the last topic level).
pub const MESSAGE_ID_MAX: usize = 64;
/// Longest event or command `method`.
pub const METHOD_MAX: usize = 64;

/// Whether `s` is an identifier: `^[A-Za-z_][A-Za-z0-9_]{0,63}$`.
pub fn is_identifier(s: &str) -> bool {
    let mut bytes = s.bytes();
    match bytes.next() {
        Some(b) if b.is_ascii_alphabetic() || b == b'_' => {}
        _ => return false,
    }
    s.len() <= IDENTIFIER_MAX && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Whether `s` is an event or command id: 1 to 64 of `[A-Za-z0-9_.-]`, so
/// that it is one topic level and never a wildcard.
pub fn is_message_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MESSAGE_ID_MAX
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

/// `s` cut to at most `max` characters, for messages.
fn shown(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut cut: String = s.chars().take(max).collect();
        cut.push('…');
        cut
    }
}

fn invalid(message: String) -> ReportError {
    ReportError::Invalid(message)
}

/// An attribute payload: a JSON object of identifiers and values.
pub fn parse_attributes(payload: &[u8]) -> Result<Attributes, ReportError> {
    match serde_json::from_slice::<Value>(payload) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(invalid("attributes must be a JSON object".into())),
        Err(e) => Err(invalid(format!("payload is not valid JSON: {e}"))),
    }
}

/// An event or command reply payload: `{"method": "...", "params": ...}`;
/// `params` is `{}` when absent.
pub fn parse_call(payload: &[u8]) -> Result<(String, Value), ReportError> {
    let value = serde_json::from_slice::<Value>(payload)
        .map_err(|e| invalid(format!("payload is not valid JSON: {e}")))?;
    let Value::Object(mut map) = value else {
        return Err(invalid("payload must be a JSON object".into()));
    };
    let method = match map.remove("method") {
        Some(Value::String(m)) => m,
        Some(_) => return Err(invalid("method must be a string".into())),
        None => return Err(invalid("method is required".into())),
    };
    check_method(&method)?;
    let params = map
        .remove("params")
        .unwrap_or_else(|| Value::Object(Default::default()));
    Ok((method, params))
}

/// A `method`: 1 to [`METHOD_MAX`] characters, no control characters.
pub(crate) fn check_method(method: &str) -> Result<(), ReportError> {
    if method.is_empty()
        || method.chars().count() > METHOD_MAX
        || method.chars().any(char::is_control)
    {
        return Err(invalid(format!(
            "method must be 1 to {METHOD_MAX} characters without control characters"
        )));
    }
    Ok(())
}

/// An event or command id.
pub(crate) fn check_message_id(id: &str) -> Result<(), ReportError> {
    if is_message_id(id) {
        Ok(())
    } else {
        Err(invalid(format!(
            "id \"{}\" must be 1 to {MESSAGE_ID_MAX} letters, digits, '_', '-' or '.'",
            shown(id, MESSAGE_ID_MAX)
        )))
    }
}

/// An identifier (attribute or data stream).
pub(crate) fn check_identifier(identifier: &str) -> Result<(), ReportError> {
    if is_identifier(identifier) {
        Ok(())
    } else {
        Err(invalid(format!(
            "identifier \"{}\" must start with a letter or '_' and hold at most \
             {IDENTIFIER_MAX} letters, digits or '_'",
            shown(identifier, IDENTIFIER_MAX)
        )))
    }
}

/// The shape of a set of attributes: 1 to [`ATTRIBUTES_MAX`] identifiers,
/// each valid, no `null` values.
pub(crate) fn check_attributes(attrs: &Attributes) -> Result<(), ReportError> {
    if attrs.is_empty() {
        return Err(invalid(
            "attributes must hold at least one identifier".into(),
        ));
    }
    if attrs.len() > ATTRIBUTES_MAX {
        return Err(invalid(format!(
            "attributes may hold at most {ATTRIBUTES_MAX} identifiers"
        )));
    }
    for (identifier, value) in attrs {
        check_identifier(identifier)?;
        if DataType::of(value).is_none() {
            return Err(invalid(format!("attribute {identifier} is null")));
        }
    }
    Ok(())
}

/// The message refusing `value` for an identifier of type `expected`.
pub(crate) fn wrong_type(identifier: &str, expected: DataType, got: DataType) -> ReportError {
    invalid(format!(
        "attribute {identifier} is a {}, not a {}",
        expected.as_str(),
        got.as_str()
    ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use serde_json::json;

    use super::*;

    fn attrs(v: Value) -> Attributes {
        match v {
            Value::Object(m) => m,
            _ => panic!("not an object"),
        }
    }

    #[test]
    fn identifiers() {
        for ok in ["a", "_", "temperature", "Relay_1", "_x9", &"a".repeat(64)] {
            assert!(is_identifier(ok), "{ok}");
        }
        for bad in [
            "",
            "1a",
            "a-b",
            "a b",
            "温度",
            "a/b",
            "+",
            "#",
            &"a".repeat(65),
            "é",
        ] {
            assert!(!is_identifier(bad), "{bad}");
        }
    }

    #[test]
    fn message_ids() {
        for ok in ["1", "1000", "abc-DEF_1.2", &"9".repeat(64)] {
            assert!(is_message_id(ok), "{ok}");
        }
        for bad in ["", "a/b", "+", "#", "a b", &"9".repeat(65), "ä"] {
            assert!(!is_message_id(bad), "{bad}");
        }
    }

    #[test]
    fn attribute_payloads() {
        assert_eq!(
            parse_attributes(br#"{"t": 1.5, "on": true}"#).unwrap(),
            attrs(json!({"t": 1.5, "on": true}))
        );
        for bad in [&b"[1]"[..], b"1", b"\"x\"", b"null", b"{", b"\xff", b""] {
            assert!(
                matches!(parse_attributes(bad), Err(ReportError::Invalid(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn attribute_sets() {
        check_attributes(&attrs(
            json!({"a": 1, "b": "x", "c": [1], "d": {"e": null}}),
        ))
        .unwrap();
        let message = |v: Value| match check_attributes(&attrs(v)) {
            Err(ReportError::Invalid(m)) => m,
            other => panic!("{other:?}"),
        };
        assert!(message(json!({})).contains("at least one"));
        assert!(message(json!({"ok": 1, "9bad": 2})).contains("9bad"));
        assert!(message(json!({"a": null})).contains("a is null"));
        let many: Attributes = (0..=ATTRIBUTES_MAX)
            .map(|i| (format!("k{i}"), json!(i)))
            .collect();
        assert!(message(Value::Object(many)).contains("at most 256"));
        let just_enough: Attributes = (0..ATTRIBUTES_MAX)
            .map(|i| (format!("k{i}"), json!(i)))
            .collect();
        check_attributes(&just_enough).unwrap();
        // A long identifier is not echoed whole.
        let long = "x".repeat(10_000);
        assert!(message(json!({ long: 1 })).len() < 300);
    }

    #[test]
    fn calls() {
        assert_eq!(
            parse_call(br#"{"method": "restart", "params": {"delay": 5}}"#).unwrap(),
            ("restart".to_owned(), json!({"delay": 5}))
        );
        assert_eq!(
            parse_call(br#"{"method": "ping"}"#).unwrap(),
            ("ping".to_owned(), json!({}))
        );
        for bad in [
            &br#"{"params": {}}"#[..],
            br#"{"method": 5}"#,
            br#"{"method": ""}"#,
            br#"[]"#,
            b"nope",
        ] {
            assert!(parse_call(bad).is_err(), "{bad:?}");
        }
    }
}
