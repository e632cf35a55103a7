//! Device types and their extend-info definitions.

use std::collections::HashMap;

use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, TryInsertResult,
};
use thingstead_core::StoreError;
use thingstead_core::model::ProjectId;
use thingstead_core::project::devices::{
    Deletion, DeviceType, DeviceTypeId, DeviceTypeSummary, DeviceTypeUpdate, InfoDef, InfoId,
    NewDeviceType, NewInfoDef,
};
use thingstead_core::store::StoreResult;

use super::convert::{self, dev_err, is_foreign_key, tags_json};
use crate::convert::{all, ms};
use crate::entity::{device, device_type, device_type_info};
use crate::{Db, db_err};

fn type_row(new: &NewDeviceType) -> device_type::ActiveModel {
    device_type::ActiveModel {
        id: NotSet,
        project_id: Set(new.project_id),
        name: Set(new.name.clone()),
        descr: Set(new.descr.clone()),
        tags: Set(tags_json(&new.tags)),
        conn_type: Set(new.conn_type.clone()),
        conn_protocol: Set(new.conn_protocol.clone()),
        type_key: Set(new.type_key.clone()),
        is_gateway: Set(new.is_gateway),
        allow_share: Set(new.allow_share),
        is_default: Set(new.is_default),
        created_at: Set(ms(new.created_at)),
    }
}

fn info_row(new: &NewInfoDef, type_id: DeviceTypeId) -> device_type_info::ActiveModel {
    device_type_info::ActiveModel {
        id: NotSet,
        project_id: Set(new.project_id),
        type_id: Set(type_id),
        info_type: Set(new.info_type.clone()),
        name: Set(new.name.clone()),
        descr: Set(new.descr.clone()),
        enabled: Set(new.enabled),
        options: Set(new.options.to_string()),
        is_standard: Set(new.is_standard),
        created_at: Set(ms(new.created_at)),
        update_time: Set(ms(new.created_at)),
    }
}

/// Stores the definitions of a type just inserted.
async fn insert_infos(
    conn: &impl ConnectionTrait,
    infos: &[NewInfoDef],
    type_id: DeviceTypeId,
) -> StoreResult<()> {
    if infos.is_empty() {
        return Ok(());
    }
    device_type_info::Entity::insert_many(infos.iter().map(|i| info_row(i, type_id)))
        .exec_without_returning(conn)
        .await
        .map_err(dev_err)?;
    Ok(())
}

/// The project's default type.
pub(super) async fn find_default(
    conn: &impl ConnectionTrait,
    project: ProjectId,
) -> StoreResult<Option<DeviceType>> {
    device_type::Entity::find()
        .filter(device_type::Column::ProjectId.eq(project))
        .filter(device_type::Column::IsDefault.eq(true))
        .one(conn)
        .await
        .map_err(db_err)?
        .map(convert::device_type)
        .transpose()
}

/// The project's default type, created from `seed` if missing. Inside a
/// write transaction: a concurrent creator's insert does nothing (the
/// partial unique index lets one default per project in; no conflict
/// target, so that both backends match that index) and the committed one is
/// read back.
pub(super) async fn ensure_default(
    txn: &impl ConnectionTrait,
    seed: &NewDeviceType,
) -> StoreResult<DeviceType> {
    if let Some(found) = find_default(txn, seed.project_id).await? {
        return Ok(found);
    }
    let inserted = device_type::Entity::insert(type_row(seed))
        .on_conflict(OnConflict::new().do_nothing().to_owned())
        .try_insert()
        .exec_with_returning(txn)
        .await
        .map_err(dev_err)?;
    if let TryInsertResult::Inserted(row) = inserted {
        insert_infos(txn, &seed.infos, row.id).await?;
        return convert::device_type(row);
    }
    find_default(txn, seed.project_id)
        .await?
        .ok_or_else(|| StoreError::Backend("default device type vanished".into()))
}

impl Db {
    pub(super) async fn list_device_types(
        &self,
        project: ProjectId,
    ) -> StoreResult<Vec<DeviceTypeSummary>> {
        let types = device_type::Entity::find()
            .filter(device_type::Column::ProjectId.eq(project))
            .order_by_asc(device_type::Column::Id)
            .all(self.reader())
            .await
            .map_err(db_err)?;
        let counts: HashMap<Option<i64>, i64> = device::Entity::find()
            .select_only()
            .column(device::Column::TypeId)
            .column_as(Expr::col(device::Column::Id).count(), "n")
            .filter(device::Column::ProjectId.eq(project))
            .group_by(device::Column::TypeId)
            .into_tuple::<(Option<i64>, i64)>()
            .all(self.reader())
            .await
            .map_err(db_err)?
            .into_iter()
            .collect();
        types
            .into_iter()
            .map(|t| {
                let device_count = counts.get(&Some(t.id)).copied().unwrap_or(0);
                Ok(DeviceTypeSummary {
                    device_type: convert::device_type(t)?,
                    device_count: u64::try_from(device_count).unwrap_or(0),
                })
            })
            .collect()
    }

