//! The server's settings: every key, its default, and the checks that turn
//! them into the values the services run with.
//!
//! Layers, later ones winning: defaults → TOML file (`--config`) →
//! `THINGSTEAD_*` environment variables → command-line flags. A key is
//! named like its flag with underscores: `--http-listen` is `http_listen` in
//! the file and `THINGSTEAD_HTTP_LISTEN` in the environment.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use chrono::{FixedOffset, Offset as _};
use serde::Deserialize;
use thingstead_core::Policy;
use thingstead_notify::NotifyConfig;

use crate::error::StartError;

/// Argon2id's smallest accepted memory cost (the OWASP minimum), in KiB.
pub const ARGON2_MIN_MEMORY_KIB: u32 = 19_456;
/// Argon2id's smallest accepted number of passes.
pub const ARGON2_MIN_ITERATIONS: u32 = 2;
/// The smallest `mqtt_max_packet_size` accepted.
pub const MQTT_MIN_PACKET_SIZE: u32 = 1024;
/// MQTT's own largest packet (the largest remaining length).
pub const MQTT_MAX_PACKET_SIZE: u32 = 268_435_455;

/// How log lines are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One human-readable line per event.
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

/// Everything `thingstead serve` can be told. [`Settings::default`] is the
/// embedded default; the test kit builds one in code.
#[derive(Clone, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Where the SQLite database, uploads, the outbox and the initial
    /// credentials are kept.
    pub data_dir: PathBuf,
    /// `host:port` the HTTP API listens on; port 0 picks a free one.
    pub http_listen: String,
    /// `host:port` of the MQTT endpoint for devices.
    pub mqtt_listen: String,
    /// `host:port` of the raw TCP endpoint for devices' data streams.
    pub tcp_listen: String,
    /// Largest MQTT packet accepted, in bytes.
    pub mqtt_max_packet_size: u64,
    /// `sqlite://…` or `postgres://…`; default `sqlite://<data_dir>/thingstead.db`.
    pub database_url: Option<String>,
    /// Base URL put into links; default from the bound address.
    pub public_url: Option<String>,
    /// `nats://…`: cluster mode (needs PostgreSQL); unset: one process.
    pub nats_url: Option<String>,
    /// The first tokens of every NATS subject of this deployment.
    pub nats_subject_prefix: String,
    /// This node's id; default 8 random hex digits at each start.
    pub node_id: Option<String>,
    /// A tracing filter such as `info` or `thingstead=debug,info`; `RUST_LOG` wins.
    pub log_level: String,
    pub log_format: LogFormat,
    /// UTC offset of the local-time date strings some dialects show.
    pub display_offset: String,
    /// SMS and e-mail providers (`sms_provider`, `smtp_host`, ...).
    #[serde(flatten)]
    pub notify: NotifyConfig,
    /// Password hashes computed at once; default one less than the cores.
    pub password_hash_concurrency: Option<usize>,
    /// Days of device history kept (attribute history, events, data
    /// messages, commands, presence); 0 keeps everything.
    pub history_retention_days: u32,
    pub argon2_memory_kib: u32,
    pub argon2_iterations: u32,
    // Policy: every field of `thingstead_core::Policy`.
    pub code_ttl_secs: u64,
    pub code_max_attempts: u32,
    pub code_send_interval_secs: u64,
    pub code_sends_per_day: u64,
    pub code_sends_per_address_hour: u64,
    pub login_failure_max: u64,
    pub login_failure_window_secs: u64,
    pub session_idle_web_secs: u64,
    pub session_idle_app_secs: u64,
    pub session_absolute_secs: u64,
    pub provision_ttl_secs: u64,
    pub upload_ticket_ttl_secs: u64,
    pub upload_image_max_bytes: u64,
    pub upload_file_max_bytes: u64,
}

