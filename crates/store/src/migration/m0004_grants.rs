//! Device provisioning codes and upload tickets.

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
                    .table("provision_codes")
                    .if_not_exists()
                    .col(big_pk_auto("id"))
                    .col(big_integer("project_id"))
                    .col(big_integer("user_id"))
                    .col(integer("kind"))
                    .col(string("code_hash"))
                    .col(big_integer("created_at"))
                    .col(big_integer("expires_at"))
                    .col(big_integer_null("used_at"))
                    .foreign_key(&mut belongs_to("provision_codes", "project_id", "projects"))
                    .foreign_key(&mut belongs_to("provision_codes", "user_id", "users"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("upload_tickets")
                    .if_not_exists()
                    .col(big_pk_auto("id"))
                    .col(big_integer("project_id"))
                    .col(string("ticket_hash"))
                    .col(string("module"))
                    .col(string("owner"))
                    .col(big_integer("declared_size"))
                    .col(string("stored_name"))
                    .col(big_integer("created_at"))
                    .col(big_integer("expires_at"))
                    .col(big_integer_null("used_at"))
                    .foreign_key(&mut belongs_to("upload_tickets", "project_id", "projects"))
                    .take(),
            )
            .await?;
        create_indexes(
            manager,
            vec![
                index(
                    "idx_provision_codes_code_hash",
                    "provision_codes",
                    &["code_hash"],
                    true,
                ),
                index(
                    "idx_provision_codes_user_id",
                    "provision_codes",
                    &["user_id"],
                    false,
                ),
                index(
                    "idx_upload_tickets_ticket_hash",
                    "upload_tickets",
                    &["ticket_hash"],
                    true,
                ),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["upload_tickets", "provision_codes"]).await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
