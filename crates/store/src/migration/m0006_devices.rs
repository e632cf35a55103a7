//! Device types with their extend-info definitions, device groups, devices,
//! group memberships and extend-info values.
//!
//! Tags, options, values, `active` and `alarm` are JSON text. A device's
//! type and a group's parent are kept (`NO ACTION`): the store refuses to
//! delete a type with devices or a group with sub-groups. Everything else
//! goes with the record it belongs to.

use sea_orm_migration::{prelude::*, schema::*};

use super::{belongs_to, create_indexes, drop_tables, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A foreign key from `table.col` to `parent.id` that refuses to delete a
/// parent still referred to.
fn refers_to(
    table: &'static str,
    col: &'static str,
    parent: &'static str,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{col}"))
        .from(table, col)
        .to(parent, "id")
        .on_delete(ForeignKeyAction::NoAction)
        .take()
}

async fn create_types(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table("device_types")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("project_id"))
                .col(string("name"))
                .col(text("descr").default(""))
                .col(text("tags").default("{}"))
                .col(string("conn_type").default("mqtt"))
                .col(string("conn_protocol").default("thingscloud"))
                .col(string("type_key"))
                .col(boolean("is_gateway").default(false))
                .col(boolean("allow_share").default(true))
                .col(boolean("is_default").default(false))
                .col(big_integer("created_at"))
                .foreign_key(&mut belongs_to("device_types", "project_id", "projects"))
                .take(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table("device_type_infos")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("project_id"))
                .col(big_integer("type_id"))
                .col(string("info_type"))
                .col(string("name"))
                .col(text("descr").default(""))
                .col(boolean("enabled").default(true))
                .col(text("options").default("{}"))
                .col(boolean("is_standard").default(false))
                .col(big_integer("created_at"))
                .col(big_integer("update_time"))
                .foreign_key(&mut belongs_to(
                    "device_type_infos",
                    "project_id",
                    "projects",
                ))
                .foreign_key(&mut belongs_to(
                    "device_type_infos",
                    "type_id",
                    "device_types",
                ))
                .take(),
        )
        .await
}

async fn create_groups(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table("device_groups")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("project_id"))
                .col(big_integer_null("parent_id"))
                .col(string("name"))
                .col(text("descr").default(""))
                .col(text("tags").default("{}"))
                .col(big_integer("created_at"))
                .foreign_key(&mut belongs_to("device_groups", "project_id", "projects"))
                .foreign_key(&mut refers_to(
                    "device_groups",
                    "parent_id",
                    "device_groups",
                ))
                .take(),
        )
        .await
}

async fn create_devices(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table("devices")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("project_id"))
                .col(big_integer_null("type_id"))
                .col(string("name"))
                .col(text("descr").default(""))
                .col(string("device_key"))
                .col(text("tags").default("{}"))
                .col(string("access_token"))
                .col(string("view_token"))
                .col(string("device_code"))
                .col(boolean("online").default(false))
                .col(text("active").default("{}"))
                .col(text("alarm").default("{}"))
                .col(integer("alarm_level").default(0))
                .col(big_integer("created_at"))
                .foreign_key(&mut belongs_to("devices", "project_id", "projects"))
                .foreign_key(&mut refers_to("devices", "type_id", "device_types"))
                .take(),
        )
        .await
}

async fn create_device_links(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table("device_group_members")
                .if_not_exists()
                .col(big_integer("device_id"))
                .col(big_integer("group_id"))
                .primary_key(Index::create().col("device_id").col("group_id"))
                .foreign_key(&mut belongs_to(
                    "device_group_members",
                    "device_id",
                    "devices",
                ))
                .foreign_key(&mut belongs_to(
                    "device_group_members",
                    "group_id",
                    "device_groups",
                ))
                .take(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table("device_info_values")
                .if_not_exists()
                .col(big_integer("device_id"))
                .col(big_integer("info_id"))
                .col(text("value"))
                .col(big_integer("updated_at"))
                .primary_key(Index::create().col("device_id").col("info_id"))
                .foreign_key(&mut belongs_to(
                    "device_info_values",
                    "device_id",
                    "devices",
                ))
                .foreign_key(&mut belongs_to(
                    "device_info_values",
                    "info_id",
                    "device_type_infos",
                ))
                .take(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table("device_standard_infos")
                .if_not_exists()
                .col(big_integer("device_id"))
                .col(string("info_type"))
                .col(text("value"))
                .col(big_integer("updated_at"))
                .primary_key(Index::create().col("device_id").col("info_type"))
                .foreign_key(&mut belongs_to(
                    "device_standard_infos",
                    "device_id",
                    "devices",
                ))
                .take(),
        )
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_types(manager).await?;
        create_groups(manager).await?;
        create_devices(manager).await?;
        create_device_links(manager).await?;
        // At most one default type per project, even when two requests
        // create it at once.
        let mut one_default = index(
            "idx_device_types_project_is_default",
            "device_types",
            &["project_id"],
            true,
        );
        one_default.and_where(Expr::col("is_default").eq(true));
        create_indexes(
            manager,
            vec![
                index(
                    "idx_device_types_type_key",
                    "device_types",
                    &["type_key"],
                    true,
                ),
                index(
                    "idx_device_types_project_id",
                    "device_types",
                    &["project_id", "id"],
                    false,
                ),
                one_default,
                index(
                    "idx_device_type_infos_type_id",
                    "device_type_infos",
                    &["type_id", "id"],
                    false,
                ),
                index(
                    "idx_device_groups_project_id",
                    "device_groups",
                    &["project_id", "id"],
                    false,
                ),
                index(
                    "idx_device_groups_parent_id",
                    "device_groups",
                    &["parent_id"],
                    false,
                ),
                index(
                    "idx_devices_project_device_key",
                    "devices",
                    &["project_id", "device_key"],
                    true,
                ),
                index(
                    "idx_devices_access_token",
                    "devices",
                    &["access_token"],
                    true,
                ),
                index(
                    "idx_devices_project_id",
                    "devices",
                    &["project_id", "id"],
                    false,
                ),
                index(
                    "idx_devices_project_type_id",
                    "devices",
                    &["project_id", "type_id", "id"],
                    false,
                ),
                index("idx_devices_type_id", "devices", &["type_id"], false),
                index(
                    "idx_device_group_members_group_id",
                    "device_group_members",
                    &["group_id", "device_id"],
                    false,
                ),
                index(
                    "idx_device_info_values_info_id",
                    "device_info_values",
                    &["info_id"],
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
                "device_standard_infos",
                "device_info_values",
                "device_group_members",
                "devices",
                "device_groups",
                "device_type_infos",
                "device_types",
            ],
        )
        .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
