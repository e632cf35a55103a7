//! Customers (users seen from the project API) and customer roles:
//! [`CustomerStore`].

mod roles;

use async_trait::async_trait;
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use thingstead_core::Time;
use thingstead_core::model::{ProjectId, RoleId, User, UserId};
use thingstead_core::project::Tags;
use thingstead_core::project::customers::{
    BindOutcome, CustomerChanges, CustomerRole, CustomerStore, NewCustomerRole, RoleChanges,
    RoleDeletion, TagsMerge,
};
use thingstead_core::project::devices::{DeviceId, DeviceView};
use thingstead_core::store::StoreResult;

use crate::convert;
use crate::entity::{session, terminal, user};
use crate::{Db, db_err};

#[async_trait]
impl CustomerStore for Db {
    async fn customers(
        &self,
        project: ProjectId,
        offset: u64,
        limit: Option<u64>,
    ) -> StoreResult<Vec<User>> {
        let mut query = user::Entity::find()
            .filter(user::Column::ProjectId.eq(project))
            .order_by_asc(user::Column::Id);
        // SQLite takes no OFFSET without a LIMIT.
        if offset > 0 || limit.is_some() {
            query = query
                .offset(offset)
                .limit(limit.unwrap_or(i64::MAX.unsigned_abs()));
        }
        let rows = query.all(self.reader()).await.map_err(db_err)?;
        convert::all(rows, convert::user)
    }

    async fn count_customers(&self, project: ProjectId) -> StoreResult<u64> {
        user::Entity::find()
            .filter(user::Column::ProjectId.eq(project))
            .count(self.reader())
            .await
            .map_err(db_err)
    }

    async fn customer_devices(
        &self,
        project: ProjectId,
        user: UserId,
        offset: u64,
        limit: u64,
    ) -> StoreResult<(u64, Vec<DeviceView>)> {
        self.bound_devices(project, user, offset, limit).await
    }

    async fn device_customers(
        &self,
        project: ProjectId,
        device: DeviceId,
    ) -> StoreResult<Vec<User>> {
        self.bound_users(project, device).await
    }

    async fn bind_devices(
        &self,
        project: ProjectId,
        user: UserId,
        devices: &[DeviceId],
        at: Time,
    ) -> StoreResult<BindOutcome> {
        self.bind(project, user, devices, at).await
    }

    async fn unbind_device(
        &self,
        project: ProjectId,
        user: UserId,
        device: DeviceId,
    ) -> StoreResult<bool> {
        self.unbind(project, user, device).await
    }

    async fn device_count(&self, user: UserId) -> StoreResult<u64> {
        let counts = self.bound_counts(&[user]).await?;
        Ok(counts.first().copied().unwrap_or(0))
    }

    async fn device_counts(&self, users: &[UserId]) -> StoreResult<Vec<u64>> {
        self.bound_counts(users).await
    }

    async fn update_customer(
        &self,
        project: ProjectId,
        id: UserId,
        changes: &CustomerChanges,
    ) -> StoreResult<bool> {
        let mut row = user::ActiveModel::default();
        if let Some(v) = &changes.nickname {
            row.nickname = Set(v.clone());
        }
        if let Some(v) = &changes.descr {
            row.descr = Set(v.clone());
        }
        if let Some(v) = &changes.email {
            row.email = Set(v.clone());
        }
        if let Some(v) = &changes.phone {
            row.phone = Set(v.clone());
        }
        if let Some(v) = changes.role_id {
            row.role_id = Set(v);
        }
        if let Some(v) = &changes.locale {
            row.locale = Set(v.clone());
        }
        if changes.is_empty() {
            return self.user_exists(project, id).await;
        }
        let done = user::Entity::update_many()
            .set(row)
            .filter(user::Column::ProjectId.eq(project))
            .filter(user::Column::Id.eq(id))
            .exec(self.writer())
            .await
            .map_err(db_err)?;
        Ok(done.rows_affected > 0)
    }

    async fn merge_customer_tags(
        &self,
        project: ProjectId,
        id: UserId,
        tags: &Tags,
        max: usize,
    ) -> StoreResult<TagsMerge> {
        let txn = self.begin().await?;
        // FOR UPDATE on PostgreSQL; SQLite's write transaction already
        // excludes other writers.
        let Some(row) = user::Entity::find_by_id(id)
            .filter(user::Column::ProjectId.eq(project))
            .lock_exclusive()
            .one(&txn)
            .await
            .map_err(db_err)?
        else {
            return Ok(TagsMerge::NotFound);
        };
        let mut merged = convert::tags(&row.tags)?;
        merged.extend(tags.iter().map(|(k, v)| (k.clone(), v.clone())));
        if merged.len() > max {
            return Ok(TagsMerge::TooMany);
        }
        user::Entity::update_many()
            .col_expr(user::Column::Tags, Expr::value(convert::tags_text(&merged)))
            .filter(user::Column::Id.eq(id))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        txn.commit().await.map_err(db_err)?;
        Ok(TagsMerge::Merged)
    }

    async fn delete_customer(&self, project: ProjectId, id: UserId) -> StoreResult<bool> {
        let txn = self.begin().await?;
        let found = user::Entity::find_by_id(id)
            .filter(user::Column::ProjectId.eq(project))
            .lock_exclusive()
            .one(&txn)
            .await
            .map_err(db_err)?;
        if found.is_none() {
            return Ok(false);
        }
        session::Entity::delete_many()
            .filter(session::Column::UserId.eq(id))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        terminal::Entity::delete_many()
            .filter(terminal::Column::UserId.eq(id))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        // Rows that only make sense with the user (provisioning codes and the
        // like) go with it through their foreign keys.
        user::Entity::delete_by_id(id)
            .exec(&txn)
            .await
            .map_err(db_err)?;
        txn.commit().await.map_err(db_err)?;
        Ok(true)
    }

    async fn customer_roles(&self, project: ProjectId) -> StoreResult<Vec<(CustomerRole, u64)>> {
        self.roles_with_counts(project).await
    }

    async fn customer_role(
        &self,
        project: ProjectId,
        id: RoleId,
    ) -> StoreResult<Option<CustomerRole>> {
        self.role(project, id).await
    }

    async fn insert_customer_role(&self, role: NewCustomerRole) -> StoreResult<CustomerRole> {
        self.insert_role(role).await
    }

    async fn update_customer_role(
        &self,
        project: ProjectId,
        id: RoleId,
        changes: &RoleChanges,
    ) -> StoreResult<bool> {
        self.update_role(project, id, changes).await
    }

    async fn delete_customer_role(
        &self,
        project: ProjectId,
        id: RoleId,
    ) -> StoreResult<RoleDeletion> {
        self.delete_role(project, id).await
    }
}

impl Db {
    /// Whether the project has the user `id`.
    async fn user_exists(&self, project: ProjectId, id: UserId) -> StoreResult<bool> {
        let n = user::Entity::find_by_id(id)
            .filter(user::Column::ProjectId.eq(project))
            .count(self.reader())
            .await
            .map_err(db_err)?;
        Ok(n > 0)
    }
}
