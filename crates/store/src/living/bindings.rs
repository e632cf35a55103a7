//! Bindings as seed 002 sees them: with device, type and user; order,
//! nicknames, members leaving, the owner releasing a device, gateways'
//! sub-devices.

use std::collections::{BTreeSet, HashMap};

use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use thingstead_core::Time;
use thingstead_core::living::{Binding, BoundDevice, notice_status};
use thingstead_core::model::{ProjectId, UserId};
use thingstead_core::project::devices::{Device, DeviceId, DeviceType};
use thingstead_core::store::StoreResult;

use crate::convert::{self, ms, time};
use crate::devices::convert as dc;
use crate::entity::{binding, device, device_type, gateway_link, share_notice, user};
use crate::{Db, db_err};

/// Devices by id with their types.
pub(super) async fn devices_with_types(
    conn: &impl ConnectionTrait,
    project: ProjectId,
    ids: impl IntoIterator<Item = DeviceId>,
) -> StoreResult<HashMap<DeviceId, (Device, Option<DeviceType>)>> {
    let rows = device::Entity::find()
        .filter(device::Column::ProjectId.eq(project))
        .filter(device::Column::Id.is_in(ids))
        .find_also_related(device_type::Entity)
        .all(conn)
        .await
        .map_err(db_err)?;
    let mut out = HashMap::new();
    for (d, t) in rows {
        out.insert(d.id, (dc::device(d)?, t.map(dc::device_type).transpose()?));
    }
    Ok(out)
}

/// Users by id.
pub(super) async fn users_by_id(
    conn: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = UserId>,
) -> StoreResult<HashMap<UserId, thingstead_core::model::User>> {
    let rows = user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(conn)
        .await
        .map_err(db_err)?;
    let mut out = HashMap::new();
    for u in rows {
        let u = convert::user(u)?;
        out.insert(u.id, u);
    }
    Ok(out)
}

/// Locks the project's device row until commit (PostgreSQL; SQLite has one
/// writer). False when the project has no such device.
pub(super) async fn lock_device(
    txn: &DatabaseTransaction,
    project: ProjectId,
    device: DeviceId,
) -> StoreResult<bool> {
    let found = device::Entity::find_by_id(device)
        .select_only()
        .column(device::Column::Id)
        .filter(device::Column::ProjectId.eq(project))
        .lock_exclusive()
        .into_tuple::<i64>()
        .one(txn)
        .await
        .map_err(db_err)?;
    Ok(found.is_some())
}

/// Binds `user` as a member of `device` if `owner` owns it and `user` is
/// not bound yet. True when a binding was made.
pub(super) async fn join_as_member(
    txn: &DatabaseTransaction,
    project: ProjectId,
    owner: UserId,
    user: UserId,
    device: DeviceId,
    at: Time,
) -> StoreResult<bool> {
    if !lock_device(txn, project, device).await? {
        return Ok(false);
    }
    let rows = binding::Entity::find()
        .filter(binding::Column::DeviceId.eq(device))
        .filter(binding::Column::UserId.is_in([owner, user]))
        .all(txn)
        .await
        .map_err(db_err)?;
    let owned = rows.iter().any(|b| b.user_id == owner && b.owned);
    let already = rows.iter().any(|b| b.user_id == user);
    if !owned || already {
        return Ok(false);
    }
    binding::Entity::insert(binding::ActiveModel {
        project_id: Set(project),
        user_id: Set(user),
        device_id: Set(device),
        owned: Set(false),
        nickname: Set(String::new()),
        sort: Set(0),
        created_at: Set(ms(at)),
        ..Default::default()
    })
    .exec_without_returning(txn)
    .await
    .map_err(db_err)?;
    Ok(true)
}

