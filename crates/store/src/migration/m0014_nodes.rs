//! Nodes: each running process records itself and beats every few seconds;
//! a device's live connection names its node (`devices.node_id`), so that
//! the devices of a node that stopped beating are set offline by the
//! others (or by the next start of a single process).

use sea_orm_migration::{prelude::*, schema::*};

use super::{create_indexes, drop_tables, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("nodes")
                    .if_not_exists()
                    .col(string("node_id").primary_key())
                    .col(big_integer("started_at"))
                    .col(big_integer("last_seen"))
                    .take(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("devices")
                    .add_column(string_null("node_id"))
                    .take(),
            )
            .await?;
        create_indexes(
            manager,
            vec![index("idx_devices_node_id", "devices", &["node_id"], false)],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_devices_node_id")
                    .if_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("devices")
                    .drop_column("node_id")
                    .take(),
            )
            .await?;
        drop_tables(manager, &["nodes"]).await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
