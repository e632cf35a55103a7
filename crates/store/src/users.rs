//! Accounts: [`UserStore`].

use async_trait::async_trait;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter};
use thingstead_core::model::{NewUser, ProjectId, SessionId, User, UserId};
use thingstead_core::store::{StoreResult, UserStore};

use crate::convert::{self, ms};
use crate::entity::{session, user};
use crate::{Db, db_err};

impl Db {
    /// The user of the project whose `column` equals `value`.
    async fn user_where(
        &self,
        project: ProjectId,
        column: user::Column,
        value: &str,
    ) -> StoreResult<Option<User>> {
        user::Entity::find()
            .filter(user::Column::ProjectId.eq(project))
            .filter(column.eq(value))
            .one(self.reader())
            .await
            .map_err(db_err)?
            .map(convert::user)
            .transpose()
    }
}

#[async_trait]
impl UserStore for Db {
    async fn user(&self, project: ProjectId, id: UserId) -> StoreResult<Option<User>> {
        user::Entity::find_by_id(id)
            .filter(user::Column::ProjectId.eq(project))
            .one(self.reader())
            .await
            .map_err(db_err)?
            .map(convert::user)
            .transpose()
    }

    async fn user_by_phone(&self, project: ProjectId, phone: &str) -> StoreResult<Option<User>> {
        self.user_where(project, user::Column::Phone, phone).await
    }

    async fn user_by_username(
        &self,
        project: ProjectId,
        username: &str,
    ) -> StoreResult<Option<User>> {
        self.user_where(project, user::Column::Username, username)
            .await
    }

    async fn user_by_email(&self, project: ProjectId, email: &str) -> StoreResult<Option<User>> {
        self.user_where(project, user::Column::Email, email).await
    }

    async fn insert_user(&self, new: NewUser) -> StoreResult<User> {
        let row = user::ActiveModel {
            id: NotSet,
            project_id: Set(new.project_id),
            account_no: Set(new.account_no),
            username: Set(new.username),
            phone: Set(new.phone),
            country_code: Set(new.country_code),
            email: Set(new.email),
            nickname: Set(new.nickname),
            head_url: Set(String::new()),
            password_hash: Set(new.password_hash),
            alarm_switch: Set(true),
            created_at: Set(ms(new.created_at)),
            last_login_at: Set(None),
            descr: Set(new.descr),
            tags: Set(convert::tags_text(&new.tags)),
            role_id: Set(new.role_id),
            locale: Set(new.locale),
        }
        .insert(self.writer())
        .await
        .map_err(db_err)?;
        convert::user(row)
    }

    async fn update_user(&self, u: &User) -> StoreResult<()> {
        let changes = user::ActiveModel {
            username: Set(u.username.clone()),
            phone: Set(u.phone.clone()),
            country_code: Set(u.country_code.clone()),
            email: Set(u.email.clone()),
            nickname: Set(u.nickname.clone()),
            head_url: Set(u.head_url.clone()),
            alarm_switch: Set(u.alarm_switch),
            last_login_at: Set(u.last_login_at.map(ms)),
            ..Default::default()
        };
        user::Entity::update_many()
            .set(changes)
            .filter(user::Column::Id.eq(u.id))
            .exec(self.writer())
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn set_password(
        &self,
        id: UserId,
        hash: &str,
        keep: Option<SessionId>,
    ) -> StoreResult<()> {
        let txn = self.begin().await?;
        user::Entity::update_many()
            .col_expr(user::Column::PasswordHash, Expr::value(hash))
            .filter(user::Column::Id.eq(id))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        let mut others = session::Entity::delete_many().filter(session::Column::UserId.eq(id));
        if let Some(keep) = keep {
            others = others.filter(session::Column::Id.ne(keep));
        }
        others.exec(&txn).await.map_err(db_err)?;
        txn.commit().await.map_err(db_err)
    }
}
