//! The log provider: one log line per message without the code, and the
//! whole message appended to an outbox file, one JSON object per line.

use std::path::{Path, PathBuf};

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use thingstead_core::notify::{Alert, AlertSender, Message, Push, Pusher, SendError, Sender};
use tokio::io::AsyncWriteExt;
use tokio::sync::Mutex;

/// The outbox's file name inside the data directory.
pub const OUTBOX_FILE: &str = "outbox.jsonl";

/// One line of the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEntry {
    /// RFC 3339, UTC.
    pub at: String,
    /// `sms`, `email` or `push`.
    pub channel: String,
    pub to: String,
    pub purpose: String,
    pub code: String,
    pub text: String,
}

impl OutboxEntry {
    fn of(message: &Message) -> Self {
        OutboxEntry {
            at: stamp(),
            channel: message.channel.as_str().to_owned(),
            to: message.to.clone(),
            purpose: message.purpose.as_str().to_owned(),
            code: message.code.clone(),
            text: message.text.clone(),
        }
    }
}

/// Writes messages to the log and the outbox instead of sending them.
pub struct LogSender {
    path: PathBuf,
    file: Mutex<tokio::fs::File>,
}

impl LogSender {
    /// Opens (creating if needed, readable by the owner only) the outbox at
    /// `path` for appending.
    pub fn open(path: &Path) -> Result<Self, String> {
        use std::os::unix::fs::OpenOptionsExt as _;
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(path)
            .map_err(|e| {
                format!(
                    "cannot open the outbox {}: {e}; check --data-dir",
                    path.display()
                )
            })?;
        Ok(LogSender {
            path: path.to_owned(),
            file: Mutex::new(tokio::fs::File::from_std(file)),
        })
    }

    /// Where the outbox is.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl LogSender {
    /// Appends one line to the outbox.
    async fn append(&self, entry: &OutboxEntry) -> Result<(), SendError> {
        let mut line = serde_json::to_vec(entry).map_err(|e| SendError(e.to_string()))?;
        line.push(b'\n');
        let mut file = self.file.lock().await;
        let written = async {
            file.write_all(&line).await?;
            file.flush().await
        }
        .await;
        written.map_err(|e| {
            tracing::error!(error = %e, outbox = %self.path.display(), "cannot write to the outbox");
            SendError(format!("cannot write to the outbox: {e}"))
        })
    }
}

fn stamp() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[async_trait]
impl Sender for LogSender {
    async fn send(&self, message: &Message) -> Result<(), SendError> {
        self.append(&OutboxEntry::of(message)).await?;
        tracing::info!(
            channel = message.channel.as_str(),
            to = %crate::mask(&message.to),
            purpose = message.purpose.as_str(),
            outbox = %self.path.display(),
            "verification message not sent (log provider); the full message is in the outbox"
        );
        Ok(())
    }
}

#[async_trait]
impl AlertSender for LogSender {
    async fn send_alert(&self, alert: &Alert) -> Result<(), SendError> {
        self.append(&OutboxEntry {
            at: stamp(),
            channel: alert.channel.as_str().to_owned(),
            to: alert.to.clone(),
            purpose: "alarm".to_owned(),
            code: String::new(),
            text: alert.text.clone(),
        })
        .await?;
        tracing::info!(
            channel = alert.channel.as_str(),
            to = %crate::mask(&alert.to),
            outbox = %self.path.display(),
            "alarm message not sent (log provider); it is in the outbox"
        );
        Ok(())
    }
}

/// App pushes written to the outbox (channel `push`, `to` the push
/// channel's id, the JSON body as text).
#[async_trait]
impl Pusher for LogSender {
    async fn push(&self, push: &Push) -> Result<(), SendError> {
        self.append(&OutboxEntry {
            at: stamp(),
            channel: "push".to_owned(),
            to: push.channel_id.clone(),
            purpose: "alarm".to_owned(),
            code: String::new(),
            text: push.body.to_string(),
        })
        .await?;
        tracing::info!(
            push_channel = %crate::mask(&push.channel_id),
            user = push.user_id,
            "alarm push not sent (log provider); it is in the outbox"
        );
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use thingstead_core::model::CodePurpose;
    use thingstead_core::notify::Channel;

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("thingstead-notify-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn message(to: &str, code: &str) -> Message {
        Message {
            channel: Channel::Sms,
            to: to.into(),
            country_code: "+86".into(),
            purpose: CodePurpose::ResetPassword,
            code: code.into(),
            text: format!("Your code is {code}"),
        }
    }

    #[tokio::test]
    async fn writes_lines_that_parse_back() {
        let dir = temp_dir("log");
        let path = dir.join(OUTBOX_FILE);
        let sender = std::sync::Arc::new(LogSender::open(&path).unwrap());
        sender
            .send(&message("13800000000", "123456"))
            .await
            .unwrap();

        // Concurrent sends never interleave.
        let tasks: Vec<_> = (0..20)
            .map(|i| {
                let s = sender.clone();
                tokio::spawn(async move {
                    s.send(&message(&format!("1390000{i:04}"), &format!("{i:06}")))
                        .await
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap().unwrap();
        }

        let text = std::fs::read_to_string(&path).unwrap();
        let entries: Vec<OutboxEntry> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(entries.len(), 21);
        let first = &entries[0];
        assert_eq!(first.channel, "sms");
        assert_eq!(first.to, "13800000000");
        assert_eq!(first.purpose, "reset_password");
        assert_eq!(first.code, "123456");
        assert_eq!(first.text, "Your code is 123456");
        assert!(chrono::DateTime::parse_from_rfc3339(&first.at).is_ok());

        // A reopened outbox appends.
        drop(sender);
        let again = LogSender::open(&path).unwrap();
        again.send(&message("13800000001", "654321")).await.unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap().lines().count(), 22);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
