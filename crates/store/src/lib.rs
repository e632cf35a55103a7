//! Persistence for thingstead: the domain store traits of
//! [`thingstead_core::store`] over SQLite or PostgreSQL through sea-orm, and
//! uploaded files on the local disk.
//!
//! One code path serves both databases; the backend is picked at run time
//! from the URL (`sqlite://…` or `postgres://…`). SQLite allows one writer at
//! a time, so [`Db`] keeps two pools there: readers (several connections) and
//! a writer with a single connection that every write and every transaction
//! goes through. On PostgreSQL both are the same pool.

mod access;
mod alarms;
mod checkpoint;
mod codes;
mod convert;
mod customers;
mod devices;
mod entity;
mod files;
mod grants;
mod living;
mod migration;
mod nodes;
mod projects;
mod retention;
mod sessions;
mod telemetry;
mod users;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbErr,
    SqlErr, SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};
use sea_orm_migration::MigratorTrait;
use thingstead_core::StoreError;
use thingstead_core::store::{Store, StoreResult};

pub use files::LocalFiles;
pub use migration::Migrator;
pub use retention::Upkeep;

/// Connections of the SQLite reader pool.
const SQLITE_READERS: u32 = 4;
/// Connections of the PostgreSQL pool.
const POSTGRES_CONNECTIONS: u32 = 16;
/// How long a SQLite connection waits for the write lock before SQLITE_BUSY.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Which database a [`Db`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Backend {
    Sqlite,
    Postgres,
}

/// The database: a handle on its connection pools, cheap to clone.
#[derive(Debug, Clone)]
pub struct Db {
    /// Reads that need no transaction.
    reader: DatabaseConnection,
    /// Writes and transactions. On SQLite a pool of one connection.
    writer: DatabaseConnection,
    backend: Backend,
    /// Device inserts waiting to be written together.
    device_inserts: Arc<devices::DeviceInserts>,
    /// SQLite files: the background checkpoints, while this handle lives.
    _checkpoints: Option<Arc<checkpoint::Checkpoints>>,
}

impl Db {
    /// Connects (creating the SQLite file if missing) and configures the pool.
    pub async fn connect(url: &str) -> Result<Db, StoreError> {
        if url.starts_with("sqlite:") {
            Self::connect_sqlite(url).await
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Self::connect_postgres(url).await
        } else {
            Err(StoreError::Backend(
                "unsupported database URL: expected sqlite:// or postgres://".into(),
            ))
        }
    }

    async fn connect_sqlite(url: &str) -> Result<Db, StoreError> {
        // An in-memory database exists once per connection: one pool only.
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        if !in_memory {
            create_parent_dir(url).await?;
        }
        let mut writer_opts = ConnectOptions::new(url);
        writer_opts
            .max_connections(1)
            .min_connections(if in_memory { 1 } else { 0 })
            .sqlx_logging(false)
            .map_sqlx_sqlite_opts(sqlite_writer_options);
        if in_memory {
            writer_opts.idle_timeout(None).max_lifetime(None);
        }
        // The writer connects first: it creates the file and switches it to WAL.
        let writer = Database::connect(writer_opts).await.map_err(db_err)?;
        let reader = if in_memory {
            writer.clone()
        } else {
            let mut reader_opts = ConnectOptions::new(url);
            reader_opts
                .max_connections(SQLITE_READERS)
                .sqlx_logging(false)
                .map_sqlx_sqlite_opts(|o| sqlite_options(o, true));
            Database::connect(reader_opts).await.map_err(db_err)?
        };
        let checkpoints = if in_memory {
            None
        } else {
            Some(checkpoint::start(url).await?)
        };
        Ok(Db {
            reader,
            writer,
            backend: Backend::Sqlite,
            device_inserts: Arc::default(),
            _checkpoints: checkpoints,
        })
    }

    async fn connect_postgres(url: &str) -> Result<Db, StoreError> {
        let mut opts = ConnectOptions::new(url);
        opts.max_connections(POSTGRES_CONNECTIONS)
            .sqlx_logging(false);
        let pool = Database::connect(opts).await.map_err(db_err)?;
        Ok(Db {
            reader: pool.clone(),
            writer: pool,
            backend: Backend::Postgres,
            device_inserts: Arc::default(),
            _checkpoints: None,
        })
    }

