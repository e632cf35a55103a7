//! Extend-info definitions of device types.

use sea_orm::entity::prelude::*;

/// One row of `device_type_infos`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "device_type_infos")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub project_id: i64,
    pub type_id: i64,
    pub info_type: String,
    pub name: String,
    pub descr: String,
    pub enabled: bool,
    /// JSON object.
    pub options: String,
    pub is_standard: bool,
    pub created_at: i64,
    pub update_time: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
