//! The delivery worker: sends the notifications the writer has just
//! queued (held for this process) at once, claims due ones (retries, and
//! those a stopped process left), records each attempt and retries
//! failures with back-off. A claim holds a notification for [`HOLD`], so
//! that if its process dies another sends it later, and none is sent twice
//! while one is trying. Each notification is sent on a task of its own (at
//! most [`IN_FLIGHT`] at once), so a slow provider delays no other.

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use tokio::sync::{Semaphore, mpsc, oneshot};

use super::{AlarmStore, Attempt, Notification, NotifyChannel, Providers};
use crate::notify::{Alert, Channel, Push};
use crate::{Time, now};

/// How long a claimed notification is held by its worker.
pub(super) const HOLD: Duration = Duration::from_secs(60);
/// Notifications being sent at once.
const IN_FLIGHT: usize = 64;
/// Most notifications sent at once.
const CLAIM_MAX: u64 = 64;
/// How often due notifications (retries, and those left by a stopped
/// process) are looked for.
const POLL: Duration = Duration::from_millis(250);
/// The first retry waits this long; each next one twice as long.
const RETRY_FIRST: Duration = Duration::from_millis(500);
/// The longest wait between two attempts.
const RETRY_MAX: Duration = Duration::from_secs(300);
/// Attempts before a notification is given up (about eight hours).
pub const ATTEMPTS_MAX: u32 = 100;

pub(super) async fn run(
    store: Arc<dyn AlarmStore>,
    providers: Providers,
    mut fresh: mpsc::UnboundedReceiver<Notification>,
    mut stop: oneshot::Receiver<()>,
) {
    let providers = Arc::new(providers);
    let slots = Arc::new(Semaphore::new(IN_FLIGHT));
    let send = |n: Notification, permit| {
        let (store, providers) = (store.clone(), providers.clone());
        tokio::spawn(async move {
            deliver(store.as_ref(), &providers, n).await;
            drop(permit);
        });
    };
    let mut failing_since: Option<std::time::Instant> = None;
    let mut poll = tokio::time::interval(POLL);
    poll.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = &mut stop => return,
            n = fresh.recv() => {
                let Some(n) = n else { return };
                let Ok(permit) = slots.clone().acquire_owned().await else { return };
                send(n, permit);
            }
            _ = poll.tick() => {
                let free = slots.available_permits() as u64;
                if free == 0 {
                    continue;
                }
                let at = now();
                let hold = chrono::Duration::from_std(HOLD).unwrap_or_default();
                match store.claim_notifications(at, at + hold, free.min(CLAIM_MAX)).await {
                    Ok(due) => {
                        failing_since = None;
                        for n in due {
                            let Ok(permit) = slots.clone().acquire_owned().await else { return };
                            send(n, permit);
                        }
                    }
                    Err(e) => {
                        if failing_since.is_none_or(|t| t.elapsed() > Duration::from_secs(60)) {
                            tracing::error!(error = %e, "queued alarm notifications could not be read");
                            failing_since = Some(std::time::Instant::now());
                        }
                    }
                }
            }
        }
    }
}

/// When attempt `n` (from 1) failed, the next one is due after this.
pub fn backoff(n: u32) -> Duration {
    let factor = 2u32.saturating_pow(n.saturating_sub(1).min(20));
    RETRY_FIRST.saturating_mul(factor).min(RETRY_MAX)
}

async fn deliver(store: &dyn AlarmStore, providers: &Providers, n: Notification) {
    let mut body = n.payload.clone();
    body["alarm"]["id"] = json!(n.alarm_id.to_string());
    body["user_id"] = json!(n.user_id.to_string());
    let text = body["alarm"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let result = match n.channel {
        NotifyChannel::Push => {
            body["push_channel"] = json!({"deviceId": n.target, "deviceType": n.target_kind});
            let push = Push {
                user_id: n.user_id,
                channel_id: n.target.clone(),
                channel_type: n.target_kind.clone(),
                body,
            };
            providers.push.push(&push).await
        }
        NotifyChannel::Sms | NotifyChannel::Email => {
            let (channel, sender) = if n.channel == NotifyChannel::Sms {
                (Channel::Sms, &providers.sms)
            } else {
                (Channel::Email, &providers.email)
            };
            let subject = match body["event"].as_str() {
                Some("close") => format!(
                    "Alarm over: {}",
                    body["device"]["name"].as_str().unwrap_or_default()
                ),
                _ => format!(
                    "Alarm: {}",
                    body["device"]["name"].as_str().unwrap_or_default()
                ),
            };
            let alert = Alert {
                channel,
                to: n.target.clone(),
                country_code: n.target_kind.clone(),
                subject,
                text,
            };
            sender.send_alert(&alert).await
        }
    };
    let attempt = n.attempts + 1;
    let at: Time = now();
    let (ok, error) = match result {
        Ok(()) => (true, String::new()),
        Err(e) => (false, e.0),
    };
    let retry_at = (!ok && attempt < ATTEMPTS_MAX)
        .then(|| at + chrono::Duration::from_std(backoff(attempt)).unwrap_or_default());
    if !ok {
        tracing::warn!(notification = n.id, channel = n.channel.as_str(), attempt, error = %error, "an alarm notification failed");
    }
    let record = Attempt {
        notification_id: n.id,
        alarm_id: n.alarm_id,
        attempt,
        ok,
        error,
        at,
        retry_at,
    };
    if let Err(e) = store.record_attempt(&record).await {
        // The claim runs out and the notification is tried again.
        tracing::error!(error = %e, notification = n.id, "an alarm notification attempt could not be recorded");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backs_off_doubling_up_to_five_minutes() {
        assert_eq!(backoff(1), Duration::from_millis(500));
        assert_eq!(backoff(2), Duration::from_secs(1));
        assert_eq!(backoff(3), Duration::from_secs(2));
        assert_eq!(backoff(30), RETRY_MAX);
    }
}
