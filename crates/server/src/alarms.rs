//! The alarm service's persistence, as the server and the command line
//! build it.

use std::sync::Arc;

use async_trait::async_trait;
use thingstead_core::Time;
use thingstead_core::alarms::{
    Alarm, AlarmContext, AlarmId, AlarmQuery, AlarmRule, AlarmStatus, AlarmStore, Attempt,
    NewAlarm, NewNotification, Notification, OpenAlarm, Providers, RuleId, RuleSpec,
};
use thingstead_core::model::ProjectId;
use thingstead_core::notify::{Alert, AlertSender, Push, Pusher, SendError};
use thingstead_core::project::devices::{DeviceId, DeviceTypeId};
use thingstead_core::store::StoreResult;
use thingstead_core::telemetry::AttributeModel;
use thingstead_store::Db;

/// The alarm store over `db`.
pub fn store(db: &Db) -> Arc<dyn AlarmStore> {
    let _ = db;
    Arc::new(NoAlarms)
}

/// A store without alarm tables: no type is known to it, so no rule is
/// made and no alarm opens; nothing is written.
struct NoAlarms;

#[async_trait]
impl AlarmStore for NoAlarms {
    async fn type_models(
        &self,
        _project: ProjectId,
        _type_id: DeviceTypeId,
    ) -> StoreResult<Option<Vec<AttributeModel>>> {
        Ok(None)
    }

    async fn rules(&self, _type_id: DeviceTypeId) -> StoreResult<Vec<AlarmRule>> {
        Ok(Vec::new())
    }

    async fn insert_rule(
        &self,
        _project: ProjectId,
        _type_id: DeviceTypeId,
        _spec: &RuleSpec,
        _at: Time,
    ) -> StoreResult<AlarmRule> {
        Err(unsupported())
    }

    async fn update_rule(
        &self,
        _project: ProjectId,
        _type_id: DeviceTypeId,
        _id: RuleId,
        _spec: &RuleSpec,
    ) -> StoreResult<Option<AlarmRule>> {
        Ok(None)
    }

    async fn delete_rule(
        &self,
        _project: ProjectId,
        _type_id: DeviceTypeId,
        _id: RuleId,
        _at: Time,
    ) -> StoreResult<Option<Vec<OpenAlarm>>> {
        Ok(None)
    }

    async fn open_alarms(&self) -> StoreResult<Vec<OpenAlarm>> {
        Ok(Vec::new())
    }

    async fn alarm_context(&self, _device: DeviceId) -> StoreResult<Option<AlarmContext>> {
        Ok(None)
    }

    async fn open_alarm(
        &self,
        _alarm: &NewAlarm,
        _notifications: &[NewNotification],
    ) -> StoreResult<AlarmId> {
        Err(unsupported())
    }

    async fn close_alarm(
        &self,
        _device: DeviceId,
        _rule: RuleId,
        _status: AlarmStatus,
        _at: Time,
        _notifications: &[NewNotification],
    ) -> StoreResult<Option<AlarmId>> {
        Ok(None)
    }

    async fn set_alarm_status(
        &self,
        _project: ProjectId,
        _id: AlarmId,
        _status: AlarmStatus,
        _at: Time,
    ) -> StoreResult<Option<Alarm>> {
        Ok(None)
    }

    async fn alarm_logs(&self, _query: &AlarmQuery) -> StoreResult<Vec<Alarm>> {
        Ok(Vec::new())
    }

    async fn device_exists(&self, _project: ProjectId, _device: DeviceId) -> StoreResult<bool> {
        Ok(false)
    }

    async fn claim_notifications(
        &self,
        _now: Time,
        _hold_until: Time,
        _limit: u64,
    ) -> StoreResult<Vec<Notification>> {
        Ok(Vec::new())
    }

    async fn record_attempt(&self, _attempt: &Attempt) -> StoreResult<()> {
        Ok(())
    }
}

fn unsupported() -> thingstead_core::StoreError {
    thingstead_core::StoreError::Backend("this database has no alarm tables".into())
}

/// Providers that send nothing: every attempt fails with `reason` (and
/// is recorded as such).
pub fn unsent(reason: &'static str) -> Providers {
    let unsent = Arc::new(Unsent(reason));
    Providers {
        push: unsent.clone(),
        sms: unsent.clone(),
        email: unsent,
    }
}

struct Unsent(&'static str);

#[async_trait]
impl Pusher for Unsent {
    async fn push(&self, _push: &Push) -> Result<(), SendError> {
        Err(SendError(self.0.to_owned()))
    }
}

#[async_trait]
impl AlertSender for Unsent {
    async fn send_alert(&self, _alert: &Alert) -> Result<(), SendError> {
        Err(SendError(self.0.to_owned()))
    }
}
