//! Customer roles, each with how many users hold it.

use std::collections::HashMap;

use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use thingstead_core::model::{ProjectId, RoleId};
use thingstead_core::project::customers::{
    CustomerRole, NewCustomerRole, RoleChanges, RoleDeletion,
};
use thingstead_core::store::StoreResult;

use crate::convert::{self, ms};
use crate::entity::{customer_role, user};
use crate::{Db, db_err};

impl Db {
    pub(super) async fn roles_with_counts(
        &self,
        project: ProjectId,
    ) -> StoreResult<Vec<(CustomerRole, u64)>> {
        let roles = customer_role::Entity::find()
            .filter(customer_role::Column::ProjectId.eq(project))
            .order_by_asc(customer_role::Column::Id)
            .all(self.reader())
            .await
            .map_err(db_err)?;
        let counts: HashMap<i64, i64> = user::Entity::find()
            .select_only()
            .column(user::Column::RoleId)
            .column_as(user::Column::Id.count(), "n")
            .filter(user::Column::ProjectId.eq(project))
            .filter(user::Column::RoleId.is_not_null())
            .group_by(user::Column::RoleId)
            .into_tuple::<(i64, i64)>()
            .all(self.reader())
            .await
            .map_err(db_err)?
            .into_iter()
            .collect();
        roles
            .into_iter()
            .map(|m| {
                let n = counts.get(&m.id).copied().unwrap_or(0);
                Ok((convert::customer_role(m)?, u64::try_from(n).unwrap_or(0)))
            })
            .collect()
    }

    pub(super) async fn role(
        &self,
        project: ProjectId,
        id: RoleId,
    ) -> StoreResult<Option<CustomerRole>> {
        customer_role::Entity::find_by_id(id)
            .filter(customer_role::Column::ProjectId.eq(project))
            .one(self.reader())
            .await
            .map_err(db_err)?
            .map(convert::customer_role)
            .transpose()
    }

    pub(super) async fn insert_role(&self, new: NewCustomerRole) -> StoreResult<CustomerRole> {
        let row = customer_role::ActiveModel {
            id: NotSet,
            project_id: Set(new.project_id),
            name: Set(new.name),
            descr: Set(new.descr),
            allow_operate_device: Set(new.allow_operate_device),
            allow_alarm_msg_maintain: Set(new.allow_alarm_msg_maintain),
            allow_add_device: Set(new.allow_add_device),
            created_at: Set(ms(new.created_at)),
        }
        .insert(self.writer())
        .await
        .map_err(db_err)?;
        convert::customer_role(row)
    }

    pub(super) async fn update_role(
        &self,
        project: ProjectId,
        id: RoleId,
        changes: &RoleChanges,
    ) -> StoreResult<bool> {
        if changes.is_empty() {
            return Ok(self.role(project, id).await?.is_some());
        }
        let mut row = <customer_role::ActiveModel as Default>::default();
        if let Some(v) = &changes.name {
            row.name = Set(v.clone());
        }
        if let Some(v) = &changes.descr {
            row.descr = Set(v.clone());
        }
        if let Some(v) = changes.allow_operate_device {
            row.allow_operate_device = Set(v);
        }
        if let Some(v) = changes.allow_alarm_msg_maintain {
            row.allow_alarm_msg_maintain = Set(v);
        }
        if let Some(v) = changes.allow_add_device {
            row.allow_add_device = Set(v);
        }
        let done = customer_role::Entity::update_many()
            .set(row)
            .filter(customer_role::Column::ProjectId.eq(project))
            .filter(customer_role::Column::Id.eq(id))
            .exec(self.writer())
            .await
            .map_err(db_err)?;
        Ok(done.rows_affected > 0)
    }

    pub(super) async fn delete_role(
        &self,
        project: ProjectId,
        id: RoleId,
    ) -> StoreResult<RoleDeletion> {
        let txn = self.begin().await?;
        let found = customer_role::Entity::find_by_id(id)
            .filter(customer_role::Column::ProjectId.eq(project))
            .lock_exclusive()
            .one(&txn)
            .await
            .map_err(db_err)?;
        if found.is_none() {
            return Ok(RoleDeletion::NotFound);
        }
        let holders = user::Entity::find()
            .filter(user::Column::RoleId.eq(id))
            .count(&txn)
            .await
            .map_err(db_err)?;
        if holders > 0 {
            return Ok(RoleDeletion::InUse);
        }
        customer_role::Entity::delete_by_id(id)
            .exec(&txn)
            .await
            .map_err(db_err)?;
        txn.commit().await.map_err(db_err)?;
        Ok(RoleDeletion::Deleted)
    }
}
