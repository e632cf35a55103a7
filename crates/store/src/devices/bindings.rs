//! User–device bindings: a user's devices, a device's users, bind, unbind
//! and device counts. Every read filters on the project.

use std::collections::{BTreeSet, HashMap};

use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, EntityTrait, JoinType, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    RelationTrait,
};
use thingstead_core::Time;
use thingstead_core::model::{ProjectId, User, UserId};
use thingstead_core::project::customers::BindOutcome;
use thingstead_core::project::devices::{DeviceId, DeviceView};
use thingstead_core::store::StoreResult;

use super::rows::view;
use crate::convert::{self, ms};
use crate::entity::{binding, device, device_type, user};
use crate::{Db, db_err};

impl Db {
    pub(crate) async fn bound_devices(
        &self,
        project: ProjectId,
        user: UserId,
        offset: u64,
        limit: u64,
    ) -> StoreResult<(u64, Vec<DeviceView>)> {
        let scope = binding::Entity::find()
            .filter(binding::Column::ProjectId.eq(project))
            .filter(binding::Column::UserId.eq(user));
        let total = scope.clone().count(self.reader());
        let ids = scope
            .select_only()
            .column(binding::Column::DeviceId)
            .order_by_asc(binding::Column::Id)
            .offset(offset)
            .limit(limit)
            .into_tuple::<i64>()
            .all(self.reader());
        let (total, ids) = tokio::try_join!(total, ids).map_err(db_err)?;
        if ids.is_empty() {
            return Ok((total, Vec::new()));
        }
        let rows = device::Entity::find()
            .filter(device::Column::ProjectId.eq(project))
            .filter(device::Column::Id.is_in(ids.iter().copied()))
            .find_also_related(device_type::Entity)
            .all(self.reader())
            .await
            .map_err(db_err)?;
        let mut by_id: HashMap<i64, _> = rows.into_iter().map(|(d, t)| (d.id, (d, t))).collect();
        let items = ids
            .iter()
            .filter_map(|id| by_id.remove(id))
            .map(|(d, t)| view(d, t))
            .collect::<StoreResult<Vec<_>>>()?;
        Ok((total, items))
    }

    pub(crate) async fn bound_users(
        &self,
        project: ProjectId,
        device: DeviceId,
    ) -> StoreResult<Vec<User>> {
        let rows = user::Entity::find()
            .join(JoinType::InnerJoin, binding::Relation::User.def().rev())
            .filter(binding::Column::ProjectId.eq(project))
            .filter(binding::Column::DeviceId.eq(device))
            .order_by_asc(binding::Column::Id)
            .all(self.reader())
            .await
            .map_err(db_err)?;
        convert::all(rows, convert::user)
    }

    pub(crate) async fn bind(
        &self,
        project: ProjectId,
        user: UserId,
        devices: &[DeviceId],
        at: Time,
    ) -> StoreResult<BindOutcome> {
        let wanted: BTreeSet<DeviceId> = devices.iter().copied().collect();
        let txn = self.begin().await?;
        let found_user = user::Entity::find_by_id(user)
            .select_only()
            .column(user::Column::Id)
            .filter(user::Column::ProjectId.eq(project))
            .lock_shared()
            .into_tuple::<i64>()
            .one(&txn)
            .await
            .map_err(db_err)?;
        if found_user.is_none() {
            return Ok(BindOutcome::CustomerNotFound);
        }
        // The devices' rows stay locked until commit (PostgreSQL), so that
        // two first bindings of a device cannot both make an owner.
        let found = device::Entity::find()
            .select_only()
            .column(device::Column::Id)
            .filter(device::Column::ProjectId.eq(project))
            .filter(device::Column::Id.is_in(wanted.iter().copied()))
            .lock_exclusive()
            .into_tuple::<i64>()
            .all(&txn)
            .await
            .map_err(db_err)?;
        if found.len() != wanted.len() {
            return Ok(BindOutcome::DeviceNotFound);
        }
        let existing = binding::Entity::find()
            .select_only()
            .columns([binding::Column::DeviceId, binding::Column::UserId])
            .filter(binding::Column::DeviceId.is_in(wanted.iter().copied()))
            .into_tuple::<(i64, i64)>()
            .all(&txn)
            .await
            .map_err(db_err)?;
        let mut rows = Vec::new();
        for d in wanted {
            if existing.contains(&(d, user)) {
                continue;
            }
            let owned = !existing.iter().any(|(bound, _)| *bound == d);
            rows.push(binding::ActiveModel {
                project_id: Set(project),
                user_id: Set(user),
                device_id: Set(d),
                owned: Set(owned),
                nickname: Set(String::new()),
                sort: Set(0),
                created_at: Set(ms(at)),
                ..Default::default()
            });
        }
        if !rows.is_empty() {
            binding::Entity::insert_many(rows)
                .exec_without_returning(&txn)
                .await
                .map_err(db_err)?;
        }
        txn.commit().await.map_err(db_err)?;
        Ok(BindOutcome::Bound)
    }

    pub(crate) async fn unbind(
        &self,
        project: ProjectId,
        user: UserId,
        device: DeviceId,
    ) -> StoreResult<bool> {
        let res = binding::Entity::delete_many()
            .filter(binding::Column::ProjectId.eq(project))
            .filter(binding::Column::UserId.eq(user))
            .filter(binding::Column::DeviceId.eq(device))
            .exec(self.writer())
            .await
            .map_err(db_err)?;
        Ok(res.rows_affected > 0)
    }

    pub(crate) async fn bound_counts(&self, users: &[UserId]) -> StoreResult<Vec<u64>> {
        if users.is_empty() {
            return Ok(Vec::new());
        }
        let mut q = Query::select();
        q.column(binding::Column::UserId)
            .expr_as(Expr::col(binding::Column::Id).count(), "n")
            .from(binding::Entity)
            .and_where(Expr::col(binding::Column::UserId).is_in(users.iter().copied()))
            .group_by_col(binding::Column::UserId);
        let rows = sea_orm::ConnectionTrait::query_all(self.reader(), &q)
            .await
            .map_err(db_err)?;
        let mut counts = HashMap::new();
        for row in rows {
            let id: i64 = row.try_get("", "user_id").map_err(db_err)?;
            let n: i64 = row.try_get("", "n").map_err(db_err)?;
            counts.insert(id, n.unsigned_abs());
        }
        Ok(users
            .iter()
            .map(|u| counts.get(u).copied().unwrap_or(0))
            .collect())
    }
}
