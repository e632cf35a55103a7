//! The webhook provider: the message POSTed as JSON to a URL that an SMS or
//! e-mail gateway (or, for app pushes, a push gateway) sits behind.

use std::time::Duration;

use async_trait::async_trait;
use serde::Serialize;
use thingstead_core::notify::{Alert, AlertSender, Message, Push, Pusher, SendError, Sender};

/// How long one delivery may take, connection included.
pub const WEBHOOK_TIMEOUT: Duration = Duration::from_secs(10);

/// The body POSTed for each message.
#[derive(Debug, Serialize)]
struct Payload<'a> {
    channel: &'a str,
    to: &'a str,
    country_code: &'a str,
    purpose: &'a str,
    code: &'a str,
    text: &'a str,
}

/// Posts each message to one URL; any answer but 2xx is a failure.
pub struct WebhookSender {
    client: reqwest::Client,
    url: reqwest::Url,
}

impl WebhookSender {
    pub fn new(url: &str) -> Result<Self, String> {
        let parsed = reqwest::Url::parse(url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .ok_or_else(|| "a webhook URL must be an http:// or https:// URL".to_owned())?;
        crate::install_tls_provider();
        let client = reqwest::Client::builder()
            .timeout(WEBHOOK_TIMEOUT)
            .connect_timeout(WEBHOOK_TIMEOUT)
            .user_agent(concat!("thingstead/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("cannot set up the webhook client: {e}"))?;
        Ok(WebhookSender {
            client,
            url: parsed,
        })
    }
}

impl WebhookSender {
    /// POSTs `payload`; any answer but 2xx is a failure. `what` names the
    /// message in the log, `to` its recipient (masked there).
    async fn post(&self, payload: &impl Serialize, what: &str, to: &str) -> Result<(), SendError> {
        // The URL may carry a key in its query: log only its host.
        let host = self.url.host_str().unwrap_or("");
        let response = self
            .client
            .post(self.url.clone())
            .json(payload)
            .send()
            .await
            .map_err(|e| {
                let e = e.without_url();
                tracing::warn!(host, error = %e, "webhook delivery failed");
                SendError(format!("webhook delivery failed: {e}"))
            })?;
        let status = response.status();
        if !status.is_success() {
            tracing::warn!(
                host,
                status = status.as_u16(),
                what,
                "webhook refused the message"
            );
            return Err(SendError(format!("webhook answered {status}")));
        }
        tracing::info!(to = %crate::mask(to), what, host, "message handed to the webhook");
        Ok(())
    }
}

#[async_trait]
impl Sender for WebhookSender {
    async fn send(&self, message: &Message) -> Result<(), SendError> {
        let payload = Payload {
            channel: message.channel.as_str(),
            to: &message.to,
            country_code: &message.country_code,
            purpose: message.purpose.as_str(),
            code: &message.code,
            text: &message.text,
        };
        self.post(&payload, message.purpose.as_str(), &message.to)
            .await
    }
}

/// The body POSTed for an alarm by SMS or e-mail: the verification shape,
/// with purpose `alarm`, no code, and a subject.
#[derive(Debug, Serialize)]
struct AlertPayload<'a> {
    channel: &'a str,
    to: &'a str,
    country_code: &'a str,
    purpose: &'a str,
    code: &'a str,
    subject: &'a str,
    text: &'a str,
}

#[async_trait]
impl AlertSender for WebhookSender {
    async fn send_alert(&self, alert: &Alert) -> Result<(), SendError> {
        let payload = AlertPayload {
            channel: alert.channel.as_str(),
            to: &alert.to,
            country_code: &alert.country_code,
            purpose: "alarm",
            code: "",
            subject: &alert.subject,
            text: &alert.text,
        };
        self.post(&payload, "alarm", &alert.to).await
    }
}

/// App pushes: the push's JSON body (user, push channel, device, alarm and
/// event) POSTed to the push gateway.
#[async_trait]
impl Pusher for WebhookSender {
    async fn push(&self, push: &Push) -> Result<(), SendError> {
        self.post(&push.body, "alarm push", &push.channel_id).await
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use std::sync::{Arc, Mutex};

    use axum::Json;
    use axum::http::StatusCode;
    use axum::routing::post;
    use serde_json::Value;
    use thingstead_core::model::CodePurpose;
    use thingstead_core::notify::Channel;

    use super::*;

    async fn server(status: StatusCode) -> (String, Arc<Mutex<Vec<Value>>>) {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = seen.clone();
        let app = axum::Router::new().route(
            "/hook",
            post(move |Json(body): Json<Value>| {
                let record = record.clone();
                async move {
                    record.lock().unwrap().push(body);
                    status
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        (format!("http://{addr}/hook?key=abc"), seen)
    }

    fn message() -> Message {
        Message {
            channel: Channel::Sms,
            to: "13800000000".into(),
            country_code: "+86".into(),
            purpose: CodePurpose::Register,
            code: "012345".into(),
            text: "Your code is 012345".into(),
        }
    }

    #[tokio::test]
    async fn posts_the_message() {
        let (url, seen) = server(StatusCode::OK).await;
        let sender = WebhookSender::new(&url).unwrap();
        sender.send(&message()).await.unwrap();
        let seen = seen.lock().unwrap();
        assert_eq!(
            seen.as_slice(),
            &[serde_json::json!({
                "channel": "sms",
                "to": "13800000000",
                "country_code": "+86",
                "purpose": "register",
                "code": "012345",
                "text": "Your code is 012345",
            })]
        );
    }

    #[tokio::test]
    async fn non_2xx_is_an_error() {
        let (url, _) = server(StatusCode::BAD_GATEWAY).await;
        let sender = WebhookSender::new(&url).unwrap();
        let err = sender.send(&message()).await.unwrap_err();
        assert!(err.0.contains("502"), "{err}");
    }

    #[tokio::test]
    async fn unreachable_is_an_error() {
        // Bind and drop to get a port nobody listens on.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        let sender = WebhookSender::new(&format!("http://{addr}/hook")).unwrap();
        assert!(sender.send(&message()).await.is_err());
    }

    #[test]
    fn refuses_other_schemes() {
        assert!(WebhookSender::new("ftp://example.com/x").is_err());
        assert!(WebhookSender::new("not a url").is_err());
    }
}