    pub(super) async fn find_device_type(
        &self,
        project: ProjectId,
        id: DeviceTypeId,
    ) -> StoreResult<Option<DeviceType>> {
        device_type::Entity::find_by_id(id)
            .filter(device_type::Column::ProjectId.eq(project))
            .one(self.reader())
            .await
            .map_err(db_err)?
            .map(convert::device_type)
            .transpose()
    }

    pub(super) async fn add_device_type(&self, new: NewDeviceType) -> StoreResult<DeviceType> {
        let txn = self.begin().await?;
        let row = type_row(&new).insert(&txn).await.map_err(dev_err)?;
        insert_infos(&txn, &new.infos, row.id).await?;
        txn.commit().await.map_err(db_err)?;
        convert::device_type(row)
    }

    pub(super) async fn change_device_type(
        &self,
        project: ProjectId,
        id: DeviceTypeId,
        update: &DeviceTypeUpdate,
    ) -> StoreResult<bool> {
        use device_type::Column as C;
        let mut q = device_type::Entity::update_many()
            .filter(C::Id.eq(id))
            .filter(C::ProjectId.eq(project));
        if let Some(v) = &update.name {
            q = q.col_expr(C::Name, Expr::value(v.clone()));
        }
        if let Some(v) = &update.descr {
            q = q.col_expr(C::Descr, Expr::value(v.clone()));
        }
        if let Some(v) = &update.tags {
            q = q.col_expr(C::Tags, Expr::value(tags_json(v)));
        }
        if let Some(v) = &update.conn_type {
            q = q.col_expr(C::ConnType, Expr::value(v.clone()));
        }
        if let Some(v) = &update.conn_protocol {
            q = q.col_expr(C::ConnProtocol, Expr::value(v.clone()));
        }
        if let Some(v) = update.is_gateway {
            q = q.col_expr(C::IsGateway, Expr::value(v));
        }
        if let Some(v) = update.allow_share {
            q = q.col_expr(C::AllowShare, Expr::value(v));
        }
        let res = q.exec(self.writer()).await.map_err(dev_err)?;
        Ok(res.rows_affected == 1)
    }

    pub(super) async fn remove_device_type(
        &self,
        project: ProjectId,
        id: DeviceTypeId,
    ) -> StoreResult<Deletion> {
        let txn = self.begin().await?;
        let exists = device_type::Entity::find_by_id(id)
            .filter(device_type::Column::ProjectId.eq(project))
            .one(&txn)
            .await
            .map_err(db_err)?;
        if exists.is_none() {
            return Ok(Deletion::NotFound);
        }
        let used = device::Entity::find()
            .select_only()
            .column(device::Column::Id)
            .filter(device::Column::ProjectId.eq(project))
            .filter(device::Column::TypeId.eq(id))
            .limit(1)
            .into_tuple::<i64>()
            .one(&txn)
            .await
            .map_err(db_err)?;
        if used.is_some() {
            return Ok(Deletion::InUse);
        }
        match device_type::Entity::delete_by_id(id).exec(&txn).await {
            Ok(_) => {}
            // A device created at the same moment still refers to it.
            Err(e) if is_foreign_key(&e) => return Ok(Deletion::InUse),
            Err(e) => return Err(db_err(e)),
        }
        match txn.commit().await {
            Ok(()) => Ok(Deletion::Deleted),
            Err(e) if is_foreign_key(&e) => Ok(Deletion::InUse),
            Err(e) => Err(db_err(e)),
        }
    }

    pub(super) async fn list_type_infos(
        &self,
        project: ProjectId,
        type_id: DeviceTypeId,
    ) -> StoreResult<Vec<InfoDef>> {
        let rows = device_type_info::Entity::find()
            .filter(device_type_info::Column::ProjectId.eq(project))
            .filter(device_type_info::Column::TypeId.eq(type_id))
            .order_by_desc(device_type_info::Column::IsStandard)
            .order_by_asc(device_type_info::Column::Id)
            .all(self.reader())
            .await
            .map_err(db_err)?;
        all(rows, convert::info_def)
    }

    pub(super) async fn add_type_info(&self, new: NewInfoDef) -> StoreResult<InfoDef> {
        let row = info_row(&new, new.type_id)
            .insert(self.writer())
            .await
            .map_err(dev_err)?;
        convert::info_def(row)
    }

    pub(super) async fn remove_type_info(
        &self,
        project: ProjectId,
        type_id: DeviceTypeId,
        id: InfoId,
    ) -> StoreResult<bool> {
        let res = device_type_info::Entity::delete_many()
            .filter(device_type_info::Column::Id.eq(id))
            .filter(device_type_info::Column::TypeId.eq(type_id))
            .filter(device_type_info::Column::ProjectId.eq(project))
            .exec(self.writer())
            .await
            .map_err(db_err)?;
        Ok(res.rows_affected == 1)
    }
}
