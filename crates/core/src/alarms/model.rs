//! Alarms as stored and shown, their notifications and the attempts to
//! deliver them.

use serde_json::Value;

use super::rules::{Level, RuleId};
use crate::Time;
use crate::model::{ProjectId, UserId};
use crate::project::devices::DeviceId;

/// Id of an alarm.
pub type AlarmId = i64;
/// Id of one notification (one recipient and channel of one alarm transition).
pub type NotificationId = i64;

/// Where an alarm is in its life. Open and acknowledged alarms count as
/// open; recovered and cleared ones are closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlarmStatus {
    /// 1: the condition holds.
    Open,
    /// 2: an operator has seen it; still open.
    Acknowledged,
    /// 3: the recovery condition (or the condition turning false) closed it.
    Recovered,
    /// 4: an operator (or the rule's removal) closed it.
    Cleared,
}

impl AlarmStatus {
    /// The number shown as `alarm_status`.
    pub fn code(self) -> i32 {
        match self {
            AlarmStatus::Open => 1,
            AlarmStatus::Acknowledged => 2,
            AlarmStatus::Recovered => 3,
            AlarmStatus::Cleared => 4,
        }
    }

    pub fn from_code(code: i32) -> Option<AlarmStatus> {
        Some(match code {
            1 => AlarmStatus::Open,
            2 => AlarmStatus::Acknowledged,
            3 => AlarmStatus::Recovered,
            4 => AlarmStatus::Cleared,
            _ => return None,
        })
    }

    pub fn is_open(self) -> bool {
        matches!(self, AlarmStatus::Open | AlarmStatus::Acknowledged)
    }
}

/// An alarm with its delivery history, as `alarm_logs` shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Alarm {
    pub id: AlarmId,
    pub project_id: ProjectId,
    pub device_id: DeviceId,
    pub device_name: String,
    pub rule_id: RuleId,
    pub status: AlarmStatus,
    pub level: Level,
    /// What opened it: rule, message, value, threshold, and the times it
    /// was acknowledged or closed.
    pub info: Value,
    pub created_at: Time,
    pub notify_logs: Vec<NotifyLog>,
}

/// An open alarm as the engine remembers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenAlarm {
    pub id: AlarmId,
    pub device_id: DeviceId,
    pub rule_id: RuleId,
}

/// An alarm about to be opened.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAlarm {
    pub project_id: ProjectId,
    pub device_id: DeviceId,
    pub rule_id: RuleId,
    pub level: Level,
    pub info: Value,
    pub at: Time,
}

/// How a notification travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotifyChannel {
    /// App push to one bound push channel.
    Push,
    Sms,
    Email,
}

impl NotifyChannel {
    pub fn as_str(self) -> &'static str {
        match self {
            NotifyChannel::Push => "push",
            NotifyChannel::Sms => "sms",
            NotifyChannel::Email => "email",
        }
    }

    pub fn parse(s: &str) -> Option<NotifyChannel> {
        Some(match s {
            "push" => NotifyChannel::Push,
            "sms" => NotifyChannel::Sms,
            "email" => NotifyChannel::Email,
            _ => return None,
        })
    }
}

/// A notification about to be queued; the store adds the alarm's id.
#[derive(Debug, Clone, PartialEq)]
pub struct NewNotification {
    pub user_id: UserId,
    pub channel: NotifyChannel,
    /// Push channel `deviceId`, phone number or e-mail address.
    pub target: String,
    /// Push channel `deviceType`, or the phone's country code.
    pub target_kind: String,
    /// What is sent, besides the target: the alarm, the device, the event.
    pub payload: Value,
}

/// A queued notification, claimed by a delivery worker.
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    pub id: NotificationId,
    pub alarm_id: AlarmId,
    pub user_id: UserId,
    pub channel: NotifyChannel,
    pub target: String,
    pub target_kind: String,
    pub payload: Value,
    /// Attempts made before this one.
    pub attempts: u32,
}

/// One delivery attempt, as `notify_logs` shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct NotifyLog {
    pub notification_id: NotificationId,
    pub user_id: UserId,
    pub channel: NotifyChannel,
    pub target: String,
    /// `open` or `close`.
    pub event: String,
    /// 1 for the first attempt.
    pub attempt: u32,
    pub ok: bool,
    /// Why it failed; empty when it succeeded.
    pub error: String,
    pub at: Time,
}

/// The result of one attempt and what happens next.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    pub notification_id: NotificationId,
    pub alarm_id: AlarmId,
    /// 1 for the first attempt.
    pub attempt: u32,
    pub ok: bool,
    pub error: String,
    pub at: Time,
    /// When to try again; `None` when it is done (delivered or given up).
    pub retry_at: Option<Time>,
}

/// A user to notify about a device's alarm: bound to it, alarm switch on.
#[derive(Debug, Clone, PartialEq)]
pub struct Recipient {
    pub user_id: UserId,
    pub phone: Option<String>,
    pub country_code: String,
    pub email: Option<String>,
    /// `(deviceId, deviceType)` of each bound push channel.
    pub push_channels: Vec<(String, String)>,
}

/// A page of alarm logs, newest first.
#[derive(Debug, Clone, PartialEq)]
pub struct AlarmQuery {
    pub project_id: ProjectId,
    /// One device's alarms, or the whole project's.
    pub device_id: Option<DeviceId>,
    pub start: Time,
    pub end: Time,
    pub offset: u64,
    pub limit: u64,
}

/// A change of one alarm, as the writer stores it.
#[derive(Debug, Clone, PartialEq)]
pub enum AlarmChange {
    /// Opens an alarm and queues its notifications.
    Open {
        alarm: NewAlarm,
        notifications: Vec<NewNotification>,
    },
    /// Closes the device's open alarm of the rule (if any), queueing the
    /// notifications.
    Close {
        device: DeviceId,
        rule: RuleId,
        status: AlarmStatus,
        at: Time,
        notifications: Vec<NewNotification>,
    },
}

/// What storing one [`AlarmChange`] did.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    /// The alarm opened or closed; `None` when a close found none open.
    pub alarm_id: Option<AlarmId>,
    /// The notifications queued, held for the caller.
    pub queued: Vec<Notification>,
}
