//! Customer roles of a project (seed 003).

use sea_orm::entity::prelude::*;

/// One row of `customer_roles`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "customer_roles")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub project_id: i64,
    pub name: String,
    pub descr: String,
    pub allow_operate_device: bool,
    pub allow_alarm_msg_maintain: bool,
    pub allow_add_device: bool,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
