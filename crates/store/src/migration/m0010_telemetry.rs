//! Device data: current attribute values and their history, attribute
//! models learned per device type, the presence log, commands sent with
//! their replies, events and custom data stream messages.
//!
//! Values, bodies and params are JSON text; data stream payloads are bytes.
//! Everything goes with its device (or, for models, its type).

use sea_orm_migration::{prelude::*, schema::*};

use super::{belongs_to, create_indexes, drop_tables, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

async fn create_attributes(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table("device_attributes")
                .if_not_exists()
                .col(big_integer("device_id"))
                .col(string("identifier"))
                .col(text("value"))
                .col(string("data_type"))
                .col(string("attr_type"))
                .col(big_integer("ts"))
                .primary_key(Index::create().col("device_id").col("identifier"))
                .foreign_key(&mut belongs_to("device_attributes", "device_id", "devices"))
                .take(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table("device_attribute_history")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("device_id"))
                .col(string("identifier"))
                .col(big_integer("ts"))
                .col(text("value"))
                .col(string("data_type"))
                .foreign_key(&mut belongs_to(
                    "device_attribute_history",
                    "device_id",
                    "devices",
                ))
                .take(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table("attribute_models")
                .if_not_exists()
                .col(big_integer("type_id"))
                .col(string("identifier"))
                .col(string("name"))
                .col(string("data_type"))
                .col(string("attr_type"))
                .col(big_integer("created_at"))
                .primary_key(Index::create().col("type_id").col("identifier"))
                .foreign_key(&mut belongs_to(
                    "attribute_models",
                    "type_id",
                    "device_types",
                ))
                .take(),
        )
        .await
}

async fn create_logs(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table("device_presence")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("device_id"))
                .col(boolean("online"))
                .col(string("transport"))
                .col(big_integer("at"))
                .foreign_key(&mut belongs_to("device_presence", "device_id", "devices"))
                .take(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table("device_commands")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("device_id"))
                .col(string("command_id"))
                .col(text("body"))
                .col(big_integer("sent_at"))
                .col(text_null("reply"))
                .col(big_integer_null("replied_at"))
                .foreign_key(&mut belongs_to("device_commands", "device_id", "devices"))
                .take(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table("device_events")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("device_id"))
                .col(string("event_id"))
                .col(string("method"))
                .col(text("params"))
                .col(big_integer("at"))
                .foreign_key(&mut belongs_to("device_events", "device_id", "devices"))
                .take(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table("device_data")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("device_id"))
                .col(string("identifier"))
                .col(blob("payload"))
                .col(big_integer("at"))
                .foreign_key(&mut belongs_to("device_data", "device_id", "devices"))
                .take(),
        )
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_attributes(manager).await?;
        create_logs(manager).await?;
        create_indexes(
            manager,
            vec![
                index(
                    "idx_device_attribute_history_device_identifier_ts",
                    "device_attribute_history",
                    &["device_id", "identifier", "ts"],
                    false,
                ),
                index(
                    "idx_device_presence_device_id_at",
                    "device_presence",
                    &["device_id", "at"],
                    false,
                ),
                index(
                    "idx_device_commands_device_id_command_id",
                    "device_commands",
                    &["device_id", "command_id"],
                    false,
                ),
                index(
                    "idx_device_events_device_id_at",
                    "device_events",
                    &["device_id", "at"],
                    false,
                ),
                index(
                    "idx_device_data_device_id_identifier_at",
                    "device_data",
                    &["device_id", "identifier", "at"],
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
                "device_data",
                "device_events",
                "device_commands",
                "device_presence",
                "attribute_models",
                "device_attribute_history",
                "device_attributes",
            ],
        )
        .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
