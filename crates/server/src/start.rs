//! Starting and stopping the server: data directory, database, first-start
//! credentials, services, the HTTP listener and the device gateway's MQTT
//! and TCP listeners.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use thingstead_core::bootstrap::{self, InitialCredentials};
use thingstead_core::live::LiveEvents;
use thingstead_core::password::PasswordHasher;
use thingstead_core::store::{FileStore, Store};
use thingstead_core::uploads::Uploads;
use thingstead_core::{Alarms, Identity, StoreError};
use thingstead_devices::Gateway;
use thingstead_http::AppState;
use thingstead_store::{Db, LocalFiles};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio_util::sync::DropGuard;

use crate::config::{Settings, redact_url};
use crate::error::StartError;

/// Written on first start, next to the database, readable by the owner only.
pub const CREDENTIALS_FILE: &str = "initial-credentials.json";
/// How long a graceful shutdown waits for requests in flight.
pub const DRAIN_TIMEOUT: Duration = Duration::from_secs(30);
/// How long connecting to the database may take at start.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Argon2id lanes per hash.
pub(crate) const ARGON2_PARALLELISM: u32 = 1;

/// A server that is accepting requests.
pub struct RunningServer {
    http_addr: SocketAddr,
    mqtt_addr: SocketAddr,
    tcp_addr: SocketAddr,
    gateway: Gateway,
    /// Stops the gateway if the server is dropped without a shutdown.
    _gateway_guard: DropGuard,
    /// Ends the cluster tasks (in cluster mode) when the server goes.
    _cluster_guard: DropGuard,
    telemetry: thingstead_core::Telemetry,
    alarms: Alarms,
    /// Stops the history upkeep with the server.
    _upkeep_guard: DropGuard,
    /// Stops this node's beat with the server.
    _beat_guard: DropGuard,
    db: Db,
    node_id: String,
    public_url: String,
    data_dir: PathBuf,
    credentials: Option<InitialCredentials>,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

impl std::fmt::Debug for RunningServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningServer")
            .field("http_addr", &self.http_addr)
            .field("mqtt_addr", &self.mqtt_addr)
            .field("tcp_addr", &self.tcp_addr)
            .field("public_url", &self.public_url)
            .field("data_dir", &self.data_dir)
            .field("first_start", &self.credentials.is_some())
            .finish()
    }
}

impl RunningServer {
    /// The address the HTTP listener is bound to (the real port for port 0).
    pub fn http_addr(&self) -> SocketAddr {
        self.http_addr
    }

    /// The address the MQTT listener is bound to.
    pub fn mqtt_addr(&self) -> SocketAddr {
        self.mqtt_addr
    }

    /// The address the raw TCP device listener is bound to.
    pub fn tcp_addr(&self) -> SocketAddr {
        self.tcp_addr
    }

    /// The base URL put into links, without a trailing slash.
    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The credentials created by this start: `Some` only on the first start
    /// of a database.
    pub fn credentials(&self) -> Option<&InitialCredentials> {
        self.credentials.as_ref()
    }

    /// Stops accepting connections, lets requests in flight finish and
    /// closes the device connections (at most [`DRAIN_TIMEOUT`]), and
    /// returns when the server has stopped. An error of the server is
    /// logged.
    pub async fn shutdown(mut self) {
        if let Err(e) = self.stop_and_drain().await {
            tracing::error!(error = %e, "the HTTP server stopped with an error");
        }
    }

    async fn stop_and_drain(&mut self) -> std::io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let gateway = self.gateway.clone();
        let (telemetry, alarms) = (self.telemetry.clone(), self.alarms.clone());
        let (db, node) = (self.db.clone(), self.node_id.clone());
        let devices = async move {
            gateway.shutdown(DRAIN_TIMEOUT).await;
            // Its devices are offline one by one: the node leaves cleanly.
            if let Err(e) = db.node_left(&node).await {
                tracing::warn!(error = %e, "this node's record could not be removed");
            }
            // Reports queued by the closed connections are written, then
            // the alarm changes they made; queued notifications stay queued.
            telemetry.close().await;
            alarms.close().await;
        };
        let (_, http) = tokio::join!(devices, tokio::time::timeout(DRAIN_TIMEOUT, &mut self.task));
        match http {
            Ok(joined) => joined.map_err(std::io::Error::other)?,
            Err(_) => {
                tracing::warn!(
                    timeout_secs = DRAIN_TIMEOUT.as_secs(),
                    "requests still running after the drain timeout; stopping anyway"
                );
                self.task.abort();
                Ok(())
            }
        }
    }

    /// Serves until `signal` completes, then shuts down gracefully; returns
    /// earlier if the server stops by itself (only on an error).
    pub async fn run_until(
        mut self,
        signal: impl std::future::Future<Output = ()>,
    ) -> std::io::Result<()> {
        let ended = tokio::select! {
            joined = &mut self.task => Some(joined),
            () = signal => None,
        };
        match ended {
            Some(joined) => joined.map_err(std::io::Error::other)?,
            None => self.stop_and_drain().await,
        }
    }

    /// Returns when the server stops by itself (it only does on an error).
    pub async fn wait(mut self) -> std::io::Result<()> {
        let _keep_running = self.stop.take();
        (&mut self.task).await.map_err(std::io::Error::other)?
    }
}

