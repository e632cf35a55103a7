//! The standard extend infos every device type has, and their values.

use serde_json::{Map, Value, json};

use crate::error::{DomainError, Result};

fn invalid(field: &'static str, message: impl Into<String>) -> DomainError {
    DomainError::invalid(field, message)
}

/// The standard extend infos every device type has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StandardInfo {
    /// `{lng, lat, address?}`: longitude -180..180, latitude -90..90.
    Location,
    /// `{name?, phone?, email?}`: at least one, strings.
    Contact,
}

impl StandardInfo {
    pub const ALL: [StandardInfo; 2] = [StandardInfo::Location, StandardInfo::Contact];

    /// The `info_type`.
    pub fn as_str(self) -> &'static str {
        match self {
            StandardInfo::Location => "location",
            StandardInfo::Contact => "contact",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw.trim())
    }

    /// The definition's name.
    pub fn name(self) -> &'static str {
        match self {
            StandardInfo::Location => "Location",
            StandardInfo::Contact => "Contact",
        }
    }

    /// The definition's description.
    pub fn descr(self) -> &'static str {
        match self {
            StandardInfo::Location => "Where the device is: lng, lat, address",
            StandardInfo::Contact => "Who looks after the device: name, phone, email",
        }
    }

    /// The definition's options: the keys of the value and their types.
    pub fn options(self) -> Value {
        match self {
            StandardInfo::Location => {
                json!({"keys": {"lng": "number", "lat": "number", "address": "string"}})
            }
            StandardInfo::Contact => {
                json!({"keys": {"name": "string", "phone": "string", "email": "string"}})
            }
        }
    }

    /// Checks a value (`field` names it in messages) and returns it as stored.
    pub fn check(self, field: &'static str, value: Value) -> Result<Value> {
        let Value::Object(map) = value else {
            return Err(invalid(field, format!("{field} must be an object")));
        };
        match self {
            StandardInfo::Location => location(field, map),
            StandardInfo::Contact => contact(field, map),
        }
    }
}

fn only_keys(field: &'static str, map: &Map<String, Value>, allowed: &[&str]) -> Result<()> {
    match map.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(invalid(
            field,
            format!(
                "{field}.{k} is not a key of this info type ({})",
                allowed.join(", ")
            ),
        )),
        None => Ok(()),
    }
}

fn text(field: &'static str, map: &Map<String, Value>, key: &str, max: usize) -> Result<()> {
    match map.get(key) {
        None => Ok(()),
        Some(Value::String(s)) if s.chars().count() <= max => Ok(()),
        Some(_) => Err(invalid(
            field,
            format!("{field}.{key} must be a string of at most {max} characters"),
        )),
    }
}

fn location(field: &'static str, map: Map<String, Value>) -> Result<Value> {
    only_keys(field, &map, &["lng", "lat", "address"])?;
    for (key, limit) in [("lng", 180.0), ("lat", 90.0)] {
        let Some(v) = map.get(key) else {
            return Err(invalid(field, format!("{field}.{key} is required")));
        };
        if !v.as_f64().is_some_and(|n| (-limit..=limit).contains(&n)) {
            return Err(invalid(
                field,
                format!("{field}.{key} must be a number from -{limit} to {limit}"),
            ));
        }
    }
    text(field, &map, "address", 256)?;
    Ok(Value::Object(map))
}

fn contact(field: &'static str, map: Map<String, Value>) -> Result<Value> {
    only_keys(field, &map, &["name", "phone", "email"])?;
    if map.is_empty() {
        return Err(invalid(
            field,
            format!("{field} must have at least one of name, phone, email"),
        ));
    }
    text(field, &map, "name", 64)?;
    text(field, &map, "phone", 32)?;
    text(field, &map, "email", 254)?;
    Ok(Value::Object(map))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(r: Result<impl std::fmt::Debug>) -> String {
        match r {
            Err(e) => e.to_string(),
            Ok(v) => panic!("accepted {v:?}"),
        }
    }

    #[test]
    fn locations() {
        let ok = StandardInfo::Location.check(
            "value",
            json!({"lng": 120.1, "lat": 30, "address": "Hangzhou"}),
        );
        assert!(ok.is_ok());
        assert_eq!(
            message(StandardInfo::Location.check("value", json!({"lat": 30}))),
            "value.lng is required"
        );
        assert_eq!(
            message(StandardInfo::Location.check("value", json!({"lng": 181, "lat": 0}))),
            "value.lng must be a number from -180 to 180"
        );
        assert_eq!(
            message(StandardInfo::Location.check("value", json!({"lng": "1", "lat": 0}))),
            "value.lng must be a number from -180 to 180"
        );
        assert!(
            message(StandardInfo::Location.check("value", json!({"lng": 1, "lat": 0, "x": 1})))
                .contains("value.x")
        );
        assert_eq!(
            message(StandardInfo::Location.check("value", json!([1]))),
            "value must be an object"
        );
    }

    #[test]
    fn contacts() {
        assert!(
            StandardInfo::Contact
                .check("value", json!({"phone": "123"}))
                .is_ok()
        );
        assert!(StandardInfo::Contact.check("value", json!({})).is_err());
        assert!(
            StandardInfo::Contact
                .check("value", json!({"phone": 123}))
                .is_err()
        );
    }
}
