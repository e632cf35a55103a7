//! Project API access: project description and tags, names of API apps,
//! admins' profile, project tokens and credential failures.
//!
//! SQLite adds one column per `ALTER TABLE`, and only with a default.

use sea_orm_migration::{prelude::*, schema::*};

use super::{belongs_to, create_indexes, drop_tables, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The columns added to existing tables, each with its default.
fn added_columns() -> Vec<(&'static str, ColumnDef)> {
    vec![
        ("projects", text("descr").default("").take()),
        ("projects", text("tags").default("{}").take()),
        ("api_apps", string("name").default("").take()),
        ("admins", string("name").default("").take()),
        ("admins", string("email").default("").take()),
        ("admins", text("tags").default("{}").take()),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, mut column) in added_columns() {
            manager
                .alter_table(Table::alter().table(table).add_column(&mut column).take())
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table("project_tokens")
                    .if_not_exists()
                    .col(big_pk_auto("id"))
                    .col(big_integer("project_id"))
                    .col(big_integer_null("app_id"))
                    .col(big_integer_null("admin_id"))
                    .col(string("token_hash"))
                    .col(big_integer("created_at"))
                    .col(big_integer("expires_at"))
                    .foreign_key(&mut belongs_to("project_tokens", "project_id", "projects"))
                    .foreign_key(&mut belongs_to("project_tokens", "app_id", "api_apps"))
                    .foreign_key(&mut belongs_to("project_tokens", "admin_id", "admins"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("auth_failures")
                    .if_not_exists()
                    .col(big_pk_auto("id"))
                    .col(string("key"))
                    .col(big_integer("at"))
                    .take(),
            )
            .await?;
        create_indexes(
            manager,
            vec![
                index(
                    "idx_project_tokens_token_hash",
                    "project_tokens",
                    &["token_hash"],
                    true,
                ),
                index(
                    "idx_project_tokens_expires_at",
                    "project_tokens",
                    &["expires_at"],
                    false,
                ),
                index(
                    "idx_project_tokens_app_id",
                    "project_tokens",
                    &["app_id"],
                    false,
                ),
                index(
                    "idx_project_tokens_admin_id",
                    "project_tokens",
                    &["admin_id"],
                    false,
                ),
                index(
                    "idx_auth_failures_key_at",
                    "auth_failures",
                    &["key", "at"],
                    false,
                ),
                index("idx_auth_failures_at", "auth_failures", &["at"], false),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["auth_failures", "project_tokens"]).await?;
        for (table, column) in added_columns().into_iter().rev() {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .drop_column(column.get_column_name())
                        .take(),
                )
                .await?;
        }
        Ok(())
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
