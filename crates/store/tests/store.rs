//! The store scenarios, run against SQLite (a fresh temp file per test) and,
//! when `THINGSTEAD_TEST_POSTGRES_URL` is set, against PostgreSQL (a fresh
//! database per test).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Once;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use thingstead_core::StoreError;
use thingstead_core::bootstrap::Seed;
use thingstead_core::model::*;
use thingstead_core::store::*;
use thingstead_store::Db;

const PG_ENV: &str = "THINGSTEAD_TEST_POSTGRES_URL";

/// A name no other test (or test run) uses.
fn unique_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!(
        "{:x}_{:x}_{}",
        nanos,
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// A migrated database and how to get rid of it.
struct Fixture {
    db: Db,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(std::path::PathBuf),
    Postgres {
        admin: DatabaseConnection,
        name: String,
    },
}

impl Fixture {
    async fn sqlite() -> Fixture {
        // In a directory that does not exist yet: connect creates it.
        let dir = std::env::temp_dir().join(format!("ts_store_{}", unique_name()));
        let db = Db::connect(&format!("sqlite://{}/store.db", dir.display()))
            .await
            .unwrap();
        assert_eq!(db.backend_name(), "sqlite");
        db.migrate().await.unwrap();
        Fixture {
            db,
            cleanup: Cleanup::Sqlite(dir),
        }
    }

    async fn postgres(url: &str) -> Fixture {
        let admin = Database::connect(url).await.unwrap();
        let name = format!("ts_store_{}", unique_name());
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .unwrap();
        let db = Db::connect(&with_database(url, &name)).await.unwrap();
        assert_eq!(db.backend_name(), "postgres");
        db.migrate().await.unwrap();
        Fixture {
            db,
            cleanup: Cleanup::Postgres { admin, name },
        }
    }

    async fn finish(self) {
        let Fixture { db, cleanup } = self;
        drop(db);
        match cleanup {
            Cleanup::Sqlite(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Postgres { admin, name } => {
                let _ = admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await;
            }
        }
    }
}

/// `url` naming database `name` instead.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let server = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{server}/{name}?{q}"),
        None => format!("{server}/{name}"),
    }
}

/// One fresh database per backend under test.
async fn fixtures() -> Vec<Fixture> {
    static SKIPPED: Once = Once::new();
    let mut all = vec![Fixture::sqlite().await];
    match std::env::var(PG_ENV) {
        Ok(url) if !url.is_empty() => all.push(Fixture::postgres(&url).await),
        _ => SKIPPED.call_once(|| eprintln!("{PG_ENV} is not set: PostgreSQL tests are skipped")),
    }
    all
}

/// Runs `scenario` against every backend.
macro_rules! on_every_backend {
    ($scenario:ident) => {
        for fixture in fixtures().await {
            eprintln!("{} on {}", stringify!($scenario), fixture.db.backend_name());
            $scenario(&fixture.db).await;
            fixture.finish().await;
        }
    };
}

#[path = "store/accounts.rs"]
mod accounts;
#[path = "store/alarm_delivery.rs"]
mod alarm_delivery;
#[path = "store/alarms.rs"]
mod alarms;
#[path = "store/bindings.rs"]
mod bindings;
#[path = "store/codes.rs"]
mod codes;
#[path = "store/device_lists.rs"]
mod device_lists;
#[path = "store/devices.rs"]
mod devices;

/// A fixed time, `secs` seconds after a fixed origin, in whole milliseconds.
fn t(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(1_700_000_000_123 + secs * 1000).unwrap()
}

fn seed() -> Seed {
    Seed {
        project_name: "Default project".into(),
        project_key: format!("pk{}", unique_name()),
        admin_account: "admin".into(),
        admin_password_hash: "$argon2id$admin".into(),
        app_id: "123456789012".into(),
        access_key: "access".into(),
        secret_key_hash: "secret-digest".into(),
        client_key: "client-key-1".into(),
        created_at: t(0),
    }
}

/// Bootstraps and returns the default project's id.
async fn project(db: &Db) -> ProjectId {
    assert!(db.bootstrap(&seed()).await.unwrap());
    db.default_project().await.unwrap().unwrap().id
}

fn new_user(
    project: ProjectId,
    phone: Option<&str>,
    username: Option<&str>,
    email: Option<&str>,
) -> NewUser {
    NewUser {
        project_id: project,
        account_no: format!("YH{}", unique_name()),
        username: username.map(str::to_owned),
        phone: phone.map(str::to_owned),
        country_code: "86".into(),
        email: email.map(str::to_owned),
        nickname: "someone".into(),
        password_hash: Some("$argon2id$old".into()),
        created_at: t(1),
        descr: String::new(),
        tags: Default::default(),
        role_id: None,
        locale: DEFAULT_LOCALE.into(),
    }
}

fn new_session(user: &User, terminal: Option<TerminalId>) -> NewSession {
    NewSession {
        user_id: user.id,
        project_id: user.project_id,
        token_hash: format!("th{}", unique_name()),
        platform: Platform::App,
        terminal_id: terminal,
        created_at: t(10),
        idle_secs: 3600,
        expires_at: t(10_000),
    }
}

fn info(device_no: &str, name: &str) -> TerminalInfo {
    TerminalInfo {
        device_no: device_no.into(),
        name: name.into(),
        brand: "Acme".into(),
        model: "A1".into(),
    }
}

fn new_code(project: ProjectId, purpose: CodePurpose, hash: &str) -> NewCode {
    NewCode {
        project_id: project,
        target: "13800000000".into(),
        purpose,
        salt: "salt".into(),
        code_hash: hash.into(),
        created_at: t(0),
        expires_at: t(300),
    }
}

fn is_conflict(r: StoreResult<impl std::fmt::Debug>, column: &str) -> bool {
    matches!(r, Err(StoreError::Conflict(c)) if c == column)
}

#[test]
fn database_url_rewrite() {
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5432/test", "x"),
        "postgres://postgres@127.0.0.1:5432/x"
    );
    assert_eq!(
        with_database("postgres://u@h/test?sslmode=disable", "x"),
        "postgres://u@h/x?sslmode=disable"
    );
    assert_eq!(with_database("postgres://u@h", "x"), "postgres://u@h/x");
}

#[tokio::test]
async fn in_memory_sqlite_keeps_one_database() {
    let db = Db::connect("sqlite::memory:").await.unwrap();
    db.migrate().await.unwrap();
    assert!(db.bootstrap(&seed()).await.unwrap());
    assert!(db.default_project().await.unwrap().is_some());
}

#[tokio::test]
async fn unknown_url_is_refused() {
    assert!(matches!(
        Db::connect("mysql://x@y/z").await,
        Err(StoreError::Backend(_))
    ));
}
