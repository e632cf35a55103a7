//! Share QR keys (digests only).

use sea_orm::entity::prelude::*;

/// One row of `share_keys`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "share_keys")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub project_id: i64,
    pub owner_id: i64,
    pub key_hash: String,
    /// JSON array of device ids.
    pub devices: String,
    /// JSON array of scene ids.
    pub scenes: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
    pub used_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
