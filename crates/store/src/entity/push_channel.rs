//! App installations that receive pushes, tied to a session.

use sea_orm::entity::prelude::*;

/// One row of `push_channels`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "push_channels")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub project_id: i64,
    pub user_id: i64,
    pub session_id: i64,
    /// The app's push `deviceId`.
    pub channel: String,
    /// `iOS` or `ANDROID`.
    pub device_type: String,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
