//! Sessions and terminals: [`SessionStore`].

use async_trait::async_trait;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use thingstead_core::Time;
use thingstead_core::model::{
    NewSession, Platform, Session, SessionId, Terminal, TerminalId, TerminalInfo, User, UserId,
};
use thingstead_core::store::{SessionStore, StoreResult};

use crate::convert::{self, ms, platform_id};
use crate::entity::{session, terminal, user};
use crate::{Db, db_err};

#[async_trait]
impl SessionStore for Db {
    async fn insert_session(&self, new: NewSession) -> StoreResult<Session> {
        let row = session::ActiveModel {
            id: NotSet,
            user_id: Set(new.user_id),
            project_id: Set(new.project_id),
            token_hash: Set(new.token_hash),
            platform: Set(platform_id(new.platform)),
            terminal_id: Set(new.terminal_id),
            created_at: Set(ms(new.created_at)),
            last_seen_at: Set(ms(new.created_at)),
            idle_secs: Set(new.idle_secs),
            expires_at: Set(ms(new.expires_at)),
        }
        .insert(self.writer())
        .await
        .map_err(db_err)?;
        convert::session(row)
    }

    async fn session(&self, id: SessionId) -> StoreResult<Option<Session>> {
        session::Entity::find_by_id(id)
            .one(self.reader())
            .await
            .map_err(db_err)?
            .map(convert::session)
            .transpose()
    }

    async fn session_with_user(&self, id: SessionId) -> StoreResult<Option<(Session, User)>> {
        let row = session::Entity::find_by_id(id)
            .find_also_related(user::Entity)
            .one(self.reader())
            .await
            .map_err(db_err)?;
        match row {
            Some((s, Some(u))) => Ok(Some((convert::session(s)?, convert::user(u)?))),
            _ => Ok(None),
        }
    }

    async fn touch_session(&self, id: SessionId, at: Time) -> StoreResult<()> {
        session::Entity::update_many()
            .col_expr(session::Column::LastSeenAt, Expr::value(ms(at)))
            .filter(session::Column::Id.eq(id))
            .exec(self.writer())
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn delete_session(&self, id: SessionId) -> StoreResult<()> {
        session::Entity::delete_by_id(id)
            .exec(self.writer())
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn terminal_by_device_no(
        &self,
        user: UserId,
        device_no: &str,
    ) -> StoreResult<Option<Terminal>> {
        terminal::Entity::find()
            .filter(terminal::Column::UserId.eq(user))
            .filter(terminal::Column::DeviceNo.eq(device_no))
            .one(self.reader())
            .await
            .map_err(db_err)?
            .map(convert::terminal)
            .transpose()
    }

    async fn upsert_terminal(
        &self,
        user: UserId,
        info: &TerminalInfo,
        platform: Platform,
        at: Time,
    ) -> StoreResult<Terminal> {
        let row = terminal::ActiveModel {
            id: NotSet,
            user_id: Set(user),
            device_no: Set(info.device_no.clone()),
            name: Set(info.name.clone()),
            brand: Set(info.brand.clone()),
            model: Set(info.model.clone()),
            platform: Set(platform_id(platform)),
            last_login_at: Set(ms(at)),
        };
        // One statement, so that two logins at once cannot both insert.
        let on_conflict =
            OnConflict::columns([terminal::Column::UserId, terminal::Column::DeviceNo])
                .update_columns([
                    terminal::Column::Name,
                    terminal::Column::Brand,
                    terminal::Column::DeviceModel,
                    terminal::Column::Platform,
                    terminal::Column::LastLoginAt,
                ])
                .to_owned();
        let row = terminal::Entity::insert(row)
            .on_conflict(on_conflict)
            .exec_with_returning(self.writer())
            .await
            .map_err(db_err)?;
        convert::terminal(row)
    }

    async fn terminals(&self, user: UserId) -> StoreResult<Vec<Terminal>> {
        let rows = terminal::Entity::find()
            .filter(terminal::Column::UserId.eq(user))
            .order_by_asc(terminal::Column::Id)
            .all(self.reader())
            .await
            .map_err(db_err)?;
        convert::all(rows, convert::terminal)
    }

    async fn delete_terminal(&self, user: UserId, id: TerminalId) -> StoreResult<bool> {
        let txn = self.begin().await?;
        let owned = terminal::Entity::find_by_id(id)
            .filter(terminal::Column::UserId.eq(user))
            .one(&txn)
            .await
            .map_err(db_err)?;
        if owned.is_none() {
            return Ok(false);
        }
        session::Entity::delete_many()
            .filter(session::Column::TerminalId.eq(id))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        let deleted = terminal::Entity::delete_many()
            .filter(terminal::Column::Id.eq(id))
            .filter(terminal::Column::UserId.eq(user))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        txn.commit().await.map_err(db_err)?;
        Ok(deleted.rows_affected == 1)
    }
}
