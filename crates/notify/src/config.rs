//! The provider settings. A plain serde struct: the server embeds it in its
//! own settings, so the keys are flat (`sms_provider`, `smtp_host`, ...).

use serde::{Deserialize, Deserializer, Serialize};

/// Which provider sends SMS.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmsProvider {
    /// Written to the log and to the outbox file.
    #[default]
    Log,
    /// POSTed as JSON to `sms_webhook_url`.
    Webhook,
}

/// Which provider sends e-mail.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EmailProvider {
    /// Written to the log and to the outbox file.
    #[default]
    Log,
    /// POSTed as JSON to `email_webhook_url`.
    Webhook,
    /// Sent through the SMTP server `smtp_host`.
    Smtp,
}

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpTls {
    /// Plain connection upgraded with STARTTLS (port 587 by default).
    #[default]
    Starttls,
    /// TLS from the first byte (port 465 by default).
    Tls,
    /// No encryption (port 25 by default). Only for a relay on the same host.
    None,
}

impl SmtpTls {
    /// The usual port of the mode.
    pub fn default_port(self) -> u16 {
        match self {
            SmtpTls::Starttls => 587,
            SmtpTls::Tls => 465,
            SmtpTls::None => 25,
        }
    }
}

/// Settings of the SMS and e-mail providers.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NotifyConfig {
    pub sms_provider: SmsProvider,
    pub sms_webhook_url: Option<String>,
    pub email_provider: EmailProvider,
    pub email_webhook_url: Option<String>,
    pub smtp_host: Option<String>,
    /// Defaults to the usual port of `smtp_tls`.
    pub smtp_port: Option<u16>,
    #[serde(deserialize_with = "lenient_string")]
    pub smtp_username: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub smtp_password: Option<String>,
    /// The sender, `name@example.com` or `Name <name@example.com>`.
    pub smtp_from: Option<String>,
    pub smtp_tls: SmtpTls,
    /// Where alarm pushes are POSTed for a push gateway; unset, they are
    /// written to the log and the outbox.
    pub push_webhook_url: Option<String>,
}

/// Never prints the SMTP password, nor credentials in webhook URLs.
impl std::fmt::Debug for NotifyConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let redacted = |v: &Option<String>| v.as_ref().map(|_| "***");
        f.debug_struct("NotifyConfig")
            .field("sms_provider", &self.sms_provider)
            .field("sms_webhook_url", &redacted(&self.sms_webhook_url))
            .field("email_provider", &self.email_provider)
            .field("email_webhook_url", &redacted(&self.email_webhook_url))
            .field("smtp_host", &self.smtp_host)
            .field("smtp_port", &self.smtp_port)
            .field("smtp_username", &self.smtp_username)
            .field("smtp_password", &redacted(&self.smtp_password))
            .field("smtp_from", &self.smtp_from)
            .field("smtp_tls", &self.smtp_tls)
            .field("push_webhook_url", &redacted(&self.push_webhook_url))
            .finish()
    }
}

/// An optional string that also accepts numbers and booleans: environment
/// variables such as `THINGSTEAD_SMTP_PASSWORD=123456` arrive as numbers.
fn lenient_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        S(String),
        U(u64),
        I(i64),
        F(f64),
        B(bool),
    }
    Ok(Option::<Raw>::deserialize(d)?.map(|raw| match raw {
        Raw::S(s) => s,
        Raw::U(n) => n.to_string(),
        Raw::I(n) => n.to_string(),
        Raw::F(n) => n.to_string(),
        Raw::B(b) => b.to_string(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_password() {
        let c = NotifyConfig {
            smtp_password: Some("hunter2".into()),
            ..NotifyConfig::default()
        };
        let shown = format!("{c:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
    }

    #[test]
    fn numbers_are_strings() -> Result<(), serde_json::Error> {
        let c: NotifyConfig =
            serde_json::from_str(r#"{"smtp_password": 123456, "smtp_tls": "tls"}"#)?;
        assert_eq!(c.smtp_password.as_deref(), Some("123456"));
        assert_eq!(c.smtp_tls, SmtpTls::Tls);
        Ok(())
    }
}