/// Starts the server as `settings` say and returns once it accepts requests.
pub async fn start(settings: Settings) -> Result<RunningServer, StartError> {
    settings.validate()?;
    let policy = settings.policy()?;
    let display_offset = settings.display_offset()?;
    let (memory_kib, iterations) = settings.argon2()?;
    // Any HTTP client in this process (webhooks, and an embedding test kit's)
    // needs the provider.
    thingstead_notify::install_tls_provider();

    let gateway_config = settings.gateway()?;

    // Bound first, so that a taken port fails before anything is created.
    // Connections that arrive meanwhile wait in the backlog.
    let (listener, http_addr) = bind("http_listen", &settings.http_listen).await?;
    let (mqtt_listener, mqtt_addr) = bind("mqtt_listen", &settings.mqtt_listen).await?;
    let (tcp_listener, tcp_addr) = bind("tcp_listen", &settings.tcp_listen).await?;
    let public_url = settings.public_url(http_addr)?;

    let data_dir = settings.data_dir.clone();
    prepare_data_dir(&data_dir)?;
    let senders =
        thingstead_notify::build(&settings.notify, &data_dir).map_err(StartError::Config)?;

    let url = settings.database_url();
    let db = open_database(&url).await?;
    let store: Arc<dyn Store> = Arc::new(db.clone());

    let hasher = PasswordHasher::new(memory_kib, iterations, ARGON2_PARALLELISM, settings.hash_concurrency())
        .map_err(|e| StartError::Config(format!("the Argon2 parameters are not usable ({e}); check --argon2-memory-kib and --argon2-iterations")))?;
    let credentials = bootstrap::first_start(store.as_ref(), &hasher)
        .await
        .map_err(|e| StartError::Database {
            action: "initialise",
            url: redact_url(&url),
            reason: e.to_string(),
        })?;
    if let Some(creds) = &credentials {
        crate::credentials::announce(creds, &settings.credentials_path())?;
    }

    let uploads_dir = data_dir.join("uploads");
    std::fs::create_dir_all(&uploads_dir).map_err(|e| StartError::data_dir(&uploads_dir, &e))?;
    let files: Arc<dyn FileStore> = Arc::new(LocalFiles::new(uploads_dir));
    let identity = Identity::new(
        store.clone(),
        hasher.clone(),
        senders.sms,
        senders.email,
        policy.clone(),
    );
    let projects = thingstead_core::Projects::new(
        store.clone(),
        hasher,
        policy.clone(),
        identity.session_cache(),
    );
    let node_id = crate::cluster::node_id(&settings);
    let node = crate::cluster::node_bus(&settings, &node_id).await?;
    let alarms = Alarms::start(Arc::new(db.clone()), senders.alarms, LiveEvents::default())
        .await
        .map_err(|e| StartError::Database {
            action: "read the open alarms from",
            url: redact_url(&url),
            reason: e.to_string(),
        })?;
    crate::cluster::relay_live(&node, alarms.live().clone(), &settings).await?;
    let telemetry = thingstead_core::Telemetry::new(
        store.clone(),
        Arc::new(db.clone()),
        node.bus.clone(),
        alarms.clone(),
        &node_id,
    );
    let living = thingstead_core::Living::new(store.clone(), telemetry.clone());
    let uploads = Uploads::new(store, files, policy);
    let upkeep_guard = crate::background::spawn_upkeep(db.clone(), settings.history_retention_days);
    let beat_guard = crate::background::spawn_node_beat(db.clone(), node_id.clone());
    let gateway = Gateway::new(telemetry.clone(), node.local.clone(), gateway_config);
    gateway.serve_mqtt(mqtt_listener);
    gateway.serve_tcp(tcp_listener);

    let state = AppState {
        identity,
        projects,
        living,
        telemetry: telemetry.clone(),
        alarms: alarms.clone(),
        uploads,
        public_url: public_url.as_str().into(),
        display_offset,
    };
    let health = crate::app::Health {
        node_id: node_id.as_str().into(),
        devices: node.local.clone(),
        cluster: node.cluster.clone(),
    };
    let app = crate::app::router(state, health).into_make_service_with_connect_info::<SocketAddr>();
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                // A dropped sender (the RunningServer dropped) stops too.
                let _ = stopped.await;
            })
            .await
    });

    tracing::info!(
        http = %http_addr,
        mqtt = %mqtt_addr,
        tcp = %tcp_addr,
        public_url = %public_url,
        database = %db.backend_name(),
        database_url = %redact_url(&url),
        data_dir = %data_dir.display(),
        node_id = %node_id,
        nats = %crate::cluster::nats_url(&settings).map_or_else(|| "off".to_owned(), |u| redact_url(&u)),
        "thingstead is ready"
    );
    Ok(RunningServer {
        http_addr,
        mqtt_addr,
        tcp_addr,
        _gateway_guard: gateway.stop_on_drop(),
        _cluster_guard: node.stop.drop_guard(),
        gateway,
        telemetry,
        alarms,
        _upkeep_guard: upkeep_guard,
        _beat_guard: beat_guard,
        db: db.clone(),
        node_id: node_id.clone(),
        public_url,
        data_dir,
        credentials,
        stop: Some(stop),
        task,
    })
}

