//! Share notices to a phone number or e-mail address.

use sea_orm::entity::prelude::*;

/// One row of `share_notices`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "share_notices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub project_id: i64,
    pub initiator_id: i64,
    /// `MOBILE` or `EMAIL`.
    pub receiver_kind: String,
    pub receiver_addr: String,
    pub device_id: i64,
    pub status: i32,
    pub created_at: i64,
    pub modified_at: i64,
    pub expires_at: i64,
    pub initiator_cleared: bool,
    pub receiver_cleared: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
