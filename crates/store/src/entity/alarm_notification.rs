//! Notifications of alarms, queued until delivered or given up.

use sea_orm::entity::prelude::*;

/// One row of `alarm_notifications`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "alarm_notifications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub alarm_id: i64,
    pub project_id: i64,
    pub user_id: i64,
    /// `push`, `sms` or `email`.
    pub channel: String,
    /// Push channel id, phone number or e-mail address.
    pub target: String,
    /// Push channel type or the phone's country code.
    pub target_kind: String,
    /// JSON object: what is sent.
    pub payload: String,
    /// `pending`, `sent` or `failed`.
    pub state: String,
    pub attempts: i32,
    pub due_at: i64,
    /// Claimed by a worker until then.
    pub held_until: Option<i64>,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
