//! Single writes of device data: cloud attributes, removals, presence and
//! commands.

use std::collections::BTreeMap;

use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::{Alias, Expr, ExprTrait};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QuerySelect};
use serde_json::Value;
use thingstead_core::Time;
use thingstead_core::project::devices::DeviceId;
use thingstead_core::store::StoreResult;
use thingstead_core::telemetry::{ACTIVE_CONNECT, AttrType, Attributes, Transport};

use super::write::{AttributeRows, lock_active, merge_active};
use crate::convert::ms;
use crate::entity::{device, device_attribute, device_command, device_presence};
use crate::{Db, db_err};

/// Identifiers one `DELETE … IN` takes.
const KEYS_PER_STATEMENT: usize = 500;

impl Db {
    pub(super) async fn write_cloud_attributes(
        &self,
        id: DeviceId,
        attrs: &Attributes,
        at: Time,
    ) -> StoreResult<()> {
        if attrs.is_empty() {
            return Ok(());
        }
        let txn = self.begin().await?;
        let type_id: Option<Option<i64>> = device::Entity::find_by_id(id)
            .select_only()
            .column(device::Column::TypeId)
            .lock_exclusive()
            .into_tuple()
            .one(&txn)
            .await
            .map_err(db_err)?;
        // A device deleted meanwhile has no attributes to keep.
        let Some(type_id) = type_id else {
            return Ok(());
        };
        let mut rows = AttributeRows::default();
        rows.add(id, type_id, attrs, ms(at), AttrType::Cloud);
        rows.write(&txn, ms(at)).await?;
        txn.commit().await.map_err(db_err)
    }

    pub(super) async fn delete_attributes(&self, id: DeviceId, keys: &[String]) -> StoreResult<()> {
        let txn = self.begin().await?;
        for chunk in keys.chunks(KEYS_PER_STATEMENT) {
            device_attribute::Entity::delete_many()
                .filter(device_attribute::Column::DeviceId.eq(id))
                .filter(
                    device_attribute::Column::Identifier.is_in(chunk.iter().map(String::as_str)),
                )
                .exec(&txn)
                .await
                .map_err(db_err)?;
        }
        txn.commit().await.map_err(db_err)
    }

    pub(super) async fn write_presence(
        &self,
        id: DeviceId,
        online: bool,
        transport: Transport,
        at: Time,
        node: &str,
    ) -> StoreResult<()> {
        let at = ms(at);
        let txn = self.begin().await?;
        let stored = lock_active(&txn, &[id]).await?;
        let Some(active) = stored.get(&id) else {
            return Ok(());
        };
        let node_id = Expr::col(Alias::new("node_id"));
        let mut update = device::Entity::update_many()
            .col_expr(device::Column::Online, Expr::value(online))
            .filter(device::Column::Id.eq(id));
        if online {
            update = update.col_expr(Alias::new("node_id"), Expr::value(node));
            if let Some(active) = merge_active(active, &BTreeMap::from([(ACTIVE_CONNECT, at)])) {
                update = update.col_expr(device::Column::Active, Expr::value(active));
            }
        } else {
            // Only the node holding the connection takes the device offline:
            // after a takeover on another node, the old node's close changes
            // nothing.
            update = update
                .col_expr(Alias::new("node_id"), Expr::value(Option::<String>::None))
                .filter(
                    Condition::any()
                        .add(node_id.clone().eq(node))
                        .add(node_id.is_null()),
                );
        }
        let changed = update.exec(&txn).await.map_err(db_err)?;
        if changed.rows_affected == 0 {
            return Ok(());
        }
        device_presence::Entity::insert(device_presence::ActiveModel {
            id: NotSet,
            device_id: Set(id),
            online: Set(online),
            transport: Set(transport.as_str().to_owned()),
            at: Set(at),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(db_err)?;
        txn.commit().await.map_err(db_err)
    }

    pub(super) async fn insert_command(
        &self,
        id: DeviceId,
        command: &str,
        body: &Value,
        at: Time,
    ) -> StoreResult<()> {
        device_command::Entity::insert(device_command::ActiveModel {
            id: NotSet,
            device_id: Set(id),
            command_id: Set(command.to_owned()),
            body: Set(body.to_string()),
            sent_at: Set(ms(at)),
            reply: Set(None),
            replied_at: Set(None),
        })
        .exec_without_returning(self.writer())
        .await
        .map_err(db_err)?;
        Ok(())
    }
}
