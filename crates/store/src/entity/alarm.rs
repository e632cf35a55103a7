//! Alarms opened by rules, kept as a log.

use sea_orm::entity::prelude::*;

/// One row of `alarms`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "alarms")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub project_id: i64,
    pub device_id: i64,
    pub rule_id: i64,
    /// 1 open, 2 acknowledged, 3 recovered, 4 cleared.
    pub status: i32,
    /// 1 normal, 2 serious, 3 urgent.
    pub level: i32,
    /// JSON object: rule, message, value, threshold, times.
    pub info: String,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::device::Entity",
        from = "Column::DeviceId",
        to = "super::device::Column::Id"
    )]
    Device,
}

impl Related<super::device::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Device.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
