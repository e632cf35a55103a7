//! Projects, API apps, admins, project tokens and credential failures:
//! [`AccessStore`].

use async_trait::async_trait;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};
use thingstead_core::Time;
use thingstead_core::bootstrap::Seed;
use thingstead_core::model::{Project, ProjectId};
use thingstead_core::project::access::{
    AccessStore, Admin, ApiApp, NewAdmin, NewApiApp, NewProjectToken, ProjectToken, Removal,
};
use thingstead_core::store::StoreResult;

use crate::convert::{self, ms, tags, tags_text, time};
use crate::entity::{admin, api_app, auth_failure, project, project_token};
use crate::{Db, db_err};

fn api_app_record(m: api_app::Model) -> StoreResult<ApiApp> {
    Ok(ApiApp {
        id: m.id,
        project_id: m.project_id,
        app_id: m.app_id,
        name: m.name,
        access_key: m.access_key,
        secret_hash: m.secret_hash,
        created_at: time(m.created_at)?,
    })
}

fn admin_record(m: admin::Model) -> StoreResult<Admin> {
    Ok(Admin {
        id: m.id,
        project_id: m.project_id,
        account: m.account,
        name: m.name,
        email: m.email,
        tags: tags(&m.tags)?,
        password_hash: m.password_hash,
        created_at: time(m.created_at)?,
    })
}

fn token_record(m: project_token::Model) -> StoreResult<ProjectToken> {
    Ok(ProjectToken {
        id: m.id,
        project_id: m.project_id,
        app_id: m.app_id,
        admin_id: m.admin_id,
        token_hash: m.token_hash,
        created_at: time(m.created_at)?,
        expires_at: time(m.expires_at)?,
    })
}

#[async_trait]
impl AccessStore for Db {
    async fn project_by_id(&self, id: ProjectId) -> StoreResult<Option<Project>> {
        project::Entity::find_by_id(id)
            .one(self.reader())
            .await
            .map_err(db_err)?
            .map(convert::project)
            .transpose()
    }

    async fn list_projects(&self) -> StoreResult<Vec<Project>> {
        let rows = project::Entity::find()
            .order_by_asc(project::Column::Id)
            .all(self.reader())
            .await
            .map_err(db_err)?;
        convert::all(rows, convert::project)
    }

    async fn insert_project(&self, seed: &Seed) -> StoreResult<ProjectId> {
        let txn = self.begin().await?;
        let has_default = project::Entity::find()
            .filter(project::Column::IsDefault.eq(true))
            .one(&txn)
            .await
            .map_err(db_err)?
            .is_some();
        let id = crate::projects::insert_seed(&txn, seed, !has_default).await?;
        txn.commit().await.map_err(db_err)?;
        Ok(id)
    }

    async fn api_app_by_app_id(&self, app_id: &str) -> StoreResult<Option<ApiApp>> {
        api_app::Entity::find()
            .filter(api_app::Column::AppId.eq(app_id))
            .one(self.reader())
            .await
            .map_err(db_err)?
            .map(api_app_record)
            .transpose()
    }

    async fn list_api_apps(&self, project: ProjectId) -> StoreResult<Vec<ApiApp>> {
        let rows = api_app::Entity::find()
            .filter(api_app::Column::ProjectId.eq(project))
            .order_by_asc(api_app::Column::Id)
            .all(self.reader())
            .await
            .map_err(db_err)?;
        convert::all(rows, api_app_record)
    }

    async fn insert_api_app(&self, app: NewApiApp) -> StoreResult<ApiApp> {
        let row = api_app::ActiveModel {
            id: NotSet,
            project_id: Set(app.project_id),
            app_id: Set(app.app_id),
            access_key: Set(app.access_key),
            secret_hash: Set(app.secret_hash),
            created_at: Set(ms(app.created_at)),
            name: Set(app.name),
        }
        .insert(self.writer())
        .await
        .map_err(db_err)?;
        api_app_record(row)
    }

    async fn delete_api_app(&self, project: ProjectId, app_id: &str) -> StoreResult<Removal> {
        let txn = self.begin().await?;
        let Some(app) = api_app::Entity::find()
            .filter(api_app::Column::ProjectId.eq(project))
            .filter(api_app::Column::AppId.eq(app_id))
            .one(&txn)
            .await
            .map_err(db_err)?
        else {
            return Ok(Removal::NotFound);
        };
        let apps = api_app::Entity::find()
            .filter(api_app::Column::ProjectId.eq(project))
            .count(&txn)
            .await
            .map_err(db_err)?;
        if apps <= 1 {
            return Ok(Removal::LastOne);
        }
        project_token::Entity::delete_many()
            .filter(project_token::Column::AppId.eq(app.id))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        api_app::Entity::delete_by_id(app.id)
            .exec(&txn)
            .await
            .map_err(db_err)?;
        txn.commit().await.map_err(db_err)?;
        Ok(Removal::Removed)
    }

    async fn list_admins(&self, project: ProjectId) -> StoreResult<Vec<Admin>> {
        let rows = admin::Entity::find()
            .filter(admin::Column::ProjectId.eq(project))
            .order_by_asc(admin::Column::Id)
            .all(self.reader())
            .await
            .map_err(db_err)?;
        convert::all(rows, admin_record)
    }

