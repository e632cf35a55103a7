//! Every attribute value devices (and the cloud) have written.

use sea_orm::entity::prelude::*;

/// One row of `device_attribute_history`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "device_attribute_history")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub device_id: i64,
    pub identifier: String,
    pub ts: i64,
    /// JSON value.
    pub value: String,
    pub data_type: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
