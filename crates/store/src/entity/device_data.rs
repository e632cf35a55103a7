//! Custom data stream messages devices sent.

use sea_orm::entity::prelude::*;

/// One row of `device_data`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "device_data")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub device_id: i64,
    /// The stream: `data/<identifier>`, or `stream` for TCP frames.
    pub identifier: String,
    pub payload: Vec<u8>,
    pub at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
