//! Verification codes, send throttles and login failures: [`CodeStore`].

use async_trait::async_trait;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};
use thingstead_core::Time;
use thingstead_core::model::{CodePurpose, NewCode, ProjectId, StoredCode};
use thingstead_core::store::{CodeStore, StoreResult};

use crate::convert::{self, ms, time};
use crate::entity::{code, code_send, login_failure};
use crate::{Db, db_err};

#[async_trait]
impl CodeStore for Db {
    async fn last_send(&self, project: ProjectId, target: &str) -> StoreResult<Option<Time>> {
        code_send::Entity::find()
            .filter(code_send::Column::ProjectId.eq(project))
            .filter(code_send::Column::Target.eq(target))
            .order_by_desc(code_send::Column::At)
            .one(self.reader())
            .await
            .map_err(db_err)?
            .map(|send| time(send.at))
            .transpose()
    }

    async fn count_sends(&self, project: ProjectId, target: &str, since: Time) -> StoreResult<u64> {
        code_send::Entity::find()
            .filter(code_send::Column::ProjectId.eq(project))
            .filter(code_send::Column::Target.eq(target))
            .filter(code_send::Column::At.gte(ms(since)))
            .count(self.reader())
            .await
            .map_err(db_err)
    }

    async fn count_sends_from(&self, client_addr: &str, since: Time) -> StoreResult<u64> {
        code_send::Entity::find()
            .filter(code_send::Column::ClientAddr.eq(client_addr))
            .filter(code_send::Column::At.gte(ms(since)))
            .count(self.reader())
            .await
            .map_err(db_err)
    }

    async fn record_send(
        &self,
        project: ProjectId,
        target: &str,
        client_addr: &str,
        at: Time,
    ) -> StoreResult<i64> {
        let row = code_send::ActiveModel {
            id: NotSet,
            project_id: Set(project),
            target: Set(target.to_owned()),
            client_addr: Set(client_addr.to_owned()),
            at: Set(ms(at)),
        }
        .insert(self.writer())
        .await
        .map_err(db_err)?;
        Ok(row.id)
    }

    async fn delete_send(&self, id: i64) -> StoreResult<()> {
        code_send::Entity::delete_by_id(id)
            .exec(self.writer())
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn replace_code(&self, new: NewCode) -> StoreResult<()> {
        let txn = self.begin().await?;
        code::Entity::update_many()
            .col_expr(code::Column::Spent, Expr::value(true))
            .filter(code::Column::ProjectId.eq(new.project_id))
            .filter(code::Column::Target.eq(new.target.as_str()))
            .filter(code::Column::Purpose.eq(new.purpose.as_str()))
            .filter(code::Column::Spent.eq(false))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        code::ActiveModel {
            id: NotSet,
            project_id: Set(new.project_id),
            target: Set(new.target),
            purpose: Set(new.purpose.as_str().to_owned()),
            salt: Set(new.salt),
            code_hash: Set(new.code_hash),
            created_at: Set(ms(new.created_at)),
            expires_at: Set(ms(new.expires_at)),
            attempts: Set(0),
            spent: Set(false),
        }
        .insert(&txn)
        .await
        .map_err(db_err)?;
        txn.commit().await.map_err(db_err)
    }

    async fn live_code(
        &self,
        project: ProjectId,
        target: &str,
        purposes: &[CodePurpose],
        now: Time,
        max_attempts: i32,
    ) -> StoreResult<Option<StoredCode>> {
        if purposes.is_empty() {
            return Ok(None);
        }
        code::Entity::find()
            .filter(code::Column::ProjectId.eq(project))
            .filter(code::Column::Target.eq(target))
            .filter(code::Column::Purpose.is_in(purposes.iter().map(|p| p.as_str())))
            .filter(code::Column::Spent.eq(false))
            .filter(code::Column::ExpiresAt.gt(ms(now)))
            .filter(code::Column::Attempts.lt(max_attempts))
            .order_by_desc(code::Column::Id)
            .one(self.reader())
            .await
            .map_err(db_err)?
            .map(convert::code)
            .transpose()
    }

    async fn fail_code(&self, id: i64) -> StoreResult<()> {
        code::Entity::update_many()
            .col_expr(
                code::Column::Attempts,
                Expr::col(code::Column::Attempts).add(1),
            )
            .filter(code::Column::Id.eq(id))
            .exec(self.writer())
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn spend_code(&self, id: i64) -> StoreResult<bool> {
        let spent = code::Entity::update_many()
            .col_expr(code::Column::Spent, Expr::value(true))
            .filter(code::Column::Id.eq(id))
            .filter(code::Column::Spent.eq(false))
            .exec(self.writer())
            .await
            .map_err(db_err)?;
        Ok(spent.rows_affected == 1)
    }

    async fn count_login_failures(
        &self,
        project: ProjectId,
        key: &str,
        since: Time,
    ) -> StoreResult<u64> {
        login_failure::Entity::find()
            .filter(login_failure::Column::ProjectId.eq(project))
            .filter(login_failure::Column::Key.eq(key))
            .filter(login_failure::Column::At.gte(ms(since)))
            .count(self.reader())
            .await
            .map_err(db_err)
    }

    async fn record_login_failure(
        &self,
        project: ProjectId,
        key: &str,
        at: Time,
    ) -> StoreResult<()> {
        login_failure::ActiveModel {
            id: NotSet,
            project_id: Set(project),
            key: Set(key.to_owned()),
            at: Set(ms(at)),
        }
        .insert(self.writer())
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn clear_login_failures(&self, project: ProjectId, key: &str) -> StoreResult<()> {
        login_failure::Entity::delete_many()
            .filter(login_failure::Column::ProjectId.eq(project))
            .filter(login_failure::Column::Key.eq(key))
            .exec(self.writer())
            .await
            .map_err(db_err)?;
        Ok(())
    }
}
