//! Alarms: rules on device types, the alarms they open (kept after their
//! rule is deleted), one queued notification per recipient and channel, and
//! every attempt to deliver one.
//!
//! Rule specs, alarm info and notification payloads are JSON text.

use sea_orm_migration::{prelude::*, schema::*};

use super::{belongs_to, create_indexes, drop_tables, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

async fn create_rules(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table("alarm_rules")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("project_id"))
                .col(big_integer("type_id"))
                .col(string("name"))
                // `attribute`, `offline` or `event`.
                .col(string("kind"))
                .col(text("spec"))
                .col(big_integer("created_at"))
                .foreign_key(&mut belongs_to("alarm_rules", "project_id", "projects"))
                .foreign_key(&mut belongs_to("alarm_rules", "type_id", "device_types"))
                .take(),
        )
        .await
}

async fn create_alarms(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table("alarms")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("project_id"))
                .col(big_integer("device_id"))
                // No foreign key: the alarm outlives its rule.
                .col(big_integer("rule_id"))
                // 1 open, 2 acknowledged, 3 recovered, 4 cleared.
                .col(integer("status"))
                .col(integer("level"))
                .col(text("info"))
                .col(big_integer("created_at"))
                .col(big_integer("updated_at"))
                .foreign_key(&mut belongs_to("alarms", "project_id", "projects"))
                .foreign_key(&mut belongs_to("alarms", "device_id", "devices"))
                .take(),
        )
        .await
}

async fn create_notifications(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table("alarm_notifications")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("alarm_id"))
                .col(big_integer("project_id"))
                .col(big_integer("user_id"))
                // `push`, `sms` or `email`.
                .col(string("channel"))
                .col(string("target"))
                .col(string("target_kind"))
                .col(text("payload"))
                // `pending`, `sent` or `failed`.
                .col(string("state"))
                .col(integer("attempts"))
                .col(big_integer("due_at"))
                .col(big_integer_null("held_until"))
                .col(big_integer("created_at"))
                .foreign_key(&mut belongs_to("alarm_notifications", "alarm_id", "alarms"))
                .take(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table("alarm_notify_attempts")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("notification_id"))
                .col(big_integer("alarm_id"))
                .col(integer("attempt"))
                .col(boolean("ok"))
                .col(text("error"))
                .col(big_integer("at"))
                .foreign_key(&mut belongs_to(
                    "alarm_notify_attempts",
                    "notification_id",
                    "alarm_notifications",
                ))
                .take(),
        )
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_rules(manager).await?;
        create_alarms(manager).await?;
        create_notifications(manager).await?;
        create_indexes(
            manager,
            vec![
                index(
                    "idx_alarm_rules_type_id",
                    "alarm_rules",
                    &["type_id"],
                    false,
                ),
                index(
                    "idx_alarms_project_id_created_at",
                    "alarms",
                    &["project_id", "created_at"],
                    false,
                ),
                index(
                    "idx_alarms_device_id_created_at",
                    "alarms",
                    &["device_id", "created_at"],
                    false,
                ),
                index(
                    "idx_alarms_device_id_rule_id_status",
                    "alarms",
                    &["device_id", "rule_id", "status"],
                    false,
                ),
                index("idx_alarms_status", "alarms", &["status"], false),
                index(
                    "idx_alarm_notifications_state_due_at",
                    "alarm_notifications",
                    &["state", "due_at"],
                    false,
                ),
                index(
                    "idx_alarm_notifications_alarm_id",
                    "alarm_notifications",
                    &["alarm_id"],
                    false,
                ),
                index(
                    "idx_alarm_notify_attempts_alarm_id",
                    "alarm_notify_attempts",
                    &["alarm_id"],
                    false,
                ),
                index(
                    "idx_alarm_notify_attempts_notification_id",
                    "alarm_notify_attempts",
                    &["notification_id"],
                    false,
                ),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(
            manager,
            &[
                "alarm_notify_attempts",
                "alarm_notifications",
                "alarms",
                "alarm_rules",
            ],
        )
        .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
