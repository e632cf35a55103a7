//! Seed 002: share QR keys (digests only), share notices, push channels
//! (ended with their session), gateways' sub-devices, and scenes with the
//! users bound to them.

use sea_orm_migration::{prelude::*, schema::*};

use super::{belongs_to, create_indexes, drop_tables, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

async fn create_share_keys(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table("share_keys")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("project_id"))
                .col(big_integer("owner_id"))
                .col(string("key_hash"))
                // JSON arrays of ids.
                .col(text("devices"))
                .col(text("scenes"))
                .col(big_integer("created_at"))
                .col(big_integer("expires_at"))
                .col(big_integer_null("used_at"))
                .col(big_integer_null("used_by"))
                .foreign_key(&mut belongs_to("share_keys", "project_id", "projects"))
                .foreign_key(&mut belongs_to("share_keys", "owner_id", "users"))
                .take(),
        )
        .await
}

async fn create_notices(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table("share_notices")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("project_id"))
                .col(big_integer("initiator_id"))
                // `MOBILE` or `EMAIL`, and the phone number or lower-case address.
                .col(string("receiver_kind"))
                .col(string("receiver_addr"))
                .col(big_integer("device_id"))
                .col(integer("status"))
                .col(big_integer("created_at"))
                .col(big_integer("modified_at"))
                .col(big_integer("expires_at"))
                .col(boolean("initiator_cleared").default(false))
                .col(boolean("receiver_cleared").default(false))
                .foreign_key(&mut belongs_to("share_notices", "project_id", "projects"))
                .foreign_key(&mut belongs_to("share_notices", "initiator_id", "users"))
                .foreign_key(&mut belongs_to("share_notices", "device_id", "devices"))
                .take(),
        )
        .await
}

async fn create_push_and_gateways(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table("push_channels")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("project_id"))
                .col(big_integer("user_id"))
                .col(big_integer("session_id"))
                .col(string("channel"))
                .col(string("device_type"))
                .col(big_integer("created_at"))
                .foreign_key(&mut belongs_to("push_channels", "project_id", "projects"))
                .foreign_key(&mut belongs_to("push_channels", "user_id", "users"))
                .foreign_key(&mut belongs_to("push_channels", "session_id", "sessions"))
                .take(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table("gateway_links")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("project_id"))
                .col(big_integer("gateway_id"))
                .col(big_integer("device_id"))
                .foreign_key(&mut belongs_to("gateway_links", "project_id", "projects"))
                .foreign_key(&mut belongs_to("gateway_links", "gateway_id", "devices"))
                .foreign_key(&mut belongs_to("gateway_links", "device_id", "devices"))
                .take(),
        )
        .await
}

async fn create_scenes(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    manager
        .create_table(
            Table::create()
                .table("scenes")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("project_id"))
                .col(string("name"))
                // JSON array of actions.
                .col(text("actions"))
                .col(big_integer("created_at"))
                .foreign_key(&mut belongs_to("scenes", "project_id", "projects"))
                .take(),
        )
        .await?;
    manager
        .create_table(
            Table::create()
                .table("scene_members")
                .if_not_exists()
                .col(big_pk_auto("id"))
                .col(big_integer("project_id"))
                .col(big_integer("scene_id"))
                .col(big_integer("user_id"))
                .col(boolean("owned"))
                .col(big_integer("created_at"))
                .foreign_key(&mut belongs_to("scene_members", "project_id", "projects"))
                .foreign_key(&mut belongs_to("scene_members", "scene_id", "scenes"))
                .foreign_key(&mut belongs_to("scene_members", "user_id", "users"))
                .take(),
        )
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_share_keys(manager).await?;
        create_notices(manager).await?;
        create_push_and_gateways(manager).await?;
        create_scenes(manager).await?;
        create_indexes(
            manager,
            vec![
                index("idx_share_keys_key_hash", "share_keys", &["key_hash"], true),
                index(
                    "idx_share_notices_project_id_receiver_addr",
                    "share_notices",
                    &["project_id", "receiver_addr"],
                    false,
                ),
                index(
                    "idx_share_notices_initiator_id",
                    "share_notices",
                    &["initiator_id"],
                    false,
                ),
                index(
                    "idx_share_notices_device_id",
                    "share_notices",
                    &["device_id"],
                    false,
                ),
                index(
                    "idx_push_channels_project_id_channel",
                    "push_channels",
                    &["project_id", "channel"],
                    true,
                ),
                index(
                    "idx_push_channels_user_id",
                    "push_channels",
                    &["user_id"],
                    false,
                ),
                index(
                    "idx_push_channels_session_id",
                    "push_channels",
                    &["session_id"],
                    false,
                ),
                index(
                    "idx_gateway_links_device_id",
                    "gateway_links",
                    &["device_id"],
                    true,
                ),
                index(
                    "idx_scene_members_scene_id_user_id",
                    "scene_members",
                    &["scene_id", "user_id"],
                    true,
                ),
                index(
                    "idx_scene_members_user_id",
                    "scene_members",
                    &["user_id"],
                    false,
                ),
                index(
                    "idx_gateway_links_gateway_id",
                    "gateway_links",
                    &["gateway_id"],
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
                "gateway_links",
                "push_channels",
                "share_notices",
                "share_keys",
            ],
        )
        .await
    }

    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }
}
