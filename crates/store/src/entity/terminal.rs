//! Phones and PCs an account has logged in on.

use sea_orm::entity::prelude::*;

/// One row of `terminals`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "terminals")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub user_id: i64,
    pub device_no: String,
    pub name: String,
    pub brand: String,
    #[sea_orm(column_name = "model", enum_name = "DeviceModel")]
    pub model: String,
    pub platform: i32,
    pub last_login_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
