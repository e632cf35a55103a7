//! Outgoing SMS and e-mail. Providers live in the notify crate; the domain
//! only sees [`Sender`].

use async_trait::async_trait;

use crate::model::CodePurpose;

/// How a message travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Sms,
    Email,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Email => "email",
        }
    }
}

/// One message carrying a verification code.
#[derive(Debug, Clone)]
pub struct Message {
    pub channel: Channel,
    /// Phone number (without country prefix) or e-mail address.
    pub to: String,
    /// Country calling code for SMS, such as `+86`.
    pub country_code: String,
    pub purpose: CodePurpose,
    pub code: String,
    pub text: String,
}

/// Why a provider could not deliver.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SendError(pub String);

/// Delivers messages of one channel.
#[async_trait]
pub trait Sender: Send + Sync {
    async fn send(&self, message: &Message) -> Result<(), SendError>;
}
