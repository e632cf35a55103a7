//! Reading device data: devices by certificate, projects and types by key,
//! attribute models, current values and history pages.

use sea_orm::sea_query::{Expr, ExprTrait, JoinType, Order, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QueryResult, QuerySelect,
};
use thingstead_core::model::ProjectId;
use thingstead_core::project::devices::{Certificate, DeviceId, DeviceTypeId};
use thingstead_core::store::StoreResult;
use thingstead_core::telemetry::{Attribute, AttributeModel, ConnectedDevice, Point, SeriesQuery};

use super::rows;
use crate::convert::ms;
use crate::entity::{
    attribute_history, attribute_model, device, device_attribute, device_type, project,
};
use crate::{Db, db_err};

/// Devices with what a connection needs of them and their project's key;
/// the caller adds the condition.
pub(super) fn connected_devices() -> SelectStatement {
    Query::select()
        .column((device::Entity, device::Column::Id))
        .column((device::Entity, device::Column::ProjectId))
        .column((device::Entity, device::Column::TypeId))
        .column((device::Entity, device::Column::Name))
        .expr_as(
            Expr::col((device_type::Entity, device_type::Column::IsGateway)),
            "is_gateway",
        )
        .expr_as(
            Expr::col((project::Entity, project::Column::ProjectKey)),
            "project_key",
        )
        .from(device::Entity)
        .join(
            JoinType::InnerJoin,
            project::Entity,
            Expr::col((project::Entity, project::Column::Id))
                .equals((device::Entity, device::Column::ProjectId)),
        )
        .join(
            JoinType::LeftJoin,
            device_type::Entity,
            Expr::col((device_type::Entity, device_type::Column::Id))
                .equals((device::Entity, device::Column::TypeId)),
        )
        .to_owned()
}

pub(super) fn connected(row: &QueryResult) -> StoreResult<(ConnectedDevice, String)> {
    let device = ConnectedDevice {
        device: row.try_get("", "id").map_err(db_err)?,
        project: row.try_get("", "project_id").map_err(db_err)?,
        type_id: row.try_get("", "type_id").map_err(db_err)?,
        name: row.try_get("", "name").map_err(db_err)?,
        is_gateway: row
            .try_get::<Option<bool>>("", "is_gateway")
            .map_err(db_err)?
            .unwrap_or(false),
    };
    let key = row.try_get("", "project_key").map_err(db_err)?;
    Ok((device, key))
}

impl Db {
    pub(super) async fn find_by_token(
        &self,
        token: &str,
    ) -> StoreResult<Option<(ConnectedDevice, String)>> {
        let q = connected_devices()
            .and_where(Expr::col((device::Entity, device::Column::AccessToken)).eq(token))
            .to_owned();
        match self.reader().query_one(&q).await.map_err(db_err)? {
            Some(row) => connected(&row).map(Some),
            None => Ok(None),
        }
    }

    pub(super) async fn find_project_device(
        &self,
        project: ProjectId,
        id: DeviceId,
    ) -> StoreResult<Option<ConnectedDevice>> {
        let q = connected_devices()
            .and_where(Expr::col((device::Entity, device::Column::Id)).eq(id))
            .and_where(Expr::col((device::Entity, device::Column::ProjectId)).eq(project))
            .to_owned();
        match self.reader().query_one(&q).await.map_err(db_err)? {
            Some(row) => connected(&row).map(|(d, _)| Some(d)),
            None => Ok(None),
        }
    }

    pub(super) async fn find_project_by_key(
        &self,
        key: &str,
    ) -> StoreResult<Option<(ProjectId, String)>> {
        project::Entity::find()
            .select_only()
            .columns([project::Column::Id, project::Column::ProjectKey])
            .filter(project::Column::ProjectKey.eq(key))
            .into_tuple()
            .one(self.reader())
            .await
            .map_err(db_err)
    }

    pub(super) async fn find_type_by_key(
        &self,
        project: ProjectId,
        type_key: &str,
    ) -> StoreResult<Option<DeviceTypeId>> {
        device_type::Entity::find()
            .select_only()
            .column(device_type::Column::Id)
            .filter(device_type::Column::TypeKey.eq(type_key))
            .filter(device_type::Column::ProjectId.eq(project))
            .into_tuple()
            .one(self.reader())
            .await
            .map_err(db_err)
    }

    pub(super) async fn find_by_device_key(
        &self,
        project: ProjectId,
        device_key: &str,
    ) -> StoreResult<Option<Certificate>> {
        let q = Query::select()
            .column((device::Entity, device::Column::Id))
            .column((device::Entity, device::Column::Name))
            .column((device::Entity, device::Column::AccessToken))
            .column((project::Entity, project::Column::ProjectKey))
            .from(device::Entity)
            .join(
                JoinType::InnerJoin,
                project::Entity,
                Expr::col((project::Entity, project::Column::Id))
                    .equals((device::Entity, device::Column::ProjectId)),
            )
            .and_where(Expr::col((device::Entity, device::Column::ProjectId)).eq(project))
            .and_where(Expr::col((device::Entity, device::Column::DeviceKey)).eq(device_key))
            .to_owned();
        let Some(row) = self.reader().query_one(&q).await.map_err(db_err)? else {
            return Ok(None);
        };
        Ok(Some(Certificate {
            device_id: row.try_get("", "id").map_err(db_err)?,
            name: row.try_get("", "name").map_err(db_err)?,
            access_token: row.try_get("", "access_token").map_err(db_err)?,
            project_key: row.try_get("", "project_key").map_err(db_err)?,
        }))
    }

    pub(crate) async fn models_of(
        &self,
        type_id: DeviceTypeId,
    ) -> StoreResult<Vec<AttributeModel>> {
        attribute_model::Entity::find()
            .filter(attribute_model::Column::TypeId.eq(type_id))
            .order_by_asc(attribute_model::Column::CreatedAt)
            .order_by_asc(attribute_model::Column::Identifier)
            .all(self.reader())
            .await
            .map_err(db_err)?
            .into_iter()
            .map(rows::model)
            .collect()
    }

    pub(super) async fn current_of(&self, device: DeviceId) -> StoreResult<Vec<Attribute>> {
        device_attribute::Entity::find()
            .filter(device_attribute::Column::DeviceId.eq(device))
            .order_by_asc(device_attribute::Column::Identifier)
            .all(self.reader())
            .await
            .map_err(db_err)?
            .into_iter()
            .map(rows::attribute)
            .collect()
    }

    pub(super) async fn page_series(&self, query: &SeriesQuery) -> StoreResult<Vec<Point>> {
        use attribute_history::Column as C;
        // Databases take offsets as signed 64-bit numbers.
        let offset = Ord::min(query.offset, i64::MAX as u64);
        attribute_history::Entity::find()
            .filter(C::DeviceId.eq(query.device))
            .filter(C::Identifier.eq(query.identifier.as_str()))
            .filter(C::Ts.gte(ms(query.start)))
            .filter(C::Ts.lte(ms(query.end)))
            .order_by(C::Ts, Order::Desc)
            .order_by(C::Id, Order::Desc)
            .offset(offset)
            .limit(query.limit)
            .all(self.reader())
            .await
            .map_err(db_err)?
            .into_iter()
            .map(rows::point)
            .collect()
    }
}
