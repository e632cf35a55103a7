//! The alarms domain's persistence: [`AlarmStore`].

mod convert;
mod delivery;
mod lifecycle;
mod logs;
mod rules;

use async_trait::async_trait;
use thingstead_core::Time;
use thingstead_core::alarms::*;
use thingstead_core::model::ProjectId;
use thingstead_core::project::devices::{DeviceId, DeviceTypeId};
use thingstead_core::store::StoreResult;
use thingstead_core::telemetry::AttributeModel;

use crate::Db;

#[async_trait]
impl AlarmStore for Db {
    async fn type_models(
        &self,
        project: ProjectId,
        type_id: DeviceTypeId,
    ) -> StoreResult<Option<Vec<AttributeModel>>> {
        self.alarm_type_models(project, type_id).await
    }

    async fn rules(&self, type_id: DeviceTypeId) -> StoreResult<Vec<AlarmRule>> {
        self.alarm_rules(type_id).await
    }

    async fn insert_rule(
        &self,
        project: ProjectId,
        type_id: DeviceTypeId,
        spec: &RuleSpec,
        at: Time,
    ) -> StoreResult<AlarmRule> {
        self.alarm_insert_rule(project, type_id, spec, at).await
    }

    async fn update_rule(
        &self,
        project: ProjectId,
        type_id: DeviceTypeId,
        id: RuleId,
        spec: &RuleSpec,
    ) -> StoreResult<Option<AlarmRule>> {
        self.alarm_update_rule(project, type_id, id, spec).await
    }

    async fn delete_rule(
        &self,
        project: ProjectId,
        type_id: DeviceTypeId,
        id: RuleId,
        at: Time,
    ) -> StoreResult<Option<Vec<OpenAlarm>>> {
        self.alarm_delete_rule(project, type_id, id, at).await
    }

    async fn open_alarms(&self) -> StoreResult<Vec<OpenAlarm>> {
        self.alarm_open_alarms().await
    }

    async fn alarm_context(&self, device: DeviceId) -> StoreResult<Option<AlarmContext>> {
        self.alarm_device_context(device).await
    }

    async fn open_alarm(
        &self,
        alarm: &NewAlarm,
        notifications: &[NewNotification],
        hold_until: Time,
    ) -> StoreResult<(AlarmId, Vec<Notification>)> {
        self.alarm_open(alarm, notifications, hold_until).await
    }

    async fn close_alarm(
        &self,
        device: DeviceId,
        rule: RuleId,
        status: AlarmStatus,
        at: Time,
        notifications: &[NewNotification],
        hold_until: Time,
    ) -> StoreResult<Option<(AlarmId, Vec<Notification>)>> {
        self.alarm_close(device, rule, status, at, notifications, hold_until)
            .await
    }

    async fn apply_changes(
        &self,
        changes: &[AlarmChange],
        hold_until: Time,
    ) -> StoreResult<Vec<Applied>> {
        self.alarm_apply(changes, hold_until).await
    }

    async fn set_alarm_status(
        &self,
        project: ProjectId,
        id: AlarmId,
        status: AlarmStatus,
        at: Time,
    ) -> StoreResult<Option<Alarm>> {
        self.alarm_set_status(project, id, status, at).await
    }

    async fn alarm_logs(&self, query: &AlarmQuery) -> StoreResult<Vec<Alarm>> {
        self.alarm_logs_page(query).await
    }

    async fn device_exists(&self, project: ProjectId, device: DeviceId) -> StoreResult<bool> {
        self.alarm_device_exists(project, device).await
    }

    async fn claim_notifications(
        &self,
        now: Time,
        hold_until: Time,
        limit: u64,
    ) -> StoreResult<Vec<Notification>> {
        self.alarm_claim(now, hold_until, limit).await
    }

    async fn record_attempt(&self, attempt: &Attempt) -> StoreResult<()> {
        self.alarm_record_attempt(attempt).await
    }
}