impl Db {
    /// Rows of `bindings` with their devices and users, in the rows' order.
    async fn assemble(
        &self,
        project: ProjectId,
        rows: Vec<binding::Model>,
    ) -> StoreResult<Vec<BoundDevice>> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let device_ids: BTreeSet<i64> = rows.iter().map(|r| r.device_id).collect();
        let user_ids: BTreeSet<i64> = rows.iter().map(|r| r.user_id).collect();
        let devices = devices_with_types(self.reader(), project, device_ids).await?;
        let users = users_by_id(self.reader(), user_ids).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let (Some((device, device_type)), Some(user)) =
                (devices.get(&r.device_id), users.get(&r.user_id))
            else {
                continue;
            };
            out.push(BoundDevice {
                binding: Binding {
                    id: r.id,
                    user_id: r.user_id,
                    device_id: r.device_id,
                    owned: r.owned,
                    nickname: r.nickname,
                    sort: r.sort,
                    created_at: time(r.created_at)?,
                },
                device: device.clone(),
                device_type: device_type.clone(),
                user: user.clone(),
            });
        }
        Ok(out)
    }

    pub(crate) async fn living_user_bindings(
        &self,
        project: ProjectId,
        user: UserId,
    ) -> StoreResult<Vec<BoundDevice>> {
        let rows = binding::Entity::find()
            .filter(binding::Column::ProjectId.eq(project))
            .filter(binding::Column::UserId.eq(user))
            .order_by_asc(binding::Column::Sort)
            .order_by_asc(binding::Column::Id)
            .all(self.reader())
            .await
            .map_err(db_err)?;
        self.assemble(project, rows).await
    }

    pub(crate) async fn living_device_bindings(
        &self,
        project: ProjectId,
        device: DeviceId,
    ) -> StoreResult<Vec<BoundDevice>> {
        let rows = binding::Entity::find()
            .filter(binding::Column::ProjectId.eq(project))
            .filter(binding::Column::DeviceId.eq(device))
            .order_by_desc(binding::Column::Owned)
            .order_by_asc(binding::Column::Id)
            .all(self.reader())
            .await
            .map_err(db_err)?;
        self.assemble(project, rows).await
    }

    pub(crate) async fn living_set_nickname(
        &self,
        project: ProjectId,
        user: UserId,
        device: DeviceId,
        nickname: &str,
    ) -> StoreResult<bool> {
        let res = binding::Entity::update_many()
            .col_expr(binding::Column::Nickname, Expr::value(nickname.to_owned()))
            .filter(binding::Column::ProjectId.eq(project))
            .filter(binding::Column::UserId.eq(user))
            .filter(binding::Column::DeviceId.eq(device))
            .exec(self.writer())
            .await
            .map_err(db_err)?;
        Ok(res.rows_affected > 0)
    }

    pub(crate) async fn living_set_order(
        &self,
        project: ProjectId,
        user: UserId,
        devices: &[DeviceId],
    ) -> StoreResult<()> {
        let txn = self.begin().await?;
        for (i, d) in devices.iter().enumerate() {
            binding::Entity::update_many()
                .col_expr(
                    binding::Column::Sort,
                    Expr::value(i32::try_from(i).unwrap_or(i32::MAX)),
                )
                .filter(binding::Column::ProjectId.eq(project))
                .filter(binding::Column::UserId.eq(user))
                .filter(binding::Column::DeviceId.eq(*d))
                .exec(&txn)
                .await
                .map_err(db_err)?;
        }
        txn.commit().await.map_err(db_err)
    }

    pub(crate) async fn living_remove_members(
        &self,
        project: ProjectId,
        user: UserId,
        devices: &[DeviceId],
    ) -> StoreResult<u64> {
        let res = binding::Entity::delete_many()
            .filter(binding::Column::ProjectId.eq(project))
            .filter(binding::Column::UserId.eq(user))
            .filter(binding::Column::DeviceId.is_in(devices.iter().copied()))
            .filter(binding::Column::Owned.eq(false))
            .exec(self.writer())
            .await
            .map_err(db_err)?;
        Ok(res.rows_affected)
    }

    pub(crate) async fn living_release_device(
        &self,
        project: ProjectId,
        device: DeviceId,
        at: Time,
    ) -> StoreResult<()> {
        let txn = self.begin().await?;
        lock_device(&txn, project, device).await?;
        let mut all: Vec<i64> = gateway_link::Entity::find()
            .select_only()
            .column(gateway_link::Column::DeviceId)
            .filter(gateway_link::Column::ProjectId.eq(project))
            .filter(gateway_link::Column::GatewayId.eq(device))
            .into_tuple::<i64>()
            .all(&txn)
            .await
            .map_err(db_err)?;
        all.push(device);
        binding::Entity::delete_many()
            .filter(binding::Column::ProjectId.eq(project))
            .filter(binding::Column::DeviceId.is_in(all.iter().copied()))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        share_notice::Entity::update_many()
            .col_expr(
                share_notice::Column::Status,
                Expr::value(notice_status::OWNER_UNBOUND),
            )
            .col_expr(share_notice::Column::ModifiedAt, Expr::value(ms(at)))
            .filter(share_notice::Column::ProjectId.eq(project))
            .filter(share_notice::Column::DeviceId.is_in(all.iter().copied()))
            .filter(share_notice::Column::Status.eq(notice_status::PENDING))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        txn.commit().await.map_err(db_err)
    }

    pub(crate) async fn living_sub_devices(
        &self,
        project: ProjectId,
        gateway: DeviceId,
    ) -> StoreResult<Vec<(Device, Option<DeviceType>)>> {
        let ids: Vec<i64> = gateway_link::Entity::find()
            .select_only()
            .column(gateway_link::Column::DeviceId)
            .filter(gateway_link::Column::ProjectId.eq(project))
            .filter(gateway_link::Column::GatewayId.eq(gateway))
            .order_by_asc(gateway_link::Column::DeviceId)
            .into_tuple::<i64>()
            .all(self.reader())
            .await
            .map_err(db_err)?;
        let mut found = devices_with_types(self.reader(), project, ids.iter().copied()).await?;
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }

    pub(crate) async fn living_attach_sub_devices(
        &self,
        project: ProjectId,
        gateway: DeviceId,
        devices: &[DeviceId],
    ) -> StoreResult<bool> {
        let wanted: BTreeSet<i64> = devices.iter().copied().collect();
        let txn = self.begin().await?;
        let n = device::Entity::find()
            .filter(device::Column::ProjectId.eq(project))
            .filter(device::Column::Id.is_in(wanted.iter().copied().chain([gateway])))
            .count(&txn)
            .await
            .map_err(db_err)?;
        if n != wanted.len() as u64 + 1 || wanted.contains(&gateway) {
            return Ok(false);
        }
        gateway_link::Entity::delete_many()
            .filter(gateway_link::Column::DeviceId.is_in(wanted.iter().copied()))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        let rows = wanted.iter().map(|d| gateway_link::ActiveModel {
            project_id: Set(project),
            gateway_id: Set(gateway),
            device_id: Set(*d),
            ..Default::default()
        });
        gateway_link::Entity::insert_many(rows)
            .exec_without_returning(&txn)
            .await
            .map_err(db_err)?;
        txn.commit().await.map_err(db_err)?;
        Ok(true)
    }
}
