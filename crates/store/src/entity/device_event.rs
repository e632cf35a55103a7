//! Events devices reported.

use sea_orm::entity::prelude::*;

/// One row of `device_events`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "device_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub device_id: i64,
    /// The id on `event/report/<id>`.
    pub event_id: String,
    pub method: String,
    /// JSON value.
    pub params: String,
    pub at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
