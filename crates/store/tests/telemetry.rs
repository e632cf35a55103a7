//! Device data on SQLite (a fresh temp file per test) and, when
//! `THINGSTEAD_TEST_POSTGRES_URL` is set, on PostgreSQL (a fresh database
//! per test): the store's batch writes and reads, and the Telemetry
//! service over it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Once;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use thingstead_core::bootstrap::Seed;
use thingstead_core::model::*;
use thingstead_core::project::Tags;
use thingstead_core::project::devices::*;
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
        let dir = std::env::temp_dir().join(format!("ts_data_{}", unique_name()));
        let db = Db::connect(&format!("sqlite://{}/store.db", dir.display()))
            .await
            .unwrap();
        db.migrate().await.unwrap();
        Fixture {
            db,
            cleanup: Cleanup::Sqlite(dir),
        }
    }

    async fn postgres(url: &str) -> Fixture {
        let admin = Database::connect(url).await.unwrap();
        let name = format!("ts_data_{}", unique_name());
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .unwrap();
        let db = Db::connect(&with_database(url, &name)).await.unwrap();
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

#[path = "telemetry/control.rs"]
mod control;
#[path = "telemetry/nodes.rs"]
mod nodes;
#[path = "telemetry/service.rs"]
mod service;
#[path = "telemetry/store_reads.rs"]
mod store_reads;
#[path = "telemetry/store_side.rs"]
mod store_side;
#[path = "telemetry/upkeep.rs"]
mod upkeep;

/// A fixed time, `secs` seconds after a fixed origin, in whole milliseconds.
fn t(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(1_700_000_000_123 + secs * 1000).unwrap()
}

/// A project of its own (each scenario may make several).
async fn project(db: &Db) -> ProjectId {
    let seed = Seed {
        project_name: "Default project".into(),
        project_key: format!("pk{}", unique_name()),
        admin_account: "admin".into(),
        admin_password_hash: "$argon2id$admin".into(),
        app_id: "123456789012".into(),
        access_key: "access".into(),
        secret_key_hash: "secret-digest".into(),
        client_key: "client-key-1".into(),
        created_at: t(0),
    };
    assert!(db.bootstrap(&seed).await.unwrap());
    db.default_project().await.unwrap().unwrap().id
}

/// The project key of the project.
async fn project_key(db: &Db) -> String {
    db.default_project().await.unwrap().unwrap().project_key
}

fn new_type(project: ProjectId, name: &str) -> NewDeviceType {
    NewDeviceType {
        project_id: project,
        name: name.into(),
        descr: String::new(),
        tags: Tags::new(),
        conn_type: "mqtt".into(),
        conn_protocol: "thingscloud".into(),
        type_key: format!("tk{}", unique_name()),
        is_gateway: false,
        allow_share: true,
        is_default: false,
        created_at: t(0),
        infos: vec![],
    }
}

fn new_device(project: ProjectId, key: &str) -> NewDevice {
    NewDevice {
        project_id: project,
        name: format!("device {key}"),
        descr: String::new(),
        device_key: key.into(),
        tags: Tags::new(),
        access_token: format!("at{}", unique_name()),
        view_token: "view".into(),
        device_code: "0123456789".into(),
        created_at: t(0),
    }
}

/// A device of the type.
async fn device(db: &Db, project: ProjectId, type_id: DeviceTypeId, key: &str) -> Device {
    db.insert_device(new_device(project, key), TypeChoice::Given(type_id))
        .await
        .unwrap()
        .unwrap()
}
