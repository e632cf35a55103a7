//! Attribute definitions of device types, learned from first values.

use sea_orm::entity::prelude::*;

/// One row of `attribute_models`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attribute_models")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub type_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub identifier: String,
    pub name: String,
    pub data_type: String,
    pub attr_type: String,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
