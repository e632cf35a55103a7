//! Share keys and share notices. Spending a key and answering notices are
//! conditional updates inside a transaction: of two callers at once, one
//! wins and the other changes nothing.

use std::collections::BTreeSet;

use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use thingstead_core::StoreError;
use thingstead_core::Time;
use thingstead_core::living::{
    Address, NewNotice, NewShareKey, NoticeId, NoticeView, Recipient, ShareKey, notice_status,
};
use thingstead_core::model::{ProjectId, UserId};
use thingstead_core::store::StoreResult;

use super::bindings::{devices_with_types, join_as_member, users_by_id};
use super::scenes::join_scene;
use crate::convert::{ms, time};
use crate::entity::{share_key, share_notice};
use crate::{Db, db_err};

fn ids_text(ids: &[i64]) -> String {
    serde_json::to_string(ids).unwrap_or_else(|_| "[]".into())
}

fn ids_of(column: &str, text: &str) -> StoreResult<Vec<i64>> {
    serde_json::from_str(text).map_err(|e| StoreError::Backend(format!("{column}: {e}")))
}

fn key(m: share_key::Model) -> StoreResult<ShareKey> {
    Ok(ShareKey {
        id: m.id,
        project_id: m.project_id,
        owner_id: m.owner_id,
        devices: ids_of("share_keys.devices", &m.devices)?,
        scenes: ids_of("share_keys.scenes", &m.scenes)?,
        expires_at: time(m.expires_at)?,
    })
}

/// Notices addressed to `me`: at its phone or its e-mail address.
fn received_by(me: &Recipient) -> Condition {
    let mut any = Condition::any();
    if let Some(phone) = &me.phone {
        any = any.add(
            Condition::all()
                .add(share_notice::Column::ReceiverKind.eq("MOBILE"))
                .add(share_notice::Column::ReceiverAddr.eq(phone.clone())),
        );
    }
    if let Some(email) = &me.email {
        any = any.add(
            Condition::all()
                .add(share_notice::Column::ReceiverKind.eq("EMAIL"))
                .add(share_notice::Column::ReceiverAddr.eq(email.clone())),
        );
    }
    if me.phone.is_none() && me.email.is_none() {
        // No address: receives nothing.
        any = any.add(share_notice::Column::Id.lt(0));
    }
    any
}

fn address(kind: &str, addr: String) -> Address {
    if kind == "EMAIL" {
        Address::Email(addr)
    } else {
        Address::Mobile(addr)
    }
}

impl Db {
    pub(crate) async fn living_insert_share_key(&self, new: NewShareKey) -> StoreResult<()> {
        share_key::Entity::insert(share_key::ActiveModel {
            id: NotSet,
            project_id: Set(new.project_id),
            owner_id: Set(new.owner_id),
            key_hash: Set(new.key_hash),
            devices: Set(ids_text(&new.devices)),
            scenes: Set(ids_text(&new.scenes)),
            created_at: Set(ms(new.created_at)),
            expires_at: Set(ms(new.expires_at)),
            used_at: Set(None),
            used_by: Set(None),
        })
        .exec_without_returning(self.writer())
        .await
        .map_err(db_err)?;
        Ok(())
    }

    pub(crate) async fn living_share_key(
        &self,
        project: ProjectId,
        key_hash: &str,
        now: Time,
    ) -> StoreResult<Option<ShareKey>> {
        share_key::Entity::find()
            .filter(share_key::Column::ProjectId.eq(project))
            .filter(share_key::Column::KeyHash.eq(key_hash))
            .filter(share_key::Column::UsedAt.is_null())
            .filter(share_key::Column::ExpiresAt.gt(ms(now)))
            .one(self.reader())
            .await
            .map_err(db_err)?
            .map(key)
            .transpose()
    }

    pub(crate) async fn living_redeem_share_key(
        &self,
        project: ProjectId,
        key_hash: &str,
        user: UserId,
        now: Time,
    ) -> StoreResult<Option<ShareKey>> {
        let txn = self.begin().await?;
        let spent = share_key::Entity::update_many()
            .col_expr(share_key::Column::UsedAt, Expr::value(ms(now)))
            .col_expr(share_key::Column::UsedBy, Expr::value(user))
            .filter(share_key::Column::ProjectId.eq(project))
            .filter(share_key::Column::KeyHash.eq(key_hash))
            .filter(share_key::Column::UsedAt.is_null())
            .filter(share_key::Column::ExpiresAt.gt(ms(now)))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        if spent.rows_affected != 1 {
            return Ok(None);
        }
        let Some(row) = share_key::Entity::find()
            .filter(share_key::Column::KeyHash.eq(key_hash))
            .one(&txn)
            .await
            .map_err(db_err)?
        else {
            return Ok(None);
        };
        let found = key(row)?;
        for d in &found.devices {
            join_as_member(&txn, project, found.owner_id, user, *d, now).await?;
        }
        for s in &found.scenes {
            join_scene(&txn, project, found.owner_id, user, *s, now).await?;
        }
        txn.commit().await.map_err(db_err)?;
        Ok(Some(found))
    }

    pub(crate) async fn living_insert_notices(&self, notices: &[NewNotice]) -> StoreResult<()> {
        if notices.is_empty() {
            return Ok(());
        }
        let rows = notices.iter().map(|n| share_notice::ActiveModel {
            id: NotSet,
            project_id: Set(n.project_id),
            initiator_id: Set(n.initiator_id),
            receiver_kind: Set(n.receiver.kind().to_owned()),
            receiver_addr: Set(n.receiver.value().to_owned()),
            device_id: Set(n.device_id),
            status: Set(notice_status::PENDING),
            created_at: Set(ms(n.created_at)),
            modified_at: Set(ms(n.created_at)),
            expires_at: Set(ms(n.expires_at)),
            initiator_cleared: Set(false),
            receiver_cleared: Set(false),
        });
        let txn = self.begin().await?;
        share_notice::Entity::insert_many(rows)
            .exec_without_returning(&txn)
            .await
            .map_err(db_err)?;
        txn.commit().await.map_err(db_err)
    }

