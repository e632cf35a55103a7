//! Values that parse instead of being validated everywhere: once a handler
//! holds a [`Phone`], it is a phone number.

use crate::error::{DomainError, Result};

fn trimmed<'a>(field: &'static str, raw: &'a str) -> Result<&'a str> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(DomainError::required(field));
    }
    Ok(s)
}

/// A phone number without its country prefix: 5 to 15 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl Phone {
    pub fn parse(field: &'static str, raw: &str) -> Result<Self> {
        let s = trimmed(field, raw)?;
        if !(5..=15).contains(&s.len()) || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DomainError::invalid(
                field,
                format!("{field} must be a phone number of 5 to 15 digits"),
            ));
        }
        Ok(Phone(s.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A country calling code such as `+86`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryCode(String);

impl CountryCode {
    /// Accepts `+86`, `86`, and the region `CN` (seed 000's `country`).
    pub fn parse(field: &'static str, raw: &str) -> Result<Self> {
        let s = trimmed(field, raw)?;
        if s.eq_ignore_ascii_case("CN") {
            return Ok(Self::default());
        }
        let digits = s.strip_prefix('+').unwrap_or(s);
        if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DomainError::invalid(
                field,
                format!("{field} must be a country calling code such as +86"),
            ));
        }
        Ok(CountryCode(format!("+{digits}")))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for CountryCode {
    fn default() -> Self {
        CountryCode("+86".into())
    }
}

/// An e-mail address, lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(field: &'static str, raw: &str) -> Result<Self> {
        let s = trimmed(field, raw)?;
        let ok = s.len() <= 254
            && !s.chars().any(char::is_whitespace)
            && s.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            });
        if !ok {
            return Err(DomainError::invalid(
                field,
                format!("{field} must be an e-mail address"),
            ));
        }
        Ok(Email(s.to_ascii_lowercase()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A login name: 2 to 32 letters, digits, `_`, `-` or `.`, not all digits
/// (an all-digit name would be mistaken for a phone number).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub fn parse(field: &'static str, raw: &str) -> Result<Self> {
        let s = trimmed(field, raw)?;
        let charset = s
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
        let len = s.chars().count();
        if !(2..=32).contains(&len) || !charset || s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DomainError::invalid(
                field,
                format!(
                    "{field} must be 2 to 32 letters, digits, '_', '-' or '.', not only digits"
                ),
            ));
        }
        Ok(Username(s.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A customer's login name (seed 003 `account`): 2 to 64 characters without
/// whitespace or control characters. Unlike a [`Username`] it may be all
/// digits; it is stored as the account's user name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account(String);

impl Account {
    /// Parses `raw`; errors name `field`.
    pub fn parse(field: &'static str, raw: &str) -> Result<Self> {
        let s = trimmed(field, raw)?;
        let len = s.chars().count();
        if !(2..=64).contains(&len) || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(DomainError::invalid(
                field,
                format!("{field} must be 2 to 64 characters without spaces"),
            ));
        }
        Ok(Account(s.to_owned()))
    }
    /// The account as stored (the user name).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password as the client sends it (clients may digest it first).
/// 6 to 128 characters. Never printed.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    pub fn parse(field: &'static str, raw: &str) -> Result<Self> {
        if raw.is_empty() {
            return Err(DomainError::required(field));
        }
        let len = raw.chars().count();
        if !(6..=128).contains(&len) {
            return Err(DomainError::invalid(
                field,
                format!("{field} must be 6 to 128 characters"),
            ));
        }
        Ok(Password(raw.to_owned()))
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

/// A display name: 1 to 32 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nickname(String);

impl Nickname {
    pub fn parse(field: &'static str, raw: &str) -> Result<Self> {
        let s = trimmed(field, raw)?;
        if s.chars().count() > 32 || s.chars().any(char::is_control) {
            return Err(DomainError::invalid(
                field,
                format!("{field} must be at most 32 characters without control characters"),
            ));
        }
        Ok(Nickname(s.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An avatar URL: `http://` or `https://`, at most 512 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadUrl(String);

impl HeadUrl {
    pub fn parse(field: &'static str, raw: &str) -> Result<Self> {
        let s = trimmed(field, raw)?;
        if s.len() > 512
            || !(s.starts_with("http://") || s.starts_with("https://"))
            || s.chars().any(char::is_whitespace)
        {
            return Err(DomainError::invalid(
                field,
                format!("{field} must be an http(s) URL of at most 512 characters"),
            ));
        }
        Ok(HeadUrl(s.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A 6-digit verification code. Where a client sends it as a number, the
/// leading zeros it lost are restored.
#[derive(Clone, PartialEq, Eq)]
pub struct Code(String);

impl Code {
    pub fn parse(field: &'static str, raw: &str) -> Result<Self> {
        let s = trimmed(field, raw)?;
        if s.len() > 6 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DomainError::invalid(
                field,
                format!("{field} must be 6 digits"),
            ));
        }
        Ok(Code(format!("{s:0>6}")))
    }
    pub fn from_number(field: &'static str, n: i64) -> Result<Self> {
        if !(0..=999_999).contains(&n) {
            return Err(DomainError::invalid(
                field,
                format!("{field} must be 6 digits"),
            ));
        }
        Ok(Code(format!("{n:06}")))
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Code(***)")
    }
}

/// What a person types to log in: a phone number, an e-mail address or a
/// user name, told apart by their shape; or, when it has none of these
/// shapes, a customer [`Account`] (seed 003), looked up as a user name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginName {
    Phone(Phone),
    Email(Email),
    Username(Username),
    Account(Account),
}

impl LoginName {
    /// Fails with the error of the shape the text looks like when it is not
    /// a valid [`Account`] either.
    pub fn parse(field: &'static str, raw: &str) -> Result<Self> {
        let s = trimmed(field, raw)?;
        let shaped = if s.contains('@') {
            Email::parse(field, s).map(LoginName::Email)
        } else if s.bytes().all(|b| b.is_ascii_digit()) {
            Phone::parse(field, s).map(LoginName::Phone)
        } else {
            Username::parse(field, s).map(LoginName::Username)
        };
        shaped.or_else(|e| {
            Account::parse(field, s)
                .map(LoginName::Account)
                .map_err(|_| e)
        })
    }

    /// The key that login-failure counting uses: the same shape for an
    /// account that exists and one that does not.
    pub fn key(&self) -> String {
        match self {
            LoginName::Phone(p) => format!("phone:{}", p.as_str()),
            LoginName::Email(e) => format!("email:{}", e.as_str()),
            LoginName::Username(u) => format!("username:{}", u.as_str().to_lowercase()),
            LoginName::Account(a) => format!("username:{}", a.as_str().to_lowercase()),
        }
    }
}

/// Where a verification code goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Phone(Phone),
    Email(Email),
}

impl Target {
    /// The stored form: `phone:<digits>` or `email:<address>`.
    pub fn key(&self) -> String {
        match self {
            Target::Phone(p) => format!("phone:{}", p.as_str()),
            Target::Email(e) => format!("email:{}", e.as_str()),
        }
    }
    pub fn address(&self) -> &str {
        match self {
            Target::Phone(p) => p.as_str(),
            Target::Email(e) => e.as_str(),
        }
    }
    pub fn channel(&self) -> crate::notify::Channel {
        match self {
            Target::Phone(_) => crate::notify::Channel::Sms,
            Target::Email(_) => crate::notify::Channel::Email,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_restores_leading_zeros() {
        assert_eq!(
            Code::parse("c", "1234").map(|c| c.0).ok(),
            Some("001234".into())
        );
        assert_eq!(
            Code::from_number("c", 42).map(|c| c.0).ok(),
            Some("000042".into())
        );
        assert!(Code::parse("c", "12a456").is_err());
        assert!(Code::from_number("c", 1_000_000).is_err());
    }

    #[test]
    fn login_name_tells_shapes_apart() {
        assert!(matches!(
            LoginName::parse("u", "13800000000"),
            Ok(LoginName::Phone(_))
        ));
        assert!(matches!(
            LoginName::parse("u", "A@B.cn"),
            Ok(LoginName::Email(_))
        ));
        assert!(matches!(
            LoginName::parse("u", "alice"),
            Ok(LoginName::Username(_))
        ));
        assert!(LoginName::parse("u", "  ").is_err());
        // Customer accounts that fit no narrower shape.
        assert!(matches!(
            LoginName::parse("u", "1234"),
            Ok(LoginName::Account(_))
        ));
        assert!(matches!(
            LoginName::parse("u", "a+b"),
            Ok(LoginName::Account(_))
        ));
        assert!(matches!(
            LoginName::parse("u", "x@y"),
            Ok(LoginName::Account(_))
        ));
        assert!(LoginName::parse("u", "x").is_err());
        assert!(LoginName::parse("u", "a b").is_err());
    }

    #[test]
    fn account_rule() {
        assert!(Account::parse("a", "13800001111").is_ok());
        assert!(Account::parse("a", "张三").is_ok());
        assert!(Account::parse("a", &"x".repeat(64)).is_ok());
        assert!(Account::parse("a", &"x".repeat(65)).is_err());
        assert!(Account::parse("a", "x").is_err());
        assert!(Account::parse("a", "a\tb").is_err());
        assert!(matches!(
            Account::parse("account", " "),
            Err(DomainError::Invalid {
                field: "account",
                ..
            })
        ));
    }

    #[test]
    fn country_code_accepts_region_and_prefix() {
        assert_eq!(
            CountryCode::parse("c", "CN").ok().map(|c| c.0),
            Some("+86".into())
        );
        assert_eq!(
            CountryCode::parse("c", "1").ok().map(|c| c.0),
            Some("+1".into())
        );
        assert!(CountryCode::parse("c", "+x").is_err());
    }
}
