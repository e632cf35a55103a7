//! Alarms: rules on device types, evaluated on the ingest path; alarms
//! opened, closed, acknowledged and cleared; notifications to the users
//! bound to the device through app push, SMS and e-mail.
//!
//! The path of an alarm:
//! 1. [`engine`]: a report (or a disconnect) is checked against the rules
//!    of the device's type, in memory. Only a change (a rule turning true
//!    for a device with no open alarm of it, or its recovery) leaves the
//!    connection task, as a transition on a channel.
//! 2. [`writer`]: one task turns transitions into stored alarms, together
//!    with one queued notification per recipient and channel (one
//!    transaction), held for this process, and hands them to the delivery.
//! 3. [`delivery`]: sends them through the providers at once and records
//!    each attempt; failures are retried with back-off, claimed again when
//!    due. Queued notifications survive a restart.

mod delivery;
mod engine;
mod manage;
pub mod model;
pub mod rules;
pub mod template;
mod writer;

use std::sync::{Arc, Mutex, PoisonError};

use async_trait::async_trait;
use tokio::sync::{mpsc, oneshot};

use crate::Time;
use crate::live::LiveEvents;
use crate::model::ProjectId;
use crate::notify::{AlertSender, Pusher};
use crate::project::devices::{DeviceId, DeviceTypeId};
use crate::store::StoreResult;
use crate::telemetry::{AttributeModel, Attributes};

pub use model::*;
pub use rules::{
    AlarmRule, Comparison, Condition, Level, NotifyOn, Operator, RuleId, RuleInput, RuleSpec,
};

/// What a device's alarm needs to know about it when it opens.
#[derive(Debug, Clone, PartialEq)]
pub struct AlarmContext {
    pub device_name: String,
    /// The device's current values, for the message template.
    pub values: Attributes,
    /// Bound users whose alarm switch is on.
    pub recipients: Vec<Recipient>,
}

/// What alarms need from persistence.
#[async_trait]
pub trait AlarmStore: Send + Sync {
    /// The attribute models of the project's device type; `None` when the
    /// project has no type of that id.
    async fn type_models(
        &self,
        project: ProjectId,
        type_id: DeviceTypeId,
    ) -> StoreResult<Option<Vec<AttributeModel>>>;
    /// The rules of a device type, oldest first.
    async fn rules(&self, type_id: DeviceTypeId) -> StoreResult<Vec<AlarmRule>>;
    async fn insert_rule(
        &self,
        project: ProjectId,
        type_id: DeviceTypeId,
        spec: &RuleSpec,
        at: Time,
    ) -> StoreResult<AlarmRule>;
    /// `None` when the project's type has no such rule.
    async fn update_rule(
        &self,
        project: ProjectId,
        type_id: DeviceTypeId,
        id: RuleId,
        spec: &RuleSpec,
    ) -> StoreResult<Option<AlarmRule>>;
    /// Deletes the rule and clears its open alarms; returns those alarms,
    /// or `None` when the project's type has no such rule.
    async fn delete_rule(
        &self,
        project: ProjectId,
        type_id: DeviceTypeId,
        id: RuleId,
        at: Time,
    ) -> StoreResult<Option<Vec<OpenAlarm>>>;
    /// Every open (or acknowledged) alarm.
    async fn open_alarms(&self) -> StoreResult<Vec<OpenAlarm>>;
    /// The device's name, current values and recipients; `None` when it is gone.
    async fn alarm_context(&self, device: DeviceId) -> StoreResult<Option<AlarmContext>>;
    /// Opens an alarm and queues its notifications (one transaction),
    /// held for the caller until `hold_until`; returns the alarm's id and
    /// the queued notifications. The device's `alarm` and `alarm_level`
    /// follow its open alarms.
    async fn open_alarm(
        &self,
        alarm: &NewAlarm,
        notifications: &[NewNotification],
        hold_until: Time,
    ) -> StoreResult<(AlarmId, Vec<Notification>)>;
    /// Closes the device's open alarm of the rule with `status`, queueing
    /// `notifications` held until `hold_until`; `None` when it has none open.
    async fn close_alarm(
        &self,
        device: DeviceId,
        rule: RuleId,
        status: AlarmStatus,
        at: Time,
        notifications: &[NewNotification],
        hold_until: Time,
    ) -> StoreResult<Option<(AlarmId, Vec<Notification>)>>;
    /// Stores the changes in order, in one transaction, their notifications
    /// held for the caller until `hold_until`; one result per change.
    async fn apply_changes(
        &self,
        changes: &[AlarmChange],
        hold_until: Time,
    ) -> StoreResult<Vec<Applied>>;
    /// Moves the project's open alarm to `status` (acknowledged or
    /// cleared); `None` when the project has no such alarm, the alarm
    /// unchanged when it is not open.
    async fn set_alarm_status(
        &self,
        project: ProjectId,
        id: AlarmId,
        status: AlarmStatus,
        at: Time,
    ) -> StoreResult<Option<Alarm>>;
    /// A page of alarms with their attempts, newest first.
    async fn alarm_logs(&self, query: &AlarmQuery) -> StoreResult<Vec<Alarm>>;
    /// Whether the project has the device.
    async fn device_exists(&self, project: ProjectId, device: DeviceId) -> StoreResult<bool>;
    /// Takes up to `limit` notifications due at `now` that no worker holds,
    /// holding them until `hold_until`.
    async fn claim_notifications(
        &self,
        now: Time,
        hold_until: Time,
        limit: u64,
    ) -> StoreResult<Vec<Notification>>;
    /// Records an attempt; the notification is done, or due again at `retry_at`.
    async fn record_attempt(&self, attempt: &Attempt) -> StoreResult<()>;
}

