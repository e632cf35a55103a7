//! Accounts, the terminals they log in from, and their sessions.

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
                    .table("users")
                    .if_not_exists()
                    .col(big_pk_auto("id"))
                    .col(big_integer("project_id"))
                    .col(string("account_no"))
                    .col(string_null("username"))
                    .col(string_null("phone"))
                    .col(string("country_code"))
                    .col(string_null("email"))
                    .col(string("nickname"))
                    .col(string("head_url"))
                    .col(string_null("password_hash"))
                    .col(boolean("alarm_switch"))
                    .col(big_integer("created_at"))
                    .col(big_integer_null("last_login_at"))
                    .foreign_key(&mut belongs_to("users", "project_id", "projects"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("terminals")
                    .if_not_exists()
                    .col(big_pk_auto("id"))
                    .col(big_integer("user_id"))
                    .col(string("device_no"))
                    .col(string("name"))
                    .col(string("brand"))
                    .col(string("model"))
                    .col(integer("platform"))
                    .col(big_integer("last_login_at"))
                    .foreign_key(&mut belongs_to("terminals", "user_id", "users"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("sessions")
                    .if_not_exists()
                    .col(big_pk_auto("id"))
                    .col(big_integer("user_id"))
                    .col(big_integer("project_id"))
                    .col(string("token_hash"))
                    .col(integer("platform"))
                    .col(big_integer_null("terminal_id"))
                    .col(big_integer("created_at"))
                    .col(big_integer("last_seen_at"))
                    .col(big_integer("idle_secs"))
                    .col(big_integer("expires_at"))
                    .foreign_key(&mut belongs_to("sessions", "user_id", "users"))
                    .foreign_key(&mut belongs_to("sessions", "terminal_id", "terminals"))
                    .take(),
            )
            .await?;
        // NULLs never conflict in a unique index, on either backend, so an
        // account without a phone, user name or e-mail takes no slot.
        create_indexes(
            manager,
            vec![
                index(
                    "idx_users_project_phone",
                    "users",
                    &["project_id", "phone"],
                    true,
                ),
                index(
                    "idx_users_project_username",
                    "users",
                    &["project_id", "username"],
                    true,
                ),
                index(
                    "idx_users_project_email",
                    "users",
                    &["project_id", "email"],
                    true,
                ),
                index(
                    "idx_users_project_account_no",
                    "users",
                    &["project_id", "account_no"],
                    true,
                ),
                index(
                    "idx_terminals_user_device_no",
                    "terminals",
                    &["user_id", "device_no"],
                    true,
                ),
                index("idx_sessions_user_id", "sessions", &["user_id"], false),
                index(
                    "idx_sessions_terminal_id",
                    "sessions",
                    &["terminal_id"],
                    false,
                ),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["sessions", "terminals", "users"]).await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
