//! Project administrators.

use sea_orm::entity::prelude::*;

/// One row of `admins`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "admins")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub project_id: i64,
    pub account: String,
    pub password_hash: String,
    pub created_at: i64,
    pub name: String,
    pub email: String,
    /// JSON object of strings.
    pub tags: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
