//! The test kit: starts the real server in-process on `127.0.0.1:0` against
//! a fresh SQLite file or a fresh PostgreSQL database, and talks to it over
//! HTTP as a phone app would. Verification codes are read from the outbox
//! file the default message provider writes, never from the API.
//!
//! PostgreSQL runs when `THINGSTEAD_TEST_POSTGRES_URL` is set; each test gets
//! its own database, dropped when the test ends.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cluster;
mod devices;
mod flows;
mod hook;
mod outbox;
mod pg;
mod project;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use thingstead_server::RunningServer;

pub use cluster::{nats_url, spawn_cluster, subject_prefix};
pub use devices::TestDevice;
pub use flows::bearer;
pub use hook::{Answer, Hook};
pub use outbox::OutboxEntry;

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A running server and a client for it.
pub struct TestApp {
    pub backend: Backend,
    pub addr: SocketAddr,
    /// The MQTT listener (on `127.0.0.1`, port chosen by the system).
    pub mqtt_addr: SocketAddr,
    /// The raw TCP device listener.
    pub tcp_addr: SocketAddr,
    pub base: String,
    pub http: reqwest::Client,
    pub data_dir: PathBuf,
    /// The credentials the first start printed.
    pub credentials: Value,
    /// The database the server runs on (`sqlite://…` or `postgres://…`).
    pub database_url: String,
    server: Option<RunningServer>,
    /// The settings the server was started with (for a restart).
    settings: Value,
    pg: Option<pg::TempDatabase>,
}

/// A response: status and JSON body (`Value::Null` when not JSON).
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
}

impl Reply {
    /// `body[key]` as i64, panicking with the body when absent.
    pub fn int(&self, key: &str) -> i64 {
        self.body[key]
            .as_i64()
            .unwrap_or_else(|| panic!("no integer {key} in {}", self.body))
    }
}

