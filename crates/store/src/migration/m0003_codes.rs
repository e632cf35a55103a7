//! Verification codes, the sends counted by the throttles, and failed logins.

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
                    .table("codes")
                    .if_not_exists()
                    .col(big_pk_auto("id"))
                    .col(big_integer("project_id"))
                    .col(string("target"))
                    .col(text("purpose"))
                    .col(string("salt"))
                    .col(string("code_hash"))
                    .col(big_integer("created_at"))
                    .col(big_integer("expires_at"))
                    .col(integer("attempts"))
                    .col(boolean("spent"))
                    .foreign_key(&mut belongs_to("codes", "project_id", "projects"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("code_sends")
                    .if_not_exists()
                    .col(big_pk_auto("id"))
                    .col(big_integer("project_id"))
                    .col(string("target"))
                    .col(string("client_addr"))
                    .col(big_integer("at"))
                    .foreign_key(&mut belongs_to("code_sends", "project_id", "projects"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("login_failures")
                    .if_not_exists()
                    .col(big_pk_auto("id"))
                    .col(big_integer("project_id"))
                    .col(string("key"))
                    .col(big_integer("at"))
                    .foreign_key(&mut belongs_to("login_failures", "project_id", "projects"))
                    .take(),
            )
            .await?;
        create_indexes(
            manager,
            vec![
                index(
                    "idx_codes_project_target_purpose",
                    "codes",
                    &["project_id", "target", "purpose"],
                    false,
                ),
                index(
                    "idx_code_sends_project_target_at",
                    "code_sends",
                    &["project_id", "target", "at"],
                    false,
                ),
                index(
                    "idx_code_sends_client_addr_at",
                    "code_sends",
                    &["client_addr", "at"],
                    false,
                ),
                index(
                    "idx_login_failures_project_key_at",
                    "login_failures",
                    &["project_id", "key", "at"],
                    false,
                ),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["login_failures", "code_sends", "codes"]).await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
