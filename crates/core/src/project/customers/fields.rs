//! Field rules of customers and roles that the identity values do not
//! cover: notes, locales, role names and tags.

use crate::error::{DomainError, Result};
use crate::project::Tags;

/// Most tags a customer holds after a merge.
pub const MAX_TAGS: usize = 64;
/// Longest tag key, in characters.
const MAX_TAG_KEY: usize = 64;
/// Longest tag value, in characters.
const MAX_TAG_VALUE: usize = 256;
/// Longest note, in characters.
const MAX_DESCR: usize = 256;

/// A note (`descr`): at most 256 characters, trimmed; may be empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Descr(String);

impl Descr {
    /// Parses `raw`; errors name `field`.
    pub fn parse(field: &'static str, raw: &str) -> Result<Self> {
        let s = raw.trim();
        if s.chars().count() > MAX_DESCR
            || s.chars().any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            return Err(DomainError::invalid(
                field,
                format!("{field} must be at most {MAX_DESCR} characters"),
            ));
        }
        Ok(Descr(s.to_owned()))
    }
    /// The value as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A locale such as `zh-CN` or `en`: 2 to 16 ASCII letters, digits, `-`
/// or `_`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locale(String);

impl Locale {
    /// Parses `raw`; errors name `field`.
    pub fn parse(field: &'static str, raw: &str) -> Result<Self> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(DomainError::required(field));
        }
        let ok = (2..=16).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !ok {
            return Err(DomainError::invalid(
                field,
                format!("{field} must be a locale such as zh-CN or en"),
            ));
        }
        Ok(Locale(s.to_owned()))
    }
    /// The value as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A role name: 1 to 64 characters without control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleName(String);

impl RoleName {
    /// Parses `raw`; errors name `field`.
    pub fn parse(field: &'static str, raw: &str) -> Result<Self> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(DomainError::required(field));
        }
        if s.chars().count() > 64 || s.chars().any(char::is_control) {
            return Err(DomainError::invalid(
                field,
                format!("{field} must be at most 64 characters without control characters"),
            ));
        }
        Ok(RoleName(s.to_owned()))
    }
    /// The value as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Checks tags sent by a client: at most [`MAX_TAGS`] keys of 1 to 64
/// characters, values of at most 256 characters.
pub fn check_tags(field: &'static str, tags: &Tags) -> Result<()> {
    if tags.len() > MAX_TAGS {
        return Err(DomainError::invalid(
            field,
            format!("{field} may hold at most {MAX_TAGS} keys"),
        ));
    }
    for (key, value) in tags {
        let key_len = key.chars().count();
        if key.trim().is_empty() || key_len > MAX_TAG_KEY || key.chars().any(char::is_control) {
            return Err(DomainError::invalid(
                field,
                format!("{field} keys must be 1 to {MAX_TAG_KEY} characters"),
            ));
        }
        if value.chars().count() > MAX_TAG_VALUE || value.chars().any(char::is_control) {
            return Err(DomainError::invalid(
                field,
                format!("{field} values must be at most {MAX_TAG_VALUE} characters"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules() {
        assert_eq!(Descr::parse("d", "  note ").unwrap().as_str(), "note");
        assert!(Descr::parse("d", "").is_ok());
        assert!(Descr::parse("d", &"x".repeat(257)).is_err());
        assert!(Locale::parse("l", "zh-CN").is_ok());
        assert!(Locale::parse("l", "en").is_ok());
        assert!(Locale::parse("l", "e").is_err());
        assert!(Locale::parse("l", "zh CN").is_err());
        assert!(RoleName::parse("n", "family").is_ok());
        assert!(matches!(
            RoleName::parse("name", " "),
            Err(DomainError::Invalid { field: "name", .. })
        ));
        let mut tags = Tags::new();
        tags.insert("k".into(), "v".into());
        assert!(check_tags("tags", &tags).is_ok());
        tags.insert(" ".into(), "v".into());
        assert!(check_tags("tags", &tags).is_err());
        let many: Tags = (0..=MAX_TAGS)
            .map(|i| (i.to_string(), String::new()))
            .collect();
        assert!(check_tags("tags", &many).is_err());
    }
}
