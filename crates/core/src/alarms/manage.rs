//! What the project API calls: rules of a device type, alarm logs, and an
//! operator acknowledging or clearing an alarm. Ids come from the URL; an
//! id that names nothing, or another project's record, answers NotFound.

use super::rules::{AlarmRule, RULES_PER_TYPE_MAX, RuleInput};
use super::{Alarm, AlarmQuery, AlarmStatus, Alarms};
use crate::error::DomainError;
use crate::model::ProjectId;
use crate::project::devices::{DeviceTypeId, parse_id};
use crate::telemetry::AttributeModel;
use crate::telemetry::{PAGE_RECORDS_MAX, SERIES_WINDOW_MAX};
use crate::{Time, now};

type Result<T> = std::result::Result<T, DomainError>;

impl Alarms {
    /// The project's type and its attribute models.
    async fn device_type(
        &self,
        project: ProjectId,
        type_id: &str,
    ) -> Result<(DeviceTypeId, Vec<AttributeModel>)> {
        let id = parse_id(type_id, "device_type")?;
        let models = self
            .store()
            .type_models(project, id)
            .await?
            .ok_or(DomainError::NotFound("device_type"))?;
        Ok((id, models))
    }

    /// `GET /api/v1/device_type/<id>/alarm_rules`: the type's rules, oldest first.
    pub async fn rules(&self, project: ProjectId, type_id: &str) -> Result<Vec<AlarmRule>> {
        let (id, _) = self.device_type(project, type_id).await?;
        Ok(self.store().rules(id).await?)
    }

    /// `POST /api/v1/device_type/<id>/alarm_rules`: a new rule, checked
    /// against the type's attributes; at most 100 per type.
    pub async fn create_rule(
        &self,
        project: ProjectId,
        type_id: &str,
        input: RuleInput,
    ) -> Result<AlarmRule> {
        let (id, models) = self.device_type(project, type_id).await?;
        let spec = input.check(&models)?;
        if self.store().rules(id).await?.len() >= RULES_PER_TYPE_MAX {
            return Err(DomainError::Conflict(
                "a device type has at most 100 alarm rules",
            ));
        }
        let rule = self.store().insert_rule(project, id, &spec, now()).await?;
        self.inner.engine.forget_type(id);
        Ok(rule)
    }

    /// `PUT /api/v1/device_type/<id>/alarm_rule/<rule_id>`: replaces the
    /// rule; its open alarms stay open and close by the new recovery.
    pub async fn update_rule(
        &self,
        project: ProjectId,
        type_id: &str,
        rule_id: &str,
        input: RuleInput,
    ) -> Result<AlarmRule> {
        let (id, models) = self.device_type(project, type_id).await?;
        let rule = parse_id(rule_id, "alarm_rule")?;
        let spec = input.check(&models)?;
        let updated = self
            .store()
            .update_rule(project, id, rule, &spec)
            .await?
            .ok_or(DomainError::NotFound("alarm_rule"))?;
        self.inner.engine.forget_type(id);
        Ok(updated)
    }

    /// `DELETE /api/v1/device_type/<id>/alarm_rule/<rule_id>`: removes the
    /// rule and clears its open alarms.
    pub async fn delete_rule(
        &self,
        project: ProjectId,
        type_id: &str,
        rule_id: &str,
    ) -> Result<()> {
        let (id, _) = self.device_type(project, type_id).await?;
        let rule = parse_id(rule_id, "alarm_rule")?;
        let cleared = self
            .store()
            .delete_rule(project, id, rule, now())
            .await?
            .ok_or(DomainError::NotFound("alarm_rule"))?;
        for a in cleared {
            self.inner.engine.close(a.device_id, a.rule_id);
        }
        self.inner.engine.forget_type(id);
        Ok(())
    }

    /// `GET /api/v1/alarm_logs` and `GET /api/v1/device/<id>/alarm_logs`:
    /// page `page` of `page_records` alarms, newest first, created within
    /// `window` (at most 30 days; the last 30 days by default).
    pub async fn logs(
        &self,
        project: ProjectId,
        device: Option<&str>,
        page: u64,
        page_records: u64,
        window: Option<(Time, Time)>,
    ) -> Result<Vec<Alarm>> {
        if page < 1 {
            return Err(DomainError::invalid(
                "page",
                "page must be a positive integer",
            ));
        }
        if !(1..=PAGE_RECORDS_MAX).contains(&page_records) {
            return Err(DomainError::invalid(
                "page_records",
                format!("page_records must be between 1 and {PAGE_RECORDS_MAX}"),
            ));
        }
        let (start, end) = match window {
            Some((start, end)) if start > end => {
                return Err(DomainError::invalid(
                    "start_time",
                    "start_time must not be after end_time",
                ));
            }
            Some((start, end)) if end - start > SERIES_WINDOW_MAX => {
                return Err(DomainError::invalid(
                    "start_time",
                    "start_time and end_time must be at most 30 days apart",
                ));
            }
            Some(w) => w,
            None => {
                let end = now();
                (end - SERIES_WINDOW_MAX, end)
            }
        };
        let device_id = match device {
            Some(raw) => {
                let id = parse_id(raw, "device")?;
                if !self.store().device_exists(project, id).await? {
                    return Err(DomainError::NotFound("device"));
                }
                Some(id)
            }
            None => None,
        };
        let query = AlarmQuery {
            project_id: project,
            device_id,
            start,
            end,
            offset: (page - 1).saturating_mul(page_records),
            limit: page_records,
        };
        Ok(self.store().alarm_logs(&query).await?)
    }

    /// `POST /api/v1/alarm/<id>/acknowledge`: an operator has seen it; it
    /// stays open. A closed alarm is answered unchanged.
    pub async fn acknowledge(&self, project: ProjectId, alarm: &str) -> Result<Alarm> {
        self.set_status(project, alarm, AlarmStatus::Acknowledged)
            .await
    }

    /// `POST /api/v1/alarm/<id>/clear`: an operator closes it; the next
    /// report that makes its rule true opens a new one.
    pub async fn clear(&self, project: ProjectId, alarm: &str) -> Result<Alarm> {
        let alarm = self
            .set_status(project, alarm, AlarmStatus::Cleared)
            .await?;
        if alarm.status == AlarmStatus::Cleared {
            self.inner.engine.close(alarm.device_id, alarm.rule_id);
        }
        Ok(alarm)
    }

    async fn set_status(
        &self,
        project: ProjectId,
        alarm: &str,
        status: AlarmStatus,
    ) -> Result<Alarm> {
        let id = parse_id(alarm, "alarm")?;
        self.store()
            .set_alarm_status(project, id, status, now())
            .await?
            .ok_or(DomainError::NotFound("alarm"))
    }
}