impl Default for Settings {
    fn default() -> Self {
        let p = Policy::default();
        let secs = |d: chrono::Duration| d.num_seconds().max(0) as u64;
        Settings {
            data_dir: PathBuf::from("./thingstead-data"),
            http_listen: "0.0.0.0:8080".into(),
            mqtt_listen: "0.0.0.0:1883".into(),
            tcp_listen: "0.0.0.0:1884".into(),
            mqtt_max_packet_size: u64::from(thingstead_devices::DEFAULT_MAX_PACKET_SIZE),
            database_url: None,
            public_url: None,
            nats_url: None,
            nats_subject_prefix: "thingstead".into(),
            node_id: None,
            log_level: "info".into(),
            log_format: LogFormat::Text,
            display_offset: "+08:00".into(),
            notify: NotifyConfig::default(),
            password_hash_concurrency: None,
            history_retention_days: 0,
            argon2_memory_kib: ARGON2_MIN_MEMORY_KIB,
            argon2_iterations: ARGON2_MIN_ITERATIONS,
            code_ttl_secs: secs(p.code_ttl),
            code_max_attempts: p.code_max_attempts.max(0) as u32,
            code_send_interval_secs: secs(p.code_send_interval),
            code_sends_per_day: p.code_sends_per_day,
            code_sends_per_address_hour: p.code_sends_per_address_hour,
            login_failure_max: p.login_failure_max,
            login_failure_window_secs: secs(p.login_failure_window),
            session_idle_web_secs: secs(p.session_idle_web),
            session_idle_app_secs: secs(p.session_idle_app),
            session_absolute_secs: secs(p.session_absolute),
            provision_ttl_secs: secs(p.provision_ttl),
            upload_ticket_ttl_secs: secs(p.upload_ticket_ttl),
            upload_image_max_bytes: p.upload_image_max.max(0) as u64,
            upload_file_max_bytes: p.upload_file_max.max(0) as u64,
        }
    }
}

/// Never prints secrets: the database password and the provider secrets
/// are hidden.
impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("data_dir", &self.data_dir)
            .field("http_listen", &self.http_listen)
            .field("mqtt_listen", &self.mqtt_listen)
            .field("tcp_listen", &self.tcp_listen)
            .field("mqtt_max_packet_size", &self.mqtt_max_packet_size)
            .field(
                "database_url",
                &self.database_url.as_deref().map(redact_url),
            )
            .field("public_url", &self.public_url)
            .field("nats_url", &self.nats_url.as_deref().map(redact_url))
            .field("nats_subject_prefix", &self.nats_subject_prefix)
            .field("node_id", &self.node_id)
            .field("log_level", &self.log_level)
            .field("log_format", &self.log_format)
            .field("display_offset", &self.display_offset)
            .field("notify", &self.notify)
            .field("password_hash_concurrency", &self.password_hash_concurrency)
            .field("argon2_memory_kib", &self.argon2_memory_kib)
            .field("argon2_iterations", &self.argon2_iterations)
            .field("policy", &self.policy().ok())
            .finish()
    }
}

/// A bad value of `key`, as a start error naming the flag and variable.
pub(crate) fn bad(key: &str, problem: impl std::fmt::Display) -> StartError {
    StartError::Config(format!(
        "{key} {problem}; set it with --{} or THINGSTEAD_{}",
        key.replace('_', "-"),
        key.to_ascii_uppercase()
    ))
}

fn duration(key: &str, secs: u64, min: u64) -> Result<chrono::Duration, StartError> {
    if secs < min {
        return Err(bad(key, format!("must be at least {min} (got {secs})")));
    }
    i64::try_from(secs)
        .ok()
        .and_then(chrono::Duration::try_seconds)
        .ok_or_else(|| bad(key, format!("is too large (got {secs})")))
}

fn at_least_one(key: &str, n: u64) -> Result<u64, StartError> {
    if n == 0 {
        return Err(bad(key, "must be at least 1 (got 0)"));
    }
    Ok(n)
}

