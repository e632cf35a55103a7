//! Outgoing SMS and e-mail: the providers behind
//! [`thingstead_core::notify::Sender`].
//!
//! - [`LogSender`] (the embedded default) writes one line per message to the
//!   log, without the code, and the whole message to `<data-dir>/outbox.jsonl`.
//! - [`WebhookSender`] posts the message as JSON to an HTTP endpoint that an
//!   SMS or e-mail gateway sits behind.
//! - [`SmtpSender`] sends e-mail over SMTP.
//!
//! App pushes of alarms go to the log provider, or to the webhook at
//! `push_webhook_url` when it is set.
//!
//! [`build`] turns a [`NotifyConfig`] into the providers.

mod config;
mod log;
mod smtp;
mod webhook;

use std::path::Path;
use std::sync::Arc;

use thingstead_core::alarms::Providers as AlarmProviders;
use thingstead_core::notify::{AlertSender, Pusher, Sender};

pub use config::{EmailProvider, NotifyConfig, SmsProvider, SmtpTls};
pub use log::{LogSender, OUTBOX_FILE, OutboxEntry};
pub use smtp::{SmtpSender, SmtpSettings};
pub use webhook::{WEBHOOK_TIMEOUT, WebhookSender};

/// The providers: verification codes by SMS and e-mail, and alarms.
pub struct Senders {
    pub sms: Arc<dyn Sender>,
    pub email: Arc<dyn Sender>,
    pub alarms: AlarmProviders,
}

/// Installs ring as the process's TLS crypto provider: reqwest and lettre are
/// built without a default one. Every client this crate builds calls it; a
/// second install is refused harmlessly.
pub fn install_tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Builds the providers. `data_dir` is where the log provider keeps its
/// outbox. Errors are one sentence naming the setting to fix. Call it
/// inside a Tokio runtime (the SMTP pool lives there).
pub fn build(config: &NotifyConfig, data_dir: &Path) -> Result<Senders, String> {
    // Every channel that logs shares one outbox (and one lock on it).
    let mut outbox: Option<Arc<LogSender>> = None;
    let mut log_sender = || -> Result<Arc<LogSender>, String> {
        if let Some(existing) = &outbox {
            return Ok(existing.clone());
        }
        let created = Arc::new(LogSender::open(&data_dir.join(OUTBOX_FILE))?);
        outbox = Some(created.clone());
        Ok(created)
    };

    let (sms, sms_alerts): (Arc<dyn Sender>, Arc<dyn AlertSender>) = match config.sms_provider {
        SmsProvider::Log => {
            let s = log_sender()?;
            (s.clone(), s)
        }
        SmsProvider::Webhook => {
            let url = required(
                config.sms_webhook_url.as_deref(),
                "sms_webhook_url",
                "the webhook SMS provider",
            )?;
            let s = Arc::new(WebhookSender::new(url)?);
            (s.clone(), s)
        }
    };
    let (email, email_alerts): (Arc<dyn Sender>, Arc<dyn AlertSender>) = match config.email_provider
    {
        EmailProvider::Log => {
            let s = log_sender()?;
            (s.clone(), s)
        }
        EmailProvider::Webhook => {
            let url = required(
                config.email_webhook_url.as_deref(),
                "email_webhook_url",
                "the webhook e-mail provider",
            )?;
            let s = Arc::new(WebhookSender::new(url)?);
            (s.clone(), s)
        }
        EmailProvider::Smtp => {
            let s = Arc::new(SmtpSender::new(&SmtpSettings::from_config(config)?)?);
            (s.clone(), s)
        }
    };
    let push: Arc<dyn Pusher> = match config.push_webhook_url.as_deref().map(str::trim) {
        Some(url) if !url.is_empty() => {
            Arc::new(WebhookSender::new(url).map_err(|e| format!("{e}; check --push-webhook-url"))?)
        }
        _ => log_sender()?,
    };
    Ok(Senders {
        sms,
        email,
        alarms: AlarmProviders {
            push,
            sms: sms_alerts,
            email: email_alerts,
        },
    })
}

/// A setting that must be present, as a clear error when it is not.
pub(crate) fn required<'a>(
    value: Option<&'a str>,
    key: &str,
    what: &str,
) -> Result<&'a str, String> {
    match value.map(str::trim) {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(format!(
            "{what} needs {key}: set it with --{} or THINGSTEAD_{}",
            key.replace('_', "-"),
            key.to_ascii_uppercase()
        )),
    }
}

/// The address with most of it hidden, for log lines: `138****0000`,
/// `a***@example.com`.
pub fn mask(address: &str) -> String {
    if let Some((local, domain)) = address.split_once('@') {
        let first: String = local.chars().take(1).collect();
        return format!("{first}***@{domain}");
    }
    let chars: Vec<char> = address.chars().collect();
    let n = chars.len();
    let (head, tail) = if n >= 8 {
        (3, 4)
    } else if n >= 4 {
        (1, 2)
    } else {
        (0, 0)
    };
    let head: String = chars[..head].iter().collect();
    let tail: String = chars[n - tail..].iter().collect();
    format!("{head}****{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_addresses() {
        assert_eq!(mask("13800000000"), "138****0000");
        assert_eq!(mask("alice@example.com"), "a***@example.com");
        assert_eq!(mask("12345"), "1****45");
        assert_eq!(mask("12"), "****");
    }

    #[test]
    fn webhook_needs_url() {
        let config = NotifyConfig {
            sms_provider: SmsProvider::Webhook,
            ..NotifyConfig::default()
        };
        let err = build(&config, Path::new("/nonexistent"))
            .err()
            .unwrap_or_default();
        assert!(err.contains("--sms-webhook-url"), "{err}");
    }
}
