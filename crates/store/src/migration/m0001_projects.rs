//! Projects, their mobile and API apps, and their admins.

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
                    .table("projects")
                    .if_not_exists()
                    .col(big_pk_auto("id"))
                    .col(string("name"))
                    .col(string("project_key"))
                    .col(boolean("is_default"))
                    .col(big_integer("created_at"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("mobile_apps")
                    .if_not_exists()
                    .col(big_pk_auto("id"))
                    .col(big_integer("project_id"))
                    .col(string("name"))
                    .col(string("client_key"))
                    .col(big_integer("created_at"))
                    .foreign_key(&mut belongs_to("mobile_apps", "project_id", "projects"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("api_apps")
                    .if_not_exists()
                    .col(big_pk_auto("id"))
                    .col(big_integer("project_id"))
                    .col(string("app_id"))
                    .col(string("access_key"))
                    .col(string("secret_hash"))
                    .col(big_integer("created_at"))
                    .foreign_key(&mut belongs_to("api_apps", "project_id", "projects"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("admins")
                    .if_not_exists()
                    .col(big_pk_auto("id"))
                    .col(big_integer("project_id"))
                    .col(string("account"))
                    .col(string("password_hash"))
                    .col(big_integer("created_at"))
                    .foreign_key(&mut belongs_to("admins", "project_id", "projects"))
                    .take(),
            )
            .await?;
        // At most one default project, even when two servers start at once.
        let mut one_default = index("idx_projects_is_default", "projects", &["is_default"], true);
        one_default.and_where(Expr::col("is_default").eq(true));
        create_indexes(
            manager,
            vec![
                index(
                    "idx_projects_project_key",
                    "projects",
                    &["project_key"],
                    true,
                ),
                one_default,
                index(
                    "idx_mobile_apps_client_key",
                    "mobile_apps",
                    &["client_key"],
                    true,
                ),
                index(
                    "idx_mobile_apps_project_id",
                    "mobile_apps",
                    &["project_id"],
                    false,
                ),
                index("idx_api_apps_app_id", "api_apps", &["app_id"], true),
                index(
                    "idx_api_apps_project_id",
                    "api_apps",
                    &["project_id"],
                    false,
                ),
                index(
                    "idx_admins_project_account",
                    "admins",
                    &["project_id", "account"],
                    true,
                ),
            ],
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["admins", "api_apps", "mobile_apps", "projects"]).await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
