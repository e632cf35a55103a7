//! Device groups.

use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use thingstead_core::model::ProjectId;
use thingstead_core::project::devices::{
    Deletion, DeviceGroup, GroupId, GroupUpdate, NewDeviceGroup,
};
use thingstead_core::store::StoreResult;

use super::convert::{self, is_foreign_key, tags_json};
use crate::convert::{all, ms};
use crate::entity::device_group;
use crate::{Db, db_err};

impl Db {
    pub(super) async fn list_groups(&self, project: ProjectId) -> StoreResult<Vec<DeviceGroup>> {
        let rows = device_group::Entity::find()
            .filter(device_group::Column::ProjectId.eq(project))
            .order_by_asc(device_group::Column::Id)
            .all(self.reader())
            .await
            .map_err(db_err)?;
        all(rows, convert::group)
    }

    pub(super) async fn find_group(
        &self,
        project: ProjectId,
        id: GroupId,
    ) -> StoreResult<Option<DeviceGroup>> {
        device_group::Entity::find_by_id(id)
            .filter(device_group::Column::ProjectId.eq(project))
            .one(self.reader())
            .await
            .map_err(db_err)?
            .map(convert::group)
            .transpose()
    }

    pub(super) async fn add_group(&self, new: NewDeviceGroup) -> StoreResult<DeviceGroup> {
        let row = device_group::ActiveModel {
            id: NotSet,
            project_id: Set(new.project_id),
            parent_id: Set(new.parent_id),
            name: Set(new.name),
            descr: Set(new.descr),
            tags: Set(tags_json(&new.tags)),
            created_at: Set(ms(new.created_at)),
        }
        .insert(self.writer())
        .await
        .map_err(db_err)?;
        convert::group(row)
    }

    pub(super) async fn change_group(
        &self,
        project: ProjectId,
        id: GroupId,
        update: &GroupUpdate,
    ) -> StoreResult<bool> {
        use device_group::Column as C;
        let mut q = device_group::Entity::update_many()
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
        if let Some(parent) = update.parent {
            q = q.col_expr(C::ParentId, Expr::value(parent));
        }
        let res = q.exec(self.writer()).await.map_err(db_err)?;
        Ok(res.rows_affected == 1)
    }

    pub(super) async fn remove_group(
        &self,
        project: ProjectId,
        id: GroupId,
    ) -> StoreResult<Deletion> {
        let txn = self.begin().await?;
        let exists = device_group::Entity::find_by_id(id)
            .filter(device_group::Column::ProjectId.eq(project))
            .one(&txn)
            .await
            .map_err(db_err)?;
        if exists.is_none() {
            return Ok(Deletion::NotFound);
        }
        let child = device_group::Entity::find()
            .filter(device_group::Column::ParentId.eq(id))
            .one(&txn)
            .await
            .map_err(db_err)?;
        if child.is_some() {
            return Ok(Deletion::InUse);
        }
        // Memberships go with the group (ON DELETE CASCADE).
        match device_group::Entity::delete_by_id(id).exec(&txn).await {
            Ok(_) => {}
            Err(e) if is_foreign_key(&e) => return Ok(Deletion::InUse),
            Err(e) => return Err(db_err(e)),
        }
        match txn.commit().await {
            Ok(()) => Ok(Deletion::Deleted),
            Err(e) if is_foreign_key(&e) => Ok(Deletion::InUse),
            Err(e) => Err(db_err(e)),
        }
    }
}
