//! Alarm rules on device types.

use sea_orm::entity::prelude::*;

/// One row of `alarm_rules`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "alarm_rules")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub project_id: i64,
    pub type_id: i64,
    pub name: String,
    /// `attribute`, `offline` or `event`.
    pub kind: String,
    /// JSON object: the whole rule spec.
    pub spec: String,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
