//! Devices.

use sea_orm::entity::prelude::*;

/// One row of `devices`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "devices")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub project_id: i64,
    pub type_id: Option<i64>,
    pub name: String,
    pub descr: String,
    pub device_key: String,
    /// JSON object of strings.
    pub tags: String,
    pub access_token: String,
    pub view_token: String,
    pub device_code: String,
    pub online: bool,
    /// JSON object: latest timestamps per message kind.
    pub active: String,
    /// JSON object: alarm state.
    pub alarm: String,
    /// 0 no alarm, 1 normal, 2 serious, 3 urgent.
    pub alarm_level: i32,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::device_type::Entity",
        from = "Column::TypeId",
        to = "super::device_type::Column::Id"
    )]
    DeviceType,
}

impl Related<super::device_type::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::DeviceType.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
