//! Devices' extend-info values and the device statistics.

use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::Value;
use thingstead_core::Time;
use thingstead_core::model::ProjectId;
use thingstead_core::project::devices::{DeviceId, DeviceStats, InfoId, StoredValue};
use thingstead_core::store::StoreResult;

use super::convert;
use crate::convert::{all, ms};
use crate::entity::{device, device_info_value, device_standard_info};
use crate::{Db, db_err};

/// `SUM(CASE WHEN <cond> THEN 1 ELSE 0 END)`, 0 over no rows.
fn count_where(cond: &str) -> Expr {
    Expr::cust(format!(
        "COALESCE(SUM(CASE WHEN {cond} THEN 1 ELSE 0 END), 0)"
    ))
}

fn to_u64(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

impl Db {
    pub(super) async fn info_values(
        &self,
        device: DeviceId,
    ) -> StoreResult<Vec<StoredValue<InfoId>>> {
        let rows = device_info_value::Entity::find()
            .filter(device_info_value::Column::DeviceId.eq(device))
            .order_by_asc(device_info_value::Column::InfoId)
            .all(self.reader())
            .await
            .map_err(db_err)?;
        all(rows, convert::info_value)
    }

    pub(super) async fn standard_infos(
        &self,
        device: DeviceId,
    ) -> StoreResult<Vec<StoredValue<String>>> {
        let rows = device_standard_info::Entity::find()
            .filter(device_standard_info::Column::DeviceId.eq(device))
            .order_by_asc(device_standard_info::Column::InfoType)
            .all(self.reader())
            .await
            .map_err(db_err)?;
        all(rows, convert::standard_info)
    }

    pub(super) async fn write_info_values(
        &self,
        device: DeviceId,
        values: &[(InfoId, Value)],
        at: Time,
    ) -> StoreResult<()> {
        if values.is_empty() {
            return Ok(());
        }
        use device_info_value::Column as C;
        let rows = values
            .iter()
            .map(|(info, value)| device_info_value::ActiveModel {
                device_id: Set(device),
                info_id: Set(*info),
                value: Set(value.to_string()),
                updated_at: Set(ms(at)),
            });
        // One statement: every value or none.
        device_info_value::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::columns([C::DeviceId, C::InfoId])
                    .update_columns([C::Value, C::UpdatedAt])
                    .to_owned(),
            )
            .exec_without_returning(self.writer())
            .await
            .map_err(db_err)?;
        Ok(())
    }

    pub(super) async fn write_standard_info(
        &self,
        device: DeviceId,
        info_type: &str,
        value: &Value,
        at: Time,
    ) -> StoreResult<()> {
        use device_standard_info::Column as C;
        let row = device_standard_info::ActiveModel {
            device_id: Set(device),
            info_type: Set(info_type.to_owned()),
            value: Set(value.to_string()),
            updated_at: Set(ms(at)),
        };
        device_standard_info::Entity::insert(row)
            .on_conflict(
                OnConflict::columns([C::DeviceId, C::InfoType])
                    .update_columns([C::Value, C::UpdatedAt])
                    .to_owned(),
            )
            .exec_without_returning(self.writer())
            .await
            .map_err(db_err)?;
        Ok(())
    }

    pub(super) async fn stats(&self, project: ProjectId) -> StoreResult<DeviceStats> {
        let q = Query::select()
            .expr_as(Expr::col(device::Column::Id).count(), "total")
            .expr_as(count_where("online"), "online")
            .expr_as(count_where("active <> '{}'"), "active")
            .expr_as(count_where("alarm_level = 1"), "alarm_1")
            .expr_as(count_where("alarm_level = 2"), "alarm_2")
            .expr_as(count_where("alarm_level = 3"), "alarm_3")
            .from(device::Entity)
            .and_where(Expr::col(device::Column::ProjectId).eq(project))
            .take();
        let Some(row) = self.reader().query_one(&q).await.map_err(db_err)? else {
            return Ok(DeviceStats::default());
        };
        let get = |col: &str| row.try_get::<i64>("", col).map(to_u64).map_err(db_err);
        Ok(DeviceStats {
            total: get("total")?,
            online: get("online")?,
            active: get("active")?,
            alarm: [get("alarm_1")?, get("alarm_2")?, get("alarm_3")?],
        })
    }
}