    pub(crate) async fn living_count_sent_notices(
        &self,
        project: ProjectId,
        initiator: UserId,
        since: Time,
    ) -> StoreResult<u64> {
        share_notice::Entity::find()
            .filter(share_notice::Column::ProjectId.eq(project))
            .filter(share_notice::Column::InitiatorId.eq(initiator))
            .filter(share_notice::Column::CreatedAt.gte(ms(since)))
            .count(self.reader())
            .await
            .map_err(db_err)
    }

    pub(crate) async fn living_notices(
        &self,
        project: ProjectId,
        me: &Recipient,
    ) -> StoreResult<Vec<NoticeView>> {
        let rows = share_notice::Entity::find()
            .filter(share_notice::Column::ProjectId.eq(project))
            .filter(
                Condition::any()
                    .add(
                        Condition::all()
                            .add(share_notice::Column::InitiatorId.eq(me.user_id))
                            .add(share_notice::Column::InitiatorCleared.eq(false)),
                    )
                    .add(
                        Condition::all()
                            .add(received_by(me))
                            .add(share_notice::Column::ReceiverCleared.eq(false)),
                    ),
            )
            .order_by_desc(share_notice::Column::Id)
            .all(self.reader())
            .await
            .map_err(db_err)?;
        let device_ids: BTreeSet<i64> = rows.iter().map(|r| r.device_id).collect();
        let user_ids: BTreeSet<i64> = rows.iter().map(|r| r.initiator_id).collect();
        let devices = devices_with_types(self.reader(), project, device_ids).await?;
        let users = users_by_id(self.reader(), user_ids).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let (Some((device, device_type)), Some(initiator)) =
                (devices.get(&r.device_id), users.get(&r.initiator_id))
            else {
                continue;
            };
            out.push(NoticeView {
                id: r.id,
                initiator: initiator.clone(),
                receiver: address(&r.receiver_kind, r.receiver_addr),
                device: device.clone(),
                device_type: device_type.clone(),
                status: r.status,
                created_at: time(r.created_at)?,
                modified_at: time(r.modified_at)?,
                expires_at: time(r.expires_at)?,
            });
        }
        Ok(out)
    }

    pub(crate) async fn living_answer_notices(
        &self,
        project: ProjectId,
        me: &Recipient,
        ids: &[NoticeId],
        agree: bool,
        now: Time,
    ) -> StoreResult<bool> {
        let status = if agree {
            notice_status::AGREED
        } else {
            notice_status::REFUSED
        };
        let txn = self.begin().await?;
        let answered = share_notice::Entity::update_many()
            .col_expr(share_notice::Column::Status, Expr::value(status))
            .col_expr(share_notice::Column::ModifiedAt, Expr::value(ms(now)))
            .filter(share_notice::Column::ProjectId.eq(project))
            .filter(share_notice::Column::Id.is_in(ids.iter().copied()))
            .filter(share_notice::Column::Status.eq(notice_status::PENDING))
            .filter(share_notice::Column::ExpiresAt.gt(ms(now)))
            .filter(received_by(me))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        if answered.rows_affected != ids.len() as u64 {
            return Ok(false);
        }
        if agree {
            let rows = share_notice::Entity::find()
                .filter(share_notice::Column::Id.is_in(ids.iter().copied()))
                .all(&txn)
                .await
                .map_err(db_err)?;
            for r in rows {
                join_as_member(&txn, project, r.initiator_id, me.user_id, r.device_id, now).await?;
            }
        }
        txn.commit().await.map_err(db_err)?;
        Ok(true)
    }

    pub(crate) async fn living_cancel_notices(
        &self,
        project: ProjectId,
        initiator: UserId,
        ids: &[NoticeId],
        now: Time,
    ) -> StoreResult<bool> {
        let txn = self.begin().await?;
        let cancelled = share_notice::Entity::update_many()
            .col_expr(
                share_notice::Column::Status,
                Expr::value(notice_status::CANCELLED),
            )
            .col_expr(share_notice::Column::ModifiedAt, Expr::value(ms(now)))
            .filter(share_notice::Column::ProjectId.eq(project))
            .filter(share_notice::Column::InitiatorId.eq(initiator))
            .filter(share_notice::Column::Id.is_in(ids.iter().copied()))
            .filter(share_notice::Column::Status.eq(notice_status::PENDING))
            .filter(share_notice::Column::ExpiresAt.gt(ms(now)))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        if cancelled.rows_affected != ids.len() as u64 {
            return Ok(false);
        }
        txn.commit().await.map_err(db_err)?;
        Ok(true)
    }

    pub(crate) async fn living_clear_notices(
        &self,
        project: ProjectId,
        me: &Recipient,
    ) -> StoreResult<()> {
        let txn = self.begin().await?;
        share_notice::Entity::update_many()
            .col_expr(share_notice::Column::InitiatorCleared, Expr::value(true))
            .filter(share_notice::Column::ProjectId.eq(project))
            .filter(share_notice::Column::InitiatorId.eq(me.user_id))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        share_notice::Entity::update_many()
            .col_expr(share_notice::Column::ReceiverCleared, Expr::value(true))
            .filter(share_notice::Column::ProjectId.eq(project))
            .filter(received_by(me))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        txn.commit().await.map_err(db_err)
    }
}
