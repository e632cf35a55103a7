//! Accounts.

use sea_orm::entity::prelude::*;

/// One row of `users`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub project_id: i64,
    pub account_no: String,
    pub username: Option<String>,
    pub phone: Option<String>,
    pub country_code: String,
    pub email: Option<String>,
    pub nickname: String,
    pub head_url: String,
    pub password_hash: Option<String>,
    pub alarm_switch: bool,
    pub created_at: i64,
    pub last_login_at: Option<i64>,
    pub descr: String,
    /// A JSON object of strings.
    pub tags: String,
    pub role_id: Option<i64>,
    pub locale: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
