//! The schema, as an ordered list of migrations. New tables (devices and
//! the like) come as new files appended to [`Migrator::migrations`]; applied
//! migrations are never edited.
//!
//! Every time column is a BIGINT of unix milliseconds and every id a BIGINT
//! auto-increment primary key, so that SQLite and PostgreSQL hold the same
//! values. Index names carry the column names, so that a unique violation can
//! be traced to its column on either backend (see `crate::conflict_column`).

use sea_orm_migration::prelude::*;

mod m0001_projects;
mod m0002_users;
mod m0003_codes;
mod m0004_grants;
mod m0005_access;
mod m0006_devices;
mod m0007_customers;
mod m0008_bindings;
mod m0010_telemetry;
mod m0011_living;
mod m0012_alarms;
mod m0013_history_partitions;
mod m0014_nodes;

pub(crate) use m0013_history_partitions::DAYS_AHEAD;

/// Runs the schema migrations of the store, in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_projects::Migration),
            Box::new(m0002_users::Migration),
            Box::new(m0003_codes::Migration),
            Box::new(m0004_grants::Migration),
            Box::new(m0005_access::Migration),
            Box::new(m0006_devices::Migration),
            Box::new(m0007_customers::Migration),
            Box::new(m0008_bindings::Migration),
            Box::new(m0010_telemetry::Migration),
            Box::new(m0011_living::Migration),
            Box::new(m0012_alarms::Migration),
            Box::new(m0013_history_partitions::Migration),
            Box::new(m0014_nodes::Migration),
        ]
    }
}

/// `CREATE [UNIQUE] INDEX IF NOT EXISTS <name> ON <table> (<cols>)`.
pub(crate) fn index(
    name: &'static str,
    table: &'static str,
    cols: &[&'static str],
    unique: bool,
) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(table).if_not_exists();
    for col in cols {
        index.col(*col);
    }
    if unique {
        index.unique();
    }
    index
}

/// A foreign key from `table.col` to `parent.id`, deleted with the parent.
pub(crate) fn belongs_to(
    table: &'static str,
    col: &'static str,
    parent: &'static str,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{col}"))
        .from(table, col)
        .to(parent, "id")
        .on_delete(ForeignKeyAction::Cascade)
        .take()
}

/// Creates the indexes, in order.
pub(crate) async fn create_indexes(
    manager: &SchemaManager<'_>,
    indexes: Vec<IndexCreateStatement>,
) -> Result<(), DbErr> {
    for index in indexes {
        manager.create_index(index).await?;
    }
    Ok(())
}

/// Drops the tables, in order.
pub(crate) async fn drop_tables(
    manager: &SchemaManager<'_>,
    tables: &[&'static str],
) -> Result<(), DbErr> {
    for table in tables {
        manager
            .drop_table(Table::drop().table(*table).if_exists().take())
            .await?;
    }
    Ok(())
}
