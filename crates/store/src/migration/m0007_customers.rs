//! Seed 003 customers: the customer fields of `users` (note, tags, role,
//! locale) and the projects' customer roles.

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
                    .table("customer_roles")
                    .if_not_exists()
                    .col(big_pk_auto("id"))
                    .col(big_integer("project_id"))
                    .col(string("name"))
                    .col(string("descr"))
                    .col(boolean("allow_operate_device"))
                    .col(boolean("allow_alarm_msg_maintain"))
                    .col(boolean("allow_add_device"))
                    .col(big_integer("created_at"))
                    .foreign_key(&mut belongs_to("customer_roles", "project_id", "projects"))
                    .take(),
            )
            .await?;
        // SQLite adds one column per ALTER TABLE.
        for column in [
            string("descr").default("").take(),
            text("tags").default("{}").take(),
            string("locale").default("zh-CN").take(),
        ] {
            manager
                .alter_table(Table::alter().table("users").add_column(column).take())
                .await?;
        }
        // A column-level REFERENCES is the one way SQLite adds a foreign key
        // to an existing table, and PostgreSQL takes the same statement. No
        // ON DELETE action: a role is deleted only once no user holds it.
        manager
            .get_connection()
            .execute_unprepared(
                "ALTER TABLE users ADD COLUMN role_id BIGINT NULL REFERENCES customer_roles (id)",
            )
            .await?;
        create_indexes(
            manager,
            vec![
                index(
                    "idx_customer_roles_project_id",
                    "customer_roles",
                    &["project_id"],
                    false,
                ),
                index("idx_users_role_id", "users", &["role_id"], false),
            ],
        )
        .await
    }

    /// PostgreSQL only: SQLite cannot drop a column that is part of a
    /// foreign key.
    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_users_role_id")
                    .if_exists()
                    .to_owned(),
            )
            .await?;
        for column in ["role_id", "locale", "tags", "descr"] {
            manager
                .alter_table(Table::alter().table("users").drop_column(column).take())
                .await?;
        }
        drop_tables(manager, &["customer_roles"]).await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
