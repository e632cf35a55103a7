//! Commands sent to devices, with their replies.

use sea_orm::entity::prelude::*;

/// One row of `device_commands`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "device_commands")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub device_id: i64,
    /// The id on `command/send/<id>`.
    pub command_id: String,
    /// JSON object sent.
    pub body: String,
    pub sent_at: i64,
    /// JSON object of the device's reply.
    pub reply: Option<String>,
    pub replied_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
