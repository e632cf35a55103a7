//! Device types (products).

use sea_orm::entity::prelude::*;

/// One row of `device_types`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "device_types")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub project_id: i64,
    pub name: String,
    pub descr: String,
    /// JSON object of strings.
    pub tags: String,
    pub conn_type: String,
    pub conn_protocol: String,
    pub type_key: String,
    pub is_gateway: bool,
    pub allow_share: bool,
    pub is_default: bool,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
