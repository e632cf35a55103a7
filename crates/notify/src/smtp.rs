//! The SMTP e-mail provider.

use std::time::Duration;

use async_trait::async_trait;
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use thingstead_core::notify::{Alert, AlertSender, Message, SendError, Sender};

use crate::config::{NotifyConfig, SmtpTls};
use crate::required;

/// The subject of every verification e-mail.
pub const SUBJECT: &str = "Verification code";

/// How long one SMTP exchange may take.
const SMTP_TIMEOUT: Duration = Duration::from_secs(15);

/// What the SMTP provider needs, checked.
#[derive(Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub username: Option<String>,
    pub password: Option<String>,
    pub from: String,
    pub tls: SmtpTls,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("from", &self.from)
            .field("tls", &self.tls)
            .finish()
    }
}

impl SmtpSettings {
    /// The SMTP settings of `config`, or which one is missing.
    pub fn from_config(config: &NotifyConfig) -> Result<Self, String> {
        let what = "the smtp e-mail provider";
        let host = required(config.smtp_host.as_deref(), "smtp_host", what)?.to_owned();
        let from = required(config.smtp_from.as_deref(), "smtp_from", what)?.to_owned();
        let username = config.smtp_username.clone().filter(|u| !u.is_empty());
        if username.is_some() && config.smtp_password.is_none() {
            return Err("smtp_username is set but smtp_password is not: set it with --smtp-password or THINGSTEAD_SMTP_PASSWORD".into());
        }
        Ok(SmtpSettings {
            host,
            port: config.smtp_port.unwrap_or(config.smtp_tls.default_port()),
            username,
            password: config.smtp_password.clone(),
            from,
            tls: config.smtp_tls,
        })
    }
}

/// Sends each message as a plain-text e-mail.
pub struct SmtpSender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    host: String,
}

impl SmtpSender {
    /// Must be called inside a Tokio runtime (the connection pool lives there).
    pub fn new(settings: &SmtpSettings) -> Result<Self, String> {
        let from: Mailbox = settings
            .from
            .parse()
            .map_err(|e| format!("smtp_from is not an e-mail address ({e}); fix it with --smtp-from or THINGSTEAD_SMTP_FROM"))?;
        if tokio::runtime::Handle::try_current().is_err() {
            return Err("the SMTP provider must be set up inside a Tokio runtime".into());
        }
        crate::install_tls_provider();
        let bad_host = |e: lettre::transport::smtp::Error| {
            format!(
                "cannot set up SMTP to {} ({e}); check --smtp-host",
                settings.host
            )
        };
        let mut builder = match settings.tls {
            SmtpTls::Tls => {
                AsyncSmtpTransport::<Tokio1Executor>::relay(&settings.host).map_err(bad_host)?
            }
            SmtpTls::Starttls => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&settings.host)
                    .map_err(bad_host)?
            }
            SmtpTls::None => {
                AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(settings.host.as_str())
            }
        }
        .port(settings.port)
        .timeout(Some(SMTP_TIMEOUT));
        if let Some(username) = &settings.username {
            builder = builder.credentials(Credentials::new(
                username.clone(),
                settings.password.clone().unwrap_or_default(),
            ));
        }
        Ok(SmtpSender {
            transport: builder.build(),
            from,
            host: settings.host.clone(),
        })
    }
}

impl SmtpSender {
    /// Sends one plain-text e-mail; `what` names it in the log.
    async fn mail(&self, to: &str, subject: &str, text: &str, what: &str) -> Result<(), SendError> {
        let mailbox: Mailbox = to
            .parse()
            .map_err(|e| SendError(format!("not an e-mail address: {e}")))?;
        let email = lettre::Message::builder()
            .from(self.from.clone())
            .to(mailbox)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(text.to_owned())
            .map_err(|e| SendError(format!("cannot build the e-mail: {e}")))?;
        match self.transport.send(email).await {
            Ok(_) => {
                tracing::info!(to = %crate::mask(to), host = %self.host, what, "e-mail sent");
                Ok(())
            }
            Err(e) => {
                tracing::warn!(host = %self.host, error = %e, "SMTP delivery failed");
                Err(SendError(format!("SMTP delivery failed: {e}")))
            }
        }
    }
}

#[async_trait]
impl Sender for SmtpSender {
    async fn send(&self, message: &Message) -> Result<(), SendError> {
        self.mail(
            &message.to,
            SUBJECT,
            &message.text,
            message.purpose.as_str(),
        )
        .await
    }
}

#[async_trait]
impl AlertSender for SmtpSender {
    async fn send_alert(&self, alert: &Alert) -> Result<(), SendError> {
        self.mail(&alert.to, &alert.subject, &alert.text, "alarm")
            .await
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn settings_need_host_and_from() {
        let mut c = NotifyConfig::default();
        assert!(
            SmtpSettings::from_config(&c)
                .unwrap_err()
                .contains("--smtp-host")
        );
        c.smtp_host = Some("mail.example.com".into());
        assert!(
            SmtpSettings::from_config(&c)
                .unwrap_err()
                .contains("--smtp-from")
        );
        c.smtp_from = Some("Thingstead <no-reply@example.com>".into());
        c.smtp_tls = SmtpTls::Tls;
        let s = SmtpSettings::from_config(&c).unwrap();
        assert_eq!(s.port, 465);
        assert!(SmtpSender::new(&s).is_ok());
    }

    #[test]
    fn bad_from_is_refused() {
        let s = SmtpSettings {
            host: "mail.example.com".into(),
            port: 587,
            username: None,
            password: None,
            from: "not an address".into(),
            tls: SmtpTls::Starttls,
        };
        assert!(
            SmtpSender::new(&s)
                .err()
                .unwrap_or_default()
                .contains("smtp_from")
        );
    }
}