/// Binds the listener of settings key `key` (`http_listen`…).
async fn bind(key: &str, addr: &str) -> Result<(TcpListener, SocketAddr), StartError> {
    let addr = addr.trim();
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|e| StartError::listen(key, addr, &e))?;
    let bound = listener
        .local_addr()
        .map_err(|e| StartError::listen(key, addr, &e))?;
    Ok((listener, bound))
}

/// What `thingstead migrate` did.
#[derive(Debug, Clone)]
pub struct Migrated {
    pub backend: &'static str,
    /// Without credentials.
    pub database_url: String,
}

impl std::fmt::Display for Migrated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "migrated the {} database {} to the latest schema",
            self.backend, self.database_url
        )
    }
}

/// Applies the pending migrations and nothing else.
pub async fn migrate(settings: &Settings) -> Result<Migrated, StartError> {
    settings.validate()?;
    let url = settings.database_url();
    if url.starts_with("sqlite:") {
        prepare_data_dir(&settings.data_dir)?;
    }
    let db = open_database(&url).await?;
    Ok(Migrated {
        backend: db.backend_name(),
        database_url: redact_url(&url),
    })
}

/// Connects and migrates.
pub(crate) async fn open_database(url: &str) -> Result<Db, StartError> {
    let failed = |action: &'static str| {
        move |e: StoreError| StartError::Database {
            action,
            url: redact_url(url),
            reason: store_reason(&e),
        }
    };
    let db = match tokio::time::timeout(CONNECT_TIMEOUT, Db::connect(url)).await {
        Ok(connected) => connected.map_err(failed("open"))?,
        Err(_) => {
            return Err(StartError::Database {
                action: "open",
                url: redact_url(url),
                reason: format!("no answer within {} seconds", CONNECT_TIMEOUT.as_secs()),
            });
        }
    };
    db.migrate().await.map_err(failed("migrate"))?;
    Ok(db)
}

fn store_reason(e: &StoreError) -> String {
    match e {
        StoreError::Backend(reason) => reason.clone(),
        other => other.to_string(),
    }
}

/// Creates the data directory and proves it writable with a probe file.
fn prepare_data_dir(dir: &Path) -> Result<(), StartError> {
    std::fs::create_dir_all(dir).map_err(|e| StartError::data_dir(dir, &e))?;
    let probe = dir.join(format!(".write-probe-{}", std::process::id()));
    std::fs::write(&probe, b"probe").map_err(|e| StartError::data_dir(dir, &e))?;
    std::fs::remove_file(&probe).map_err(|e| StartError::data_dir(dir, &e))?;
    Ok(())
}