/// How long closing waits for the writer and for attempts in flight.
const CLOSE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// The senders of notifications.
#[derive(Clone)]
pub struct Providers {
    pub push: Arc<dyn Pusher>,
    pub sms: Arc<dyn AlertSender>,
    pub email: Arc<dyn AlertSender>,
}

/// The alarm service. Cheap to clone.
#[derive(Clone)]
pub struct Alarms {
    inner: Arc<Inner>,
}

struct Inner {
    store: Arc<dyn AlarmStore>,
    engine: engine::Engine,
    transitions: mpsc::UnboundedSender<engine::Transition>,
    live: LiveEvents,
    tasks: Mutex<Option<Tasks>>,
}

struct Tasks {
    stop: oneshot::Sender<()>,
    writer: tokio::task::JoinHandle<()>,
    delivery: tokio::task::JoinHandle<()>,
}

impl Alarms {
    /// Loads the open alarms and starts the writer and the delivery worker
    /// (which first sends what a previous run left queued).
    pub async fn start(
        store: Arc<dyn AlarmStore>,
        providers: Providers,
        live: LiveEvents,
    ) -> StoreResult<Alarms> {
        let engine = engine::Engine::default();
        engine.remember(&store.open_alarms().await?);
        let (tx, rx) = mpsc::unbounded_channel();
        let (stop, stopped) = oneshot::channel();
        let (fresh_tx, fresh_rx) = mpsc::unbounded_channel();
        let writer = tokio::spawn(writer::run(store.clone(), rx, fresh_tx, live.clone()));
        let delivery = tokio::spawn(delivery::run(store.clone(), providers, fresh_rx, stopped));
        Ok(Alarms {
            inner: Arc::new(Inner {
                store,
                engine,
                transitions: tx,
                live,
                tasks: Mutex::new(Some(Tasks {
                    stop,
                    writer,
                    delivery,
                })),
            }),
        })
    }

    /// The service for managing rules and alarms only (the command line):
    /// no open alarms are loaded, no report is evaluated and nothing is
    /// delivered; notifications queued meanwhile wait for a server.
    pub fn manage(store: Arc<dyn AlarmStore>) -> Alarms {
        let (tx, _) = mpsc::unbounded_channel();
        Alarms {
            inner: Arc::new(Inner {
                store,
                engine: engine::Engine::default(),
                transitions: tx,
                live: LiveEvents::default(),
                tasks: Mutex::new(None),
            }),
        }
    }

    /// The live event hub the server-sent event streams follow.
    pub fn live(&self) -> &LiveEvents {
        &self.inner.live
    }

    /// Stores the transitions already made and stops the delivery
    /// (queued notifications stay queued for the next start). Call it after
    /// the ingest writer has closed.
    pub async fn close(&self) {
        let tasks = self
            .inner
            .tasks
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(tasks) = tasks {
            // Transitions are stored in order: once the writer answers the
            // flush, everything sent before it is stored.
            let (flushed, done) = oneshot::channel();
            if self
                .inner
                .transitions
                .send(engine::Transition::Flush(flushed))
                .is_ok()
            {
                let _ = tokio::time::timeout(CLOSE_TIMEOUT, done).await;
            }
            tasks.writer.abort();
            let _ = tasks.stop.send(());
            let _ = tokio::time::timeout(CLOSE_TIMEOUT, tasks.delivery).await;
        }
    }

    fn store(&self) -> &dyn AlarmStore {
        self.inner.store.as_ref()
    }
}