fn bytes(key: &str, n: u64) -> Result<i64, StartError> {
    let n = at_least_one(key, n)?;
    i64::try_from(n).map_err(|_| bad(key, format!("is too large (got {n})")))
}

impl Settings {
    /// The identity rules' numbers.
    pub fn policy(&self) -> Result<Policy, StartError> {
        Ok(Policy {
            code_ttl: duration("code_ttl_secs", self.code_ttl_secs, 1)?,
            code_max_attempts: i32::try_from(self.code_max_attempts)
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| {
                    bad(
                        "code_max_attempts",
                        format!("must be at least 1 (got {})", self.code_max_attempts),
                    )
                })?,
            code_send_interval: duration(
                "code_send_interval_secs",
                self.code_send_interval_secs,
                0,
            )?,
            code_sends_per_day: at_least_one("code_sends_per_day", self.code_sends_per_day)?,
            code_sends_per_address_hour: at_least_one(
                "code_sends_per_address_hour",
                self.code_sends_per_address_hour,
            )?,
            login_failure_max: at_least_one("login_failure_max", self.login_failure_max)?,
            login_failure_window: duration(
                "login_failure_window_secs",
                self.login_failure_window_secs,
                1,
            )?,
            session_idle_web: duration("session_idle_web_secs", self.session_idle_web_secs, 1)?,
            session_idle_app: duration("session_idle_app_secs", self.session_idle_app_secs, 1)?,
            session_absolute: duration("session_absolute_secs", self.session_absolute_secs, 1)?,
            provision_ttl: duration("provision_ttl_secs", self.provision_ttl_secs, 1)?,
            upload_ticket_ttl: duration("upload_ticket_ttl_secs", self.upload_ticket_ttl_secs, 1)?,
            upload_image_max: bytes("upload_image_max_bytes", self.upload_image_max_bytes)?,
            upload_file_max: bytes("upload_file_max_bytes", self.upload_file_max_bytes)?,
        })
    }

    /// The offset of local-time date strings.
    pub fn display_offset(&self) -> Result<FixedOffset, StartError> {
        let raw = self.display_offset.trim();
        if raw.eq_ignore_ascii_case("z") || raw.eq_ignore_ascii_case("utc") {
            return Ok(chrono::Utc.fix());
        }
        raw.parse::<FixedOffset>().map_err(|_| {
            bad(
                "display_offset",
                format!("must be a UTC offset such as +08:00 (got {raw:?})"),
            )
        })
    }

    /// The database URL, defaulting to a SQLite file in the data directory.
    pub fn database_url(&self) -> String {
        match self.database_url.as_deref().map(str::trim) {
            Some(url) if !url.is_empty() => url.to_owned(),
            _ => format!("sqlite://{}", self.data_dir.join("thingstead.db").display()),
        }
    }

    /// How many password hashes may run at once.
    pub fn hash_concurrency(&self) -> usize {
        self.password_hash_concurrency.unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get().saturating_sub(1))
                .unwrap_or(1)
                .max(1)
        })
    }

    /// Argon2id's memory cost and passes, refused below the minimums.
    pub fn argon2(&self) -> Result<(u32, u32), StartError> {
        if self.argon2_memory_kib < ARGON2_MIN_MEMORY_KIB {
            return Err(bad(
                "argon2_memory_kib",
                format!(
                    "must be at least {ARGON2_MIN_MEMORY_KIB} (got {})",
                    self.argon2_memory_kib
                ),
            ));
        }
        if self.argon2_iterations < ARGON2_MIN_ITERATIONS {
            return Err(bad(
                "argon2_iterations",
                format!(
                    "must be at least {ARGON2_MIN_ITERATIONS} (got {})",
                    self.argon2_iterations
                ),
            ));
        }
        if self.password_hash_concurrency == Some(0) {
            return Err(bad(
                "password_hash_concurrency",
                "must be at least 1 (got 0)",
            ));
        }
        Ok((self.argon2_memory_kib, self.argon2_iterations))
    }

    /// The public base URL without a trailing slash: the configured one, or
    /// one made from the bound address (`127.0.0.1` for a wildcard bind).
    pub fn public_url(&self, bound: SocketAddr) -> Result<String, StartError> {
        if let Some(raw) = self
            .public_url
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            let ok = url::Url::parse(raw)
                .map(|u| matches!(u.scheme(), "http" | "https") && u.has_host())
                .unwrap_or(false);
            if !ok {
                return Err(bad(
                    "public_url",
                    format!("must be an http:// or https:// URL (got {raw:?})"),
                ));
            }
            return Ok(raw.trim_end_matches('/').to_owned());
        }
        let ip = match bound.ip() {
            std::net::IpAddr::V4(v4) if v4.is_unspecified() => std::net::Ipv4Addr::LOCALHOST.into(),
            std::net::IpAddr::V6(v6) if v6.is_unspecified() => std::net::Ipv6Addr::LOCALHOST.into(),
            ip => ip,
        };
        Ok(format!("http://{}", SocketAddr::new(ip, bound.port())))
    }

    /// The largest MQTT packet, between 1 KiB and MQTT's own limit.
    pub fn mqtt_max_packet_size(&self) -> Result<u32, StartError> {
        let n = self.mqtt_max_packet_size;
        u32::try_from(n)
            .ok()
            .filter(|n| (MQTT_MIN_PACKET_SIZE..=MQTT_MAX_PACKET_SIZE).contains(n))
            .ok_or_else(|| {
                bad(
                    "mqtt_max_packet_size",
                    format!(
                        "must be between {MQTT_MIN_PACKET_SIZE} and {MQTT_MAX_PACKET_SIZE} bytes (got {n})"
                    ),
                )
            })
    }

    /// The device gateway's settings.
    pub fn gateway(&self) -> Result<thingstead_devices::GatewayConfig, StartError> {
        Ok(thingstead_devices::GatewayConfig {
            max_packet_size: self.mqtt_max_packet_size()?,
            ..thingstead_devices::GatewayConfig::default()
        })
    }

    /// Checks every value that can be checked before anything starts.
    pub fn validate(&self) -> Result<(), StartError> {
        self.policy()?;
        self.display_offset()?;
        self.argon2()?;
        self.gateway()?;
        for (key, value, example) in [
            ("http_listen", &self.http_listen, "0.0.0.0:8080"),
            ("mqtt_listen", &self.mqtt_listen, "0.0.0.0:1883"),
            ("tcp_listen", &self.tcp_listen, "0.0.0.0:1884"),
        ] {
            if value.trim().is_empty() {
                return Err(bad(key, format!("must be host:port such as {example}")));
            }
        }
        if self.data_dir.as_os_str().is_empty() {
            return Err(bad("data_dir", "must not be empty"));
        }
        crate::cluster::validate(self)
    }

    /// Where the credentials of the first start are written.
    pub fn credentials_path(&self) -> PathBuf {
        self.data_dir.join(crate::start::CREDENTIALS_FILE)
    }

    /// The data directory, for messages.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }
}

/// A database URL without its password: `postgres://user:***@host/db`.
/// Query parameters named `password` are hidden too.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (rest, query) = match rest.split_once('?') {
        Some((r, q)) => (r, Some(q)),
        None => (rest, None),
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split_once(':').map_or(userinfo, |(u, _)| u);
            format!("{user}:***@{host}")
        }
        None => authority.to_owned(),
    };
    let mut out = format!("{scheme}://{authority}{path}");
    if let Some(query) = query {
        let parts: Vec<String> = query
            .split('&')
            .map(|kv| match kv.split_once('=') {
                Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                _ => kv.to_owned(),
            })
            .collect();
        out.push('?');
        out.push_str(&parts.join("&"));
    }
    out
}
