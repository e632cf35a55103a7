//! Projects, their apps and admins: [`ProjectStore`].

use async_trait::async_trait;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use thingstead_core::StoreError;
use thingstead_core::bootstrap::Seed;
use thingstead_core::model::{Project, ProjectId};
use thingstead_core::store::{ProjectStore, StoreResult};

use crate::convert::{self, ms};
use crate::entity::{admin, api_app, mobile_app, project};
use crate::{Db, db_err};

/// The name of the mobile app created on first start.
const DEFAULT_MOBILE_APP: &str = "Default mobile app";
/// The name of the API app created with a project.
const DEFAULT_API_APP: &str = "Default API app";

#[async_trait]
impl ProjectStore for Db {
    async fn default_project(&self) -> StoreResult<Option<Project>> {
        project::Entity::find()
            .filter(project::Column::IsDefault.eq(true))
            .order_by_asc(project::Column::Id)
            .one(self.reader())
            .await
            .map_err(db_err)?
            .map(convert::project)
            .transpose()
    }

    async fn project_by_client_key(&self, client_key: &str) -> StoreResult<Option<Project>> {
        let Some(app) = mobile_app::Entity::find()
            .filter(mobile_app::Column::ClientKey.eq(client_key))
            .one(self.reader())
            .await
            .map_err(db_err)?
        else {
            return Ok(None);
        };
        project::Entity::find_by_id(app.project_id)
            .one(self.reader())
            .await
            .map_err(db_err)?
            .map(convert::project)
            .transpose()
    }

    async fn bootstrap(&self, seed: &Seed) -> StoreResult<bool> {
        let txn = self.begin().await?;
        let existing = project::Entity::find().one(&txn).await.map_err(db_err)?;
        if existing.is_some() {
            return Ok(false);
        }
        match insert_seed(&txn, seed, true).await {
            Ok(_) => {}
            // Another server created the default project at the same moment
            // (the partial unique index on `is_default` refused ours).
            Err(StoreError::Conflict("is_default")) => return Ok(false),
            Err(e) => return Err(e),
        }
        txn.commit().await.map_err(db_err)?;
        Ok(true)
    }
}

/// Inserts a project with its admin, API app and mobile app (inside the
/// caller's transaction); returns the project's id.
pub(crate) async fn insert_seed<C: ConnectionTrait>(
    conn: &C,
    seed: &Seed,
    is_default: bool,
) -> StoreResult<ProjectId> {
    let at = ms(seed.created_at);
    let project = project::ActiveModel {
        id: NotSet,
        name: Set(seed.project_name.clone()),
        project_key: Set(seed.project_key.clone()),
        is_default: Set(is_default),
        created_at: Set(at),
        descr: Set(String::new()),
        tags: Set("{}".to_owned()),
    }
    .insert(conn)
    .await
    .map_err(db_err)?;
    admin::ActiveModel {
        id: NotSet,
        project_id: Set(project.id),
        account: Set(seed.admin_account.clone()),
        password_hash: Set(seed.admin_password_hash.clone()),
        created_at: Set(at),
        name: Set(seed.admin_account.clone()),
        email: Set(String::new()),
        tags: Set("{}".to_owned()),
    }
    .insert(conn)
    .await
    .map_err(db_err)?;
    api_app::ActiveModel {
        id: NotSet,
        project_id: Set(project.id),
        app_id: Set(seed.app_id.clone()),
        access_key: Set(seed.access_key.clone()),
        secret_hash: Set(seed.secret_key_hash.clone()),
        created_at: Set(at),
        name: Set(DEFAULT_API_APP.to_owned()),
    }
    .insert(conn)
    .await
    .map_err(db_err)?;
    mobile_app::ActiveModel {
        id: NotSet,
        project_id: Set(project.id),
        name: Set(DEFAULT_MOBILE_APP.to_owned()),
        client_key: Set(seed.client_key.clone()),
        created_at: Set(at),
    }
    .insert(conn)
    .await
    .map_err(db_err)?;
    Ok(project.id)
}
