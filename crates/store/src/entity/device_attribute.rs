//! Devices' current attribute values.

use sea_orm::entity::prelude::*;

/// One row of `device_attributes`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "device_attributes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub device_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub identifier: String,
    /// JSON value.
    pub value: String,
    /// `number`, `boolean`, `string` or `json`.
    pub data_type: String,
    /// `report` or `cloud`.
    pub attr_type: String,
    pub ts: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