/// A fresh temporary directory under the system temp dir.
pub fn temp_dir(prefix: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("{prefix}-{}", random_suffix()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub(crate) fn random_suffix() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let counter = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{}{:x}{counter}", std::process::id(), nanos & 0xffff_ffff)
}

static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

impl TestApp {
    /// Starts a server with default settings. `None` when the backend is
    /// PostgreSQL and `THINGSTEAD_TEST_POSTGRES_URL` is not set.
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        Self::spawn_with(backend, json!({})).await
    }

    /// Starts a server with extra settings (configuration keys as in the TOML file).
    pub async fn spawn_with(backend: Backend, extra: Value) -> Option<TestApp> {
        let data_dir = temp_dir("thingstead-test");
        let (database_url, pg) = match backend {
            Backend::Sqlite => (
                format!("sqlite://{}/thingstead.db", data_dir.display()),
                None,
            ),
            Backend::Postgres => {
                let db = pg::TempDatabase::create().await?;
                (db.url.clone(), Some(db))
            }
        };
        let mut settings = json!({
            "data_dir": data_dir,
            "http_listen": "127.0.0.1:0",
            "mqtt_listen": "127.0.0.1:0",
            "tcp_listen": "127.0.0.1:0",
            "database_url": database_url.clone(),
            "log_level": "warn",
        });
        if let (Some(s), Some(e)) = (settings.as_object_mut(), extra.as_object()) {
            s.extend(e.clone());
        }
        let kept = settings.clone();
        let server = start(&settings).await;
        let credentials =
            serde_json::to_value(server.credentials().expect("first start has credentials"))
                .unwrap();
        Some(Self::running(
            backend,
            server,
            kept,
            data_dir,
            credentials,
            database_url,
            pg,
        ))
    }

    /// Starts another node on the database of `first` (which must outlive
    /// it: the database is dropped with `first` only), with `first`'s
    /// settings and `extra` over them, on its own ports and data directory.
    pub async fn spawn_node(first: &TestApp, extra: Value) -> TestApp {
        let data_dir = temp_dir("thingstead-node");
        let mut settings = first.settings.clone();
        settings["data_dir"] = json!(data_dir);
        if let (Some(s), Some(e)) = (settings.as_object_mut(), extra.as_object()) {
            s.extend(e.clone());
        }
        let server = start(&settings).await;
        Self::running(
            first.backend,
            server,
            settings,
            data_dir,
            first.credentials.clone(),
            first.database_url.clone(),
            None,
        )
    }

    fn running(
        backend: Backend,
        server: RunningServer,
        settings: Value,
        data_dir: PathBuf,
        credentials: Value,
        database_url: String,
        pg: Option<pg::TempDatabase>,
    ) -> TestApp {
        let addr = server.http_addr();
        let mqtt_addr = server.mqtt_addr();
        let tcp_addr = server.tcp_addr();
        TestApp {
            backend,
            addr,
            mqtt_addr,
            tcp_addr,
            base: format!("http://{addr}"),
            http: reqwest::Client::new(),
            data_dir,
            credentials,
            database_url,
            server: Some(server),
            settings,
            pg,
        }
    }

    /// The default project's mobile app key.
    pub fn client_key(&self) -> String {
        self.credentials["mobile_app"]["client_key"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends a request and reads the JSON answer.
    pub async fn send(&self, req: reqwest::RequestBuilder) -> Reply {
        let resp = req.send().await.expect("request reaches the server");
        let status = resp.status().as_u16();
        let bytes = resp.bytes().await.unwrap();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Reply { status, body }
    }

    /// POST a JSON body, with optional headers.
    pub async fn post(&self, path: &str, body: Value, headers: &[(&str, &str)]) -> Reply {
        let mut req = self.http.post(self.url(path)).json(&body);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.send(req).await
    }

    /// POST a raw body.
    pub async fn post_raw(
        &self,
        path: &str,
        body: impl Into<reqwest::Body>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut req = self.http.post(self.url(path)).body(body);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.send(req).await
    }

    /// POST a JSON body with `Authorization: Bearer <token>`.
    pub async fn post_auth(&self, path: &str, body: Value, token: &str) -> Reply {
        let req = self
            .http
            .post(self.url(path))
            .bearer_auth(token)
            .json(&body);
        self.send(req).await
    }

    /// PUT a JSON body, with optional headers.
    pub async fn put(&self, path: &str, body: Value, headers: &[(&str, &str)]) -> Reply {
        let mut req = self.http.put(self.url(path)).json(&body);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.send(req).await
    }

    /// GET with optional headers.
    pub async fn get(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut req = self.http.get(self.url(path));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.send(req).await
    }

    /// Every message the outbox provider has written so far.
    pub fn outbox(&self) -> Vec<OutboxEntry> {
        outbox::read(&self.data_dir)
    }

    /// The newest code sent to `to` (a phone number or e-mail address).
    pub fn last_code(&self, to: &str) -> String {
        outbox::read(&self.data_dir)
            .into_iter()
            .rev()
            .find(|m| m.to == to)
            .unwrap_or_else(|| panic!("no message to {to} in the outbox"))
            .code
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Stops the server gracefully and starts it again on the same data
    /// directory and database, on new ports.
    pub async fn restart(&mut self) {
        if let Some(server) = self.server.take() {
            server.shutdown().await;
        }
        let settings = serde_json::from_value(self.settings.clone()).expect("test settings");
        let server = thingstead_server::start(settings)
            .await
            .expect("server starts again");
        self.addr = server.http_addr();
        self.mqtt_addr = server.mqtt_addr();
        self.tcp_addr = server.tcp_addr();
        self.base = format!("http://{}", self.addr);
        self.server = Some(server);
    }

    /// Stops the server gracefully.
    pub async fn stop(mut self) {
        if let Some(server) = self.server.take() {
            server.shutdown().await;
        }
    }
}

/// Starts a server with the settings as JSON.
async fn start(settings: &Value) -> RunningServer {
    let settings = serde_json::from_value(settings.clone()).expect("test settings");
    thingstead_server::start(settings)
        .await
        .expect("server starts")
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.data_dir);
        if let Some(db) = self.pg.take() {
            db.drop_now();
        }
    }
}

/// Prints once per test binary that PostgreSQL tests are skipped.
pub(crate) fn say_skipped() {
    static SAID: std::sync::Once = std::sync::Once::new();
    SAID.call_once(|| {
        eprintln!("THINGSTEAD_TEST_POSTGRES_URL is not set: PostgreSQL tests are skipped");
    });
}

/// Defines each listed `async fn name(app: TestApp)` as two tests, one on
/// SQLite and one on PostgreSQL: `sqlite::name` and `postgres::name`.
/// `on_both_backends!(group, settings => a, b)` starts the servers with extra
/// settings, in tests `group::sqlite::a` and so on.
#[macro_export]
macro_rules! on_both_backends {
    ($group:ident, $settings:expr => $($name:ident),* $(,)?) => {
        mod $group {
            #[allow(unused_imports)]
            use super::*;
            $crate::on_both_backends!(@backend sqlite, Sqlite, expect, $settings, nested, $($name),*);
            $crate::on_both_backends!(@backend postgres, Postgres, skip, $settings, nested, $($name),*);
        }
    };
    ($($name:ident),* $(,)?) => {
        $crate::on_both_backends!(@backend sqlite, Sqlite, expect, serde_json::json!({}), flat, $($name),*);
        $crate::on_both_backends!(@backend postgres, Postgres, skip, serde_json::json!({}), flat, $($name),*);
    };
    (@backend $module:ident, $backend:ident, $mode:ident, $settings:expr, $depth:ident, $($name:ident),*) => {
        mod $module {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let app = $crate::TestApp::spawn_with($crate::Backend::$backend, $settings).await;
                    $crate::on_both_backends!(@run $mode, app, $depth, $name);
                }
            )*
        }
    };
    (@run expect, $app:ident, $depth:ident, $name:ident) => {
        $crate::on_both_backends!(@call $depth, $name)($app.expect("the server starts")).await
    };
    (@run skip, $app:ident, $depth:ident, $name:ident) => {
        if let Some(app) = $app {
            $crate::on_both_backends!(@call $depth, $name)(app).await
        }
    };
    (@call flat, $name:ident) => { super::$name };
    (@call nested, $name:ident) => { super::super::$name };
}
