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

/// An alarm notification by SMS or e-mail.
#[derive(Debug, Clone)]
pub struct Alert {
    pub channel: Channel,
    /// Phone number (without country prefix) or e-mail address.
    pub to: String,
    /// Country calling code for SMS, such as `+86`.
    pub country_code: String,
    /// The e-mail subject.
    pub subject: String,
    pub text: String,
}

/// Delivers alarm notifications of one channel.
#[async_trait]
pub trait AlertSender: Send + Sync {
    async fn send_alert(&self, alert: &Alert) -> Result<(), SendError>;
}

/// One app push: to one push channel of one user.
#[derive(Debug, Clone)]
pub struct Push {
    pub user_id: crate::model::UserId,
    /// The push channel's `deviceId` and `deviceType`, as bound with
    /// `bindPushChannel`.
    pub channel_id: String,
    pub channel_type: String,
    /// The alarm, the device and the event, as JSON.
    pub body: serde_json::Value,
}

/// Hands app pushes to a push gateway.
#[async_trait]
pub trait Pusher: Send + Sync {
    async fn push(&self, push: &Push) -> Result<(), SendError>;
}