    /// Runs all pending migrations (both backends).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        Migrator::up(&self.writer, None).await.map_err(db_err)
    }

    /// `"sqlite"` or `"postgres"`.
    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    /// The pool for reads outside a transaction.
    pub(crate) fn reader(&self) -> &DatabaseConnection {
        &self.reader
    }

    /// The pool for single-statement writes.
    pub(crate) fn writer(&self) -> &DatabaseConnection {
        &self.writer
    }

    /// The queue of device inserts.
    pub(crate) fn device_inserts(&self) -> &Arc<devices::DeviceInserts> {
        &self.device_inserts
    }

    /// Starts a write transaction on the writer. On SQLite it takes the write
    /// lock at once (`BEGIN IMMEDIATE`), so that it cannot fail half-way for
    /// a lock upgrade. Dropping it without commit rolls it back.
    pub(crate) async fn begin(&self) -> StoreResult<DatabaseTransaction> {
        self.writer
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..TransactionOptions::default()
            })
            .await
            .map_err(db_err)
    }
}

/// Creates the directory of the SQLite file named by `url`, if missing.
async fn create_parent_dir(url: &str) -> StoreResult<()> {
    let opts: SqliteConnectOptions = url
        .parse()
        .map_err(|e| StoreError::Backend(format!("bad SQLite URL: {e}")))?;
    match opts.get_filename().parent() {
        Some(dir) if !dir.as_os_str().is_empty() => tokio::fs::create_dir_all(dir)
            .await
            .map_err(|e| StoreError::Backend(format!("creating {}: {e}", dir.display()))),
        _ => Ok(()),
    }
}

/// Page cache of the SQLite writer, in KiB (as a negative `cache_size`);
/// readers keep SQLite's default (2 MiB).
const SQLITE_WRITER_CACHE_KIB: &str = "-16384";

/// The pragmas every SQLite connection gets.
pub(crate) fn sqlite_options(opts: SqliteConnectOptions, read_only: bool) -> SqliteConnectOptions {
    opts.create_if_missing(!read_only)
        .read_only(read_only)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(SQLITE_BUSY_TIMEOUT)
        .foreign_keys(true)
        .pragma("wal_autocheckpoint", checkpoint::WRITER_CHECKPOINT_PAGES)
}

/// The writer's pragmas: a batch of device reports dirties many index
/// pages, kept in memory until the commit instead of spilled mid-way.
fn sqlite_writer_options(opts: SqliteConnectOptions) -> SqliteConnectOptions {
    sqlite_options(opts, false).pragma("cache_size", SQLITE_WRITER_CACHE_KIB)
}

/// Columns a unique index can fail on, most specific first. Index names on
/// PostgreSQL (`idx_users_project_phone`) and `table.column` lists on SQLite
/// (`users.project_id, users.phone`) both contain them.
const UNIQUE_COLUMNS: [&str; 11] = [
    "phone",
    "username",
    "email",
    "account_no",
    "account",
    "device_no",
    "project_key",
    "client_key",
    "app_id",
    "ticket_hash",
    "code_hash",
];

/// The column a unique-violation message names, or `"unique"`.
fn conflict_column(message: &str) -> &'static str {
    if message.contains("is_default") {
        return "is_default";
    }
    UNIQUE_COLUMNS
        .into_iter()
        .find(|column| message.contains(column))
        .unwrap_or("unique")
}

/// Maps a database error: unique violations to [`StoreError::Conflict`]
/// naming the column, everything else to [`StoreError::Backend`].
pub(crate) fn db_err(err: DbErr) -> StoreError {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(message)) => {
            StoreError::Conflict(conflict_column(&message))
        }
        _ => StoreError::Backend(err.to_string()),
    }
}

#[async_trait]
impl Store for Db {
    async fn ping(&self) -> StoreResult<()> {
        let backend = self.reader.get_database_backend();
        self.reader
            .query_one_raw(Statement::from_string(backend, "SELECT 1"))
            .await
            .map_err(db_err)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::conflict_column;

    #[test]
    fn conflict_names_from_both_backends() {
        assert_eq!(
            conflict_column("UNIQUE constraint failed: users.project_id, users.phone"),
            "phone"
        );
        assert_eq!(
            conflict_column(
                "duplicate key value violates unique constraint \"idx_users_project_username\""
            ),
            "username"
        );
        assert_eq!(
            conflict_column("UNIQUE constraint failed: users.project_id, users.account_no"),
            "account_no"
        );
        assert_eq!(conflict_column("idx_admins_project_account"), "account");
        assert_eq!(
            conflict_column("UNIQUE constraint failed: projects.is_default"),
            "is_default"
        );
        assert_eq!(conflict_column("something else"), "unique");
    }
}
