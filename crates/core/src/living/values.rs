//! Values of seed 002 requests that parse: pages, device ids, nicknames,
//! push channel ids and kinds, share addresses.

use crate::error::DomainError;
use crate::living::LivingError;
use crate::living::model::Address;
use crate::project::devices::DeviceId;
use crate::values::{Email, Phone};

/// Default page size.
pub const PAGE_SIZE: u64 = 20;
/// Largest page size.
pub const PAGE_SIZE_MAX: u64 = 200;
/// Longest nickname, in characters.
pub const NICKNAME_MAX: usize = 64;
/// Longest push channel id.
pub const PUSH_ID_MAX: usize = 256;

/// A page request: number from 1 and size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub no: u64,
    pub size: u64,
}

impl Default for Page {
    fn default() -> Self {
        Page {
            no: 1,
            size: PAGE_SIZE,
        }
    }
}

impl Page {
    /// `pageNo` (from 1, default 1) and `pageSize` (1 to 200, default 20).
    pub fn parse(no: Option<i64>, size: Option<i64>) -> Result<Page, DomainError> {
        let no = match no {
            None => 1,
            Some(n) if n >= 1 => n.unsigned_abs(),
            Some(_) => return Err(DomainError::invalid("pageNo", "pageNo must be at least 1")),
        };
        let size = match size {
            None => PAGE_SIZE,
            Some(n) if (1..=PAGE_SIZE_MAX as i64).contains(&n) => n.unsigned_abs(),
            Some(_) => {
                return Err(DomainError::invalid(
                    "pageSize",
                    format!("pageSize must be 1 to {PAGE_SIZE_MAX}"),
                ));
            }
        };
        Ok(Page { no, size })
    }

    /// This page of `items`, with the total.
    pub fn cut<T>(self, items: Vec<T>) -> Paged<T> {
        let total = items.len() as u64;
        let skip = usize::try_from((self.no - 1).saturating_mul(self.size)).unwrap_or(usize::MAX);
        let take = usize::try_from(self.size).unwrap_or(usize::MAX);
        Paged {
            total,
            page: self,
            items: items.into_iter().skip(skip).take(take).collect(),
        }
    }
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct Paged<T> {
    pub total: u64,
    pub page: Page,
    pub items: Vec<T>,
}

/// An `iotId`: anything that is not a positive integer names no device the
/// caller is bound to.
pub fn iot_id(raw: &str) -> Result<DeviceId, LivingError> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(LivingError::invalid("iotId", "iotId is required"));
    }
    s.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or(LivingError::NotBound)
}

/// A list of `iotId`s, 1 to `max`, duplicates dropped (order kept).
pub fn iot_ids(
    field: &'static str,
    raw: &[String],
    max: usize,
) -> Result<Vec<DeviceId>, LivingError> {
    if raw.len() > max {
        return Err(LivingError::invalid(
            field,
            format!("{field} holds at most {max} ids"),
        ));
    }
    let mut out = Vec::with_capacity(raw.len());
    for r in raw {
        if r.trim().is_empty() {
            return Err(LivingError::invalid(
                field,
                format!("{field} holds an empty id"),
            ));
        }
        let id = iot_id(r)?;
        if !out.contains(&id) {
            out.push(id);
        }
    }
    Ok(out)
}

/// A user's name for a device: at most 64 characters, no control
/// characters; empty clears it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NickName(String);

impl NickName {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let s = raw.trim();
        if s.chars().count() > NICKNAME_MAX || s.chars().any(char::is_control) {
            return Err(DomainError::invalid(
                "nickName",
                format!("nickName must be at most {NICKNAME_MAX} characters"),
            ));
        }
        Ok(NickName(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A push channel's `deviceId`: 1 to 256 characters without spaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushId(String);

impl PushId {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(DomainError::required("deviceId"));
        }
        if s.len() > PUSH_ID_MAX || s.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err(DomainError::invalid(
                "deviceId",
                format!("deviceId must be at most {PUSH_ID_MAX} characters without spaces"),
            ));
        }
        Ok(PushId(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A push channel's `deviceType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushKind {
    Ios,
    Android,
}

impl PushKind {
    /// `iOS` or `ANDROID`, in any case.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        match raw.trim().to_ascii_uppercase().as_str() {
            "IOS" => Ok(PushKind::Ios),
            "ANDROID" => Ok(PushKind::Android),
            _ => Err(DomainError::invalid(
                "deviceType",
                "deviceType must be iOS or ANDROID",
            )),
        }
    }

    /// As stored and shown: `iOS` or `ANDROID`.
    pub fn as_str(self) -> &'static str {
        match self {
            PushKind::Ios => "iOS",
            PushKind::Android => "ANDROID",
        }
    }
}

/// `accountAttrType` `MOBILE` or `EMAIL` with `accountAttr`.
pub fn address(kind: &str, value: &str) -> Result<Address, DomainError> {
    match kind.trim().to_ascii_uppercase().as_str() {
        "MOBILE" => Ok(Address::Mobile(
            Phone::parse("accountAttr", value)?.as_str().to_owned(),
        )),
        "EMAIL" => Ok(Address::Email(
            Email::parse("accountAttr", value)?.as_str().to_owned(),
        )),
        _ => Err(DomainError::invalid(
            "accountAttrType",
            "accountAttrType must be MOBILE or EMAIL",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_parse_and_cut() {
        assert_eq!(Page::parse(None, None).ok(), Some(Page::default()));
        assert!(Page::parse(Some(0), None).is_err());
        assert!(Page::parse(None, Some(0)).is_err());
        assert!(Page::parse(None, Some(201)).is_err());
        let p = Page::parse(Some(2), Some(2)).ok().unwrap_or_default();
        let cut = p.cut(vec![1, 2, 3, 4, 5]);
        assert_eq!((cut.total, cut.items), (5, vec![3, 4]));
    }

    #[test]
    fn ids_that_name_nothing_read_as_not_bound() {
        assert!(matches!(iot_id("12"), Ok(12)));
        assert!(matches!(iot_id("x"), Err(LivingError::NotBound)));
        assert!(matches!(iot_id("-1"), Err(LivingError::NotBound)));
        assert!(matches!(iot_id(" "), Err(LivingError::Domain(_))));
    }

    #[test]
    fn push_types() {
        assert_eq!(PushKind::parse("ios").ok(), Some(PushKind::Ios));
        assert_eq!(
            PushKind::parse("Android").ok().map(PushKind::as_str),
            Some("ANDROID")
        );
        assert!(PushKind::parse("web").is_err());
        assert!(PushId::parse(" ").is_err());
        assert!(PushId::parse("a b").is_err());
        assert_eq!(
            NickName::parse(" Hall ")
                .ok()
                .map(|n| n.as_str().to_owned()),
            Some("Hall".into())
        );
        assert!(NickName::parse(&"x".repeat(65)).is_err());
    }
}
