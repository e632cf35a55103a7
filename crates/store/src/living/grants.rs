//! Push channels and provisioning codes redeemed by devices.

use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use thingstead_core::Time;
use thingstead_core::living::{ProvisionOutcome, PushChannel};
use thingstead_core::model::{ProjectId, SessionId, UserId};
use thingstead_core::project::devices::DeviceId;
use thingstead_core::store::StoreResult;

use super::bindings::lock_device;
use crate::convert::{ms, time};
use crate::entity::{binding, provision_code, push_channel};
use crate::{Db, db_err};

impl Db {
    pub(crate) async fn living_bind_push_channel(
        &self,
        project: ProjectId,
        user: UserId,
        session: SessionId,
        channel: &str,
        device_type: &str,
        at: Time,
    ) -> StoreResult<()> {
        let txn = self.begin().await?;
        push_channel::Entity::delete_many()
            .filter(push_channel::Column::ProjectId.eq(project))
            .filter(push_channel::Column::Channel.eq(channel))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        push_channel::Entity::insert(push_channel::ActiveModel {
            id: NotSet,
            project_id: Set(project),
            user_id: Set(user),
            session_id: Set(session),
            channel: Set(channel.to_owned()),
            device_type: Set(device_type.to_owned()),
            created_at: Set(ms(at)),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(db_err)?;
        txn.commit().await.map_err(db_err)
    }

    pub(crate) async fn living_unbind_push_channel(
        &self,
        project: ProjectId,
        user: UserId,
        channel: &str,
    ) -> StoreResult<bool> {
        let res = push_channel::Entity::delete_many()
            .filter(push_channel::Column::ProjectId.eq(project))
            .filter(push_channel::Column::UserId.eq(user))
            .filter(push_channel::Column::Channel.eq(channel))
            .exec(self.writer())
            .await
            .map_err(db_err)?;
        Ok(res.rows_affected > 0)
    }

    pub(crate) async fn living_push_channels(
        &self,
        project: ProjectId,
        user: UserId,
    ) -> StoreResult<Vec<PushChannel>> {
        let rows = push_channel::Entity::find()
            .filter(push_channel::Column::ProjectId.eq(project))
            .filter(push_channel::Column::UserId.eq(user))
            .order_by_asc(push_channel::Column::Id)
            .all(self.reader())
            .await
            .map_err(db_err)?;
        rows.into_iter()
            .map(|r| {
                Ok(PushChannel {
                    user_id: r.user_id,
                    device_id: r.channel,
                    device_type: r.device_type,
                    created_at: time(r.created_at)?,
                })
            })
            .collect()
    }

    pub(crate) async fn living_redeem_provision_code(
        &self,
        project: ProjectId,
        code_hash: &str,
        device: DeviceId,
        now: Time,
    ) -> StoreResult<ProvisionOutcome> {
        let txn = self.begin().await?;
        let Some(code) = provision_code::Entity::find()
            .filter(provision_code::Column::ProjectId.eq(project))
            .filter(provision_code::Column::CodeHash.eq(code_hash))
            .one(&txn)
            .await
            .map_err(db_err)?
        else {
            return Ok(ProvisionOutcome::Unknown);
        };
        if code.used_at.is_some() {
            return Ok(ProvisionOutcome::Used);
        }
        if code.expires_at <= ms(now) {
            return Ok(ProvisionOutcome::Expired);
        }
        if !lock_device(&txn, project, device).await? {
            return Ok(ProvisionOutcome::Unknown);
        }
        let bound = binding::Entity::find()
            .filter(binding::Column::DeviceId.eq(device))
            .all(&txn)
            .await
            .map_err(db_err)?;
        let owner = bound.iter().find(|b| b.owned).map(|b| b.user_id);
        if owner.is_some_and(|o| o != code.user_id) {
            return Ok(ProvisionOutcome::Owned);
        }
        let spent = provision_code::Entity::update_many()
            .col_expr(provision_code::Column::UsedAt, Expr::value(ms(now)))
            .filter(provision_code::Column::Id.eq(code.id))
            .filter(provision_code::Column::UsedAt.is_null())
            .filter(provision_code::Column::ExpiresAt.gt(ms(now)))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        if spent.rows_affected != 1 {
            return Ok(ProvisionOutcome::Used);
        }
        if owner.is_none() {
            binding::Entity::delete_many()
                .filter(binding::Column::DeviceId.eq(device))
                .filter(binding::Column::UserId.eq(code.user_id))
                .exec(&txn)
                .await
                .map_err(db_err)?;
            binding::Entity::insert(binding::ActiveModel {
                project_id: Set(project),
                user_id: Set(code.user_id),
                device_id: Set(device),
                owned: Set(true),
                nickname: Set(String::new()),
                sort: Set(0),
                created_at: Set(ms(now)),
                ..Default::default()
            })
            .exec_without_returning(&txn)
            .await
            .map_err(db_err)?;
        }
        txn.commit().await.map_err(db_err)?;
        Ok(ProvisionOutcome::Bound(code.user_id))
    }
}
