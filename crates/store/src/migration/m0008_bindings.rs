//! User–device bindings: which customers hold which devices, the first
//! one as the owner.

use sea_orm_migration::{prelude::*, schema::*};

use super::{belongs_to, create_indexes, drop_tables, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("bindings")
                    .if_not_exists()
                    .col(big_pk_auto("id"))
                    .col(big_integer("project_id"))
                    .col(big_integer("user_id"))
                    .col(big_integer("device_id"))
                    .col(boolean("owned"))
                    .col(text("nickname").default(""))
                    .col(integer("sort").default(0))
                    .col(big_integer("created_at"))
                    .foreign_key(&mut belongs_to("bindings", "project_id", "projects"))
                    .foreign_key(&mut belongs_to("bindings", "user_id", "users"))
                    .foreign_key(&mut belongs_to("bindings", "device_id", "devices"))
                    .take(),
            )
            .await?;
        create_indexes(
            manager,
            vec![
                index(
                    "idx_bindings_user_id_device_id",
                    "bindings",
                    &["user_id", "device_id"],
                    true,
                ),
                index("idx_bindings_device_id", "bindings", &["device_id"], false),
                index(
                    "idx_bindings_project_id_user_id_id",
                    "bindings",
                    &["project_id", "user_id", "id"],
                    false,
                ),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["bindings"]).await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
