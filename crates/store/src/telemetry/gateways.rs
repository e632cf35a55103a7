//! Gateways and their sub-devices, as device connections see them: the
//! sub-device a gateway reports for, and the gateway a sub-device's
//! downlinks go through.

use sea_orm::sea_query::{Expr, ExprTrait, JoinType};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use thingstead_core::model::ProjectId;
use thingstead_core::project::devices::DeviceId;
use thingstead_core::store::StoreResult;
use thingstead_core::telemetry::ConnectedDevice;

use super::read::{connected, connected_devices};
use crate::entity::{device, gateway_link};
use crate::{Db, db_err};

impl Db {
    pub(super) async fn find_sub_device(
        &self,
        project: ProjectId,
        gateway: DeviceId,
        id: DeviceId,
    ) -> StoreResult<Option<ConnectedDevice>> {
        let q = connected_devices()
            .join(
                JoinType::InnerJoin,
                gateway_link::Entity,
                Expr::col((gateway_link::Entity, gateway_link::Column::DeviceId))
                    .equals((device::Entity, device::Column::Id)),
            )
            .and_where(Expr::col((device::Entity, device::Column::Id)).eq(id))
            .and_where(Expr::col((device::Entity, device::Column::ProjectId)).eq(project))
            .and_where(
                Expr::col((gateway_link::Entity, gateway_link::Column::GatewayId)).eq(gateway),
            )
            .and_where(
                Expr::col((gateway_link::Entity, gateway_link::Column::ProjectId)).eq(project),
            )
            .to_owned();
        match self.reader().query_one(&q).await.map_err(db_err)? {
            Some(row) => connected(&row).map(|(d, _)| Some(d)),
            None => Ok(None),
        }
    }

    pub(super) async fn find_sub_devices_of(
        &self,
        project: ProjectId,
        gateway: DeviceId,
    ) -> StoreResult<Vec<DeviceId>> {
        gateway_link::Entity::find()
            .select_only()
            .column(gateway_link::Column::DeviceId)
            .filter(gateway_link::Column::ProjectId.eq(project))
            .filter(gateway_link::Column::GatewayId.eq(gateway))
            .into_tuple()
            .all(self.reader())
            .await
            .map_err(db_err)
    }

    pub(super) async fn find_gateway_of(
        &self,
        project: ProjectId,
        id: DeviceId,
    ) -> StoreResult<Option<DeviceId>> {
        gateway_link::Entity::find()
            .select_only()
            .column(gateway_link::Column::GatewayId)
            .filter(gateway_link::Column::ProjectId.eq(project))
            .filter(gateway_link::Column::DeviceId.eq(id))
            .into_tuple()
            .one(self.reader())
            .await
            .map_err(db_err)
    }
}