    async fn admin_by_id(&self, project: ProjectId, id: i64) -> StoreResult<Option<Admin>> {
        admin::Entity::find_by_id(id)
            .filter(admin::Column::ProjectId.eq(project))
            .one(self.reader())
            .await
            .map_err(db_err)?
            .map(admin_record)
            .transpose()
    }

    async fn admin_by_account(
        &self,
        project: ProjectId,
        account: &str,
    ) -> StoreResult<Option<Admin>> {
        admin::Entity::find()
            .filter(admin::Column::ProjectId.eq(project))
            .filter(admin::Column::Account.eq(account))
            .one(self.reader())
            .await
            .map_err(db_err)?
            .map(admin_record)
            .transpose()
    }

    async fn insert_admin(&self, new: NewAdmin) -> StoreResult<Admin> {
        let row = admin::ActiveModel {
            id: NotSet,
            project_id: Set(new.project_id),
            account: Set(new.account),
            password_hash: Set(new.password_hash),
            created_at: Set(ms(new.created_at)),
            name: Set(new.name),
            email: Set(new.email),
            tags: Set(tags_text(&new.tags)),
        }
        .insert(self.writer())
        .await
        .map_err(db_err)?;
        admin_record(row)
    }

    async fn delete_admin(&self, project: ProjectId, id: i64) -> StoreResult<Removal> {
        let txn = self.begin().await?;
        let found = admin::Entity::find_by_id(id)
            .filter(admin::Column::ProjectId.eq(project))
            .one(&txn)
            .await
            .map_err(db_err)?;
        if found.is_none() {
            return Ok(Removal::NotFound);
        }
        let admins = admin::Entity::find()
            .filter(admin::Column::ProjectId.eq(project))
            .count(&txn)
            .await
            .map_err(db_err)?;
        if admins <= 1 {
            return Ok(Removal::LastOne);
        }
        project_token::Entity::delete_many()
            .filter(project_token::Column::AdminId.eq(id))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        admin::Entity::delete_by_id(id)
            .exec(&txn)
            .await
            .map_err(db_err)?;
        txn.commit().await.map_err(db_err)?;
        Ok(Removal::Removed)
    }

    async fn set_admin_password(
        &self,
        project: ProjectId,
        id: i64,
        hash: &str,
    ) -> StoreResult<bool> {
        let txn = self.begin().await?;
        let updated = admin::Entity::update_many()
            .col_expr(admin::Column::PasswordHash, Expr::value(hash))
            .filter(admin::Column::Id.eq(id))
            .filter(admin::Column::ProjectId.eq(project))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        if updated.rows_affected == 0 {
            return Ok(false);
        }
        project_token::Entity::delete_many()
            .filter(project_token::Column::AdminId.eq(id))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        txn.commit().await.map_err(db_err)?;
        Ok(true)
    }

    async fn insert_project_token(&self, token: NewProjectToken) -> StoreResult<i64> {
        let now = ms(token.created_at);
        project_token::Entity::delete_many()
            .filter(project_token::Column::ExpiresAt.lte(now))
            .exec(self.writer())
            .await
            .map_err(db_err)?;
        let row = project_token::ActiveModel {
            id: NotSet,
            project_id: Set(token.project_id),
            app_id: Set(token.app_id),
            admin_id: Set(token.admin_id),
            token_hash: Set(token.token_hash),
            created_at: Set(now),
            expires_at: Set(ms(token.expires_at)),
        }
        .insert(self.writer())
        .await
        .map_err(db_err)?;
        Ok(row.id)
    }

    async fn project_token(&self, id: i64) -> StoreResult<Option<ProjectToken>> {
        project_token::Entity::find_by_id(id)
            .one(self.reader())
            .await
            .map_err(db_err)?
            .map(token_record)
            .transpose()
    }

    async fn delete_project_token(&self, id: i64) -> StoreResult<()> {
        project_token::Entity::delete_by_id(id)
            .exec(self.writer())
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn count_auth_failures(&self, key: &str, since: Time) -> StoreResult<u64> {
        auth_failure::Entity::find()
            .filter(auth_failure::Column::Key.eq(key))
            .filter(auth_failure::Column::At.gte(ms(since)))
            .count(self.reader())
            .await
            .map_err(db_err)
    }

    async fn record_auth_failure(
        &self,
        key: &str,
        at: Time,
        forget_before: Time,
    ) -> StoreResult<()> {
        auth_failure::Entity::delete_many()
            .filter(auth_failure::Column::At.lt(ms(forget_before)))
            .exec(self.writer())
            .await
            .map_err(db_err)?;
        auth_failure::ActiveModel {
            id: NotSet,
            key: Set(key.to_owned()),
            at: Set(ms(at)),
        }
        .insert(self.writer())
        .await
        .map_err(db_err)?;
        Ok(())
    }

    async fn clear_auth_failures(&self, key: &str) -> StoreResult<()> {
        auth_failure::Entity::delete_many()
            .filter(auth_failure::Column::Key.eq(key))
            .exec(self.writer())
            .await
            .map_err(db_err)?;
        Ok(())
    }
}
