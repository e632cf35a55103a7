//! Attempts to deliver alarm notifications.

use sea_orm::entity::prelude::*;

/// One row of `alarm_notify_attempts`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "alarm_notify_attempts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub notification_id: i64,
    pub alarm_id: i64,
    /// 1 for the first attempt.
    pub attempt: i32,
    pub ok: bool,
    /// Empty when it succeeded.
    pub error: String,
    pub at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::alarm_notification::Entity",
        from = "Column::NotificationId",
        to = "super::alarm_notification::Column::Id"
    )]
    Notification,
}

impl Related<super::alarm_notification::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Notification.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
