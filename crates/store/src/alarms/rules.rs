//! Alarm rules on device types: read, insert, update, delete (which clears
//! the rule's open alarms).

use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::json;
use thingstead_core::Time;
use thingstead_core::alarms::{AlarmRule, AlarmStatus, OpenAlarm, RuleId, RuleSpec};
use thingstead_core::model::ProjectId;
use thingstead_core::project::devices::DeviceTypeId;
use thingstead_core::store::StoreResult;
use thingstead_core::telemetry::AttributeModel;

use super::convert;
use super::lifecycle::{open_of, refresh_summaries, set_status};
use crate::convert::ms;
use crate::entity::{alarm, alarm_rule, device_type};
use crate::{Db, db_err};

impl Db {
    pub(crate) async fn alarm_type_models(
        &self,
        project: ProjectId,
        type_id: DeviceTypeId,
    ) -> StoreResult<Option<Vec<AttributeModel>>> {
        let found = device_type::Entity::find_by_id(type_id)
            .filter(device_type::Column::ProjectId.eq(project))
            .count(self.reader())
            .await
            .map_err(db_err)?;
        if found == 0 {
            return Ok(None);
        }
        self.models_of(type_id).await.map(Some)
    }

    pub(crate) async fn alarm_rules(&self, type_id: DeviceTypeId) -> StoreResult<Vec<AlarmRule>> {
        alarm_rule::Entity::find()
            .filter(alarm_rule::Column::TypeId.eq(type_id))
            .order_by_asc(alarm_rule::Column::CreatedAt)
            .order_by_asc(alarm_rule::Column::Id)
            .all(self.reader())
            .await
            .map_err(db_err)?
            .into_iter()
            .map(convert::rule)
            .collect()
    }

    pub(crate) async fn alarm_insert_rule(
        &self,
        project: ProjectId,
        type_id: DeviceTypeId,
        spec: &RuleSpec,
        at: Time,
    ) -> StoreResult<AlarmRule> {
        let row = alarm_rule::ActiveModel {
            id: NotSet,
            project_id: Set(project),
            type_id: Set(type_id),
            name: Set(spec.name.clone()),
            kind: Set(spec.condition.kind().to_owned()),
            spec: Set(convert::spec_text(spec)?),
            created_at: Set(ms(at)),
        };
        let res = alarm_rule::Entity::insert(row)
            .exec(self.writer())
            .await
            .map_err(db_err)?;
        Ok(AlarmRule {
            id: res.last_insert_id,
            project_id: project,
            type_id,
            spec: spec.clone(),
            created_at: crate::convert::time(ms(at))?,
        })
    }

    pub(crate) async fn alarm_update_rule(
        &self,
        project: ProjectId,
        type_id: DeviceTypeId,
        id: RuleId,
        spec: &RuleSpec,
    ) -> StoreResult<Option<AlarmRule>> {
        use alarm_rule::Column as C;
        let txn = self.begin().await?;
        let res = alarm_rule::Entity::update_many()
            .col_expr(C::Name, Expr::value(spec.name.clone()))
            .col_expr(C::Kind, Expr::value(spec.condition.kind()))
            .col_expr(C::Spec, Expr::value(convert::spec_text(spec)?))
            .filter(C::Id.eq(id))
            .filter(C::ProjectId.eq(project))
            .filter(C::TypeId.eq(type_id))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        if res.rows_affected == 0 {
            return Ok(None);
        }
        let row = alarm_rule::Entity::find_by_id(id)
            .one(&txn)
            .await
            .map_err(db_err)?;
        txn.commit().await.map_err(db_err)?;
        row.map(convert::rule).transpose()
    }

    pub(crate) async fn alarm_delete_rule(
        &self,
        project: ProjectId,
        type_id: DeviceTypeId,
        id: RuleId,
        at: Time,
    ) -> StoreResult<Option<Vec<OpenAlarm>>> {
        use alarm_rule::Column as C;
        let txn = self.begin().await?;
        let res = alarm_rule::Entity::delete_many()
            .filter(C::Id.eq(id))
            .filter(C::ProjectId.eq(project))
            .filter(C::TypeId.eq(type_id))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        if res.rows_affected == 0 {
            return Ok(None);
        }
        let open = open_of(
            &txn,
            Condition::all()
                .add(alarm::Column::RuleId.eq(id))
                .add(alarm::Column::ProjectId.eq(project)),
        )
        .await?;
        let extra = json!({"close_time": ms(at), "closed_by": "rule removed"});
        for a in &open {
            set_status(&txn, a, AlarmStatus::Cleared, &extra, at).await?;
        }
        refresh_summaries(&txn, open.iter().map(|a| a.device_id)).await?;
        txn.commit().await.map_err(db_err)?;
        Ok(Some(open.iter().map(convert::open_alarm).collect()))
    }
}
