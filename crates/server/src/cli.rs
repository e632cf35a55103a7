//! The command line, and the layering of defaults, the TOML file, the
//! environment and the flags into [`Settings`].

use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};
use figment::providers::{Env, Format, Serialized, Toml};
use figment::value::{Dict, Map};
use figment::{Figment, Metadata, Profile, Provider};
use serde::Serialize;
use thingstead_notify::NotifyConfig;

use crate::config::Settings;
use crate::error::StartError;

/// The prefix of the environment variables that set keys.
pub const ENV_PREFIX: &str = "THINGSTEAD_";

/// thingstead: a self-hosted IoT device cloud in one binary.
#[derive(Debug, Parser)]
#[command(name = "thingstead", version, about)]
pub struct Cli {
    /// A TOML file of settings (keys named like the flags, with underscores).
    #[arg(long, global = true, value_name = "FILE", env = "THINGSTEAD_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server (the default when no command is given).
    Serve(Flags),
    /// Bring the database schema up to date, then exit.
    Migrate(Flags),
    /// Set up projects, their API apps and admins on the configured database.
    #[command(subcommand)]
    Project(crate::project_cli::ProjectCommand),
}

impl Cli {
    /// The command, `serve` with no flags when none was given.
    pub fn command(&self) -> (bool, Flags) {
        match &self.command {
            None => (true, Flags::default()),
            Some(Command::Serve(f)) => (true, f.clone()),
            Some(Command::Migrate(f)) => (false, f.clone()),
            // Run by `project_cli::run`; here only its configuration counts.
            Some(Command::Project(p)) => (false, p.flags().clone()),
        }
    }
}

/// Flags that override every other layer. Each is a settings key.
#[derive(Debug, Clone, Default, Args, Serialize)]
pub struct Flags {
    /// Directory of the SQLite database, uploads and outbox [default: ./thingstead-data]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// host:port to serve HTTP on; port 0 picks a free port [default: 0.0.0.0:8080]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long)]
    pub http_listen: Option<String>,
    /// host:port of the MQTT endpoint for devices [default: 0.0.0.0:1883]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long)]
    pub mqtt_listen: Option<String>,
    /// host:port of the raw TCP endpoint for device data streams [default: 0.0.0.0:1884]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long)]
    pub tcp_listen: Option<String>,
    /// Largest MQTT packet accepted, in bytes [default: 262144]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long)]
    pub mqtt_max_packet_size: Option<u64>,
    /// sqlite://FILE or postgres://USER:PASSWORD@HOST/DB [default: sqlite://<data-dir>/thingstead.db]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long)]
    pub database_url: Option<String>,
    /// nats://HOST:4222: cluster mode, with a postgres:// database [default: one process]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long)]
    pub nats_url: Option<String>,
    /// First tokens of this deployment's NATS subjects [default: thingstead]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long)]
    pub nats_subject_prefix: Option<String>,
    /// This node's id [default: 8 random hex digits]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long)]
    pub node_id: Option<String>,
    /// Base URL put into links [default: http://<bound address>]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long)]
    pub public_url: Option<String>,
    /// Log filter such as info or thingstead=debug; RUST_LOG wins [default: info]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long)]
    pub log_level: Option<String>,
    /// text or json [default: text]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long)]
    pub log_format: Option<String>,
    /// UTC offset of local-time dates in answers [default: +08:00]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long, allow_hyphen_values = true)]
    pub display_offset: Option<String>,
    /// log or webhook [default: log]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long)]
    pub sms_provider: Option<String>,
    /// URL the webhook SMS provider POSTs each message to
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long)]
    pub sms_webhook_url: Option<String>,
    /// log, webhook or smtp [default: log]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long)]
    pub email_provider: Option<String>,
    /// URL alarm pushes are POSTed to for a push gateway [default: written to the log]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long)]
    pub push_webhook_url: Option<String>,
    /// URL the webhook e-mail provider POSTs each message to
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long)]
    pub email_webhook_url: Option<String>,
    /// SMTP server of the smtp e-mail provider
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long)]
    pub smtp_host: Option<String>,
    /// SMTP port [default: 587 starttls, 465 tls, 25 none]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long)]
    pub smtp_port: Option<u16>,
    /// SMTP user name (no login when unset)
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long)]
    pub smtp_username: Option<String>,
    /// Prefer THINGSTEAD_SMTP_PASSWORD: flags are visible to other users
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long)]
    pub smtp_password: Option<String>,
    /// Sender address, such as "Thingstead <no-reply@example.com>"
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long)]
    pub smtp_from: Option<String>,
    /// starttls, tls or none [default: starttls]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long)]
    pub smtp_tls: Option<String>,
    /// Days of device history kept; 0 keeps everything [default: 0]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long)]
    pub history_retention_days: Option<u32>,
    /// Password hashes computed at once [default: cores - 1, at least 1]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long)]
    pub password_hash_concurrency: Option<usize>,
    /// Argon2id memory in KiB, at least 19456 [default: 19456]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long)]
    pub argon2_memory_kib: Option<u32>,
    /// Argon2id passes, at least 2 [default: 2]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long)]
    pub argon2_iterations: Option<u32>,
    /// Lifetime of a verification code [default: 600]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long)]
    pub code_ttl_secs: Option<u64>,
    /// Wrong tries that kill a code [default: 5]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long)]
    pub code_max_attempts: Option<u32>,
    /// Least time between two codes to one target [default: 60]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long)]
    pub code_send_interval_secs: Option<u64>,
    /// Codes per target per day [default: 10]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long)]
    pub code_sends_per_day: Option<u64>,
    /// Codes per client address per hour [default: 30]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long)]
    pub code_sends_per_address_hour: Option<u64>,
    /// Wrong passwords per account before logins are refused [default: 10]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long)]
    pub login_failure_max: Option<u64>,
    /// Window of login_failure_max [default: 900]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long)]
    pub login_failure_window_secs: Option<u64>,
    /// Idle expiry of web sessions [default: 86400]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long)]
    pub session_idle_web_secs: Option<u64>,
    /// Idle expiry of app sessions [default: 2592000]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long)]
    pub session_idle_app_secs: Option<u64>,
    /// Absolute expiry of every session [default: 7776000]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long)]
    pub session_absolute_secs: Option<u64>,
    /// Lifetime of a provisioning code [default: 600]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long)]
    pub provision_ttl_secs: Option<u64>,
    /// Lifetime of an upload ticket [default: 600]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long)]
    pub upload_ticket_ttl_secs: Option<u64>,
    /// Largest image upload [default: 5242880]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long)]
    pub upload_image_max_bytes: Option<u64>,
    /// Largest other upload [default: 52428800]
    #[serde(skip_serializing_if = "Option::is_none")]
    #[arg(long)]
    pub upload_file_max_bytes: Option<u64>,
}

/// The flags as a figment layer, named so that errors say where a bad
/// value came from.
struct CommandLine<'a>(&'a Flags);

impl Provider for CommandLine<'_> {
    fn metadata(&self) -> Metadata {
        Metadata::named("command-line flags")
    }

    fn data(&self) -> figment::Result<Map<Profile, Dict>> {
        Serialized::defaults(self.0).data()
    }
}

/// The layers, in order: TOML file, environment, flags (defaults come from
/// [`Settings::default`] through serde).
pub fn figment(config_file: Option<&Path>, flags: &Flags) -> Figment {
    let mut figment = Figment::new();
    if let Some(file) = config_file {
        figment = figment.merge(Toml::file_exact(file));
    }
    figment
        .merge(Env::prefixed(ENV_PREFIX))
        .merge(CommandLine(flags))
}

/// Reads and checks the settings.
pub fn load(config_file: Option<&Path>, flags: &Flags) -> Result<Settings, StartError> {
    if let Some(file) = config_file
        && let Err(e) = std::fs::File::open(file)
    {
        return Err(StartError::Config(format!(
            "cannot read the configuration file {}: {}; fix --config or THINGSTEAD_CONFIG",
            file.display(),
            crate::error::io_reason(&e)
        )));
    }
    let figment = figment(config_file, flags);
    let config_error = |e: figment::Error| StartError::Config(e.to_string());
    // Extracted on its own first: errors inside the flattened part would
    // otherwise not name their key.
    figment.extract::<NotifyConfig>().map_err(config_error)?;
    let settings: Settings = figment.extract().map_err(config_error)?;
    settings.validate()?;
    Ok(settings)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::result_large_err)]
mod tests {
    use super::*;
    use crate::config::LogFormat;
    use figment::Jail;
    use thingstead_notify::SmsProvider;

    #[test]
    fn defaults_then_toml_then_env_then_flags() {
        Jail::expect_with(|jail| {
            jail.clear_env();
            // Defaults alone.
            let s = load(None, &Flags::default()).unwrap();
            assert_eq!(s.http_listen, "0.0.0.0:8080");
            assert_eq!(s.data_dir, PathBuf::from("./thingstead-data"));
            assert_eq!(s.database_url(), "sqlite://./thingstead-data/thingstead.db");
            assert_eq!(s.log_level, "info");
            assert_eq!(s.argon2_memory_kib, 19456);
            assert_eq!(s.code_ttl_secs, 600);

            jail.create_file(
                "thingstead.toml",
                r#"
                    data_dir = "/srv/ts"
                    http_listen = "127.0.0.1:9000"
                    log_level = "debug"
                    log_format = "json"
                    sms_provider = "webhook"
                    sms_webhook_url = "http://sms.example/hook"
                    code_ttl_secs = 300
                "#,
            )?;
            let file = Some(Path::new("thingstead.toml"));
            let s = load(file, &Flags::default()).unwrap();
            assert_eq!(s.data_dir, PathBuf::from("/srv/ts"));
            assert_eq!(s.database_url(), "sqlite:///srv/ts/thingstead.db");
            assert_eq!(s.http_listen, "127.0.0.1:9000");
            assert_eq!(s.log_format, LogFormat::Json);
            assert_eq!(s.notify.sms_provider, SmsProvider::Webhook);
            assert_eq!(s.code_ttl_secs, 300);

            jail.set_env("THINGSTEAD_HTTP_LISTEN", "127.0.0.1:9100");
            jail.set_env("THINGSTEAD_LOG_LEVEL", "warn");
            jail.set_env("THINGSTEAD_SMTP_PASSWORD", "123456");
            jail.set_env("THINGSTEAD_CODE_SEND_INTERVAL_SECS", "0");
            let s = load(file, &Flags::default()).unwrap();
            assert_eq!(
                s.data_dir,
                PathBuf::from("/srv/ts"),
                "the file still counts"
            );
            assert_eq!(s.http_listen, "127.0.0.1:9100");
            assert_eq!(s.log_level, "warn");
            assert_eq!(s.notify.smtp_password.as_deref(), Some("123456"));
            assert_eq!(s.code_send_interval_secs, 0);

            let flags = Flags {
                log_level: Some("trace".into()),
                code_ttl_secs: Some(120),
                ..Flags::default()
            };
            let s = load(file, &flags).unwrap();
            assert_eq!(s.log_level, "trace");
            assert_eq!(s.http_listen, "127.0.0.1:9100", "env still counts");
            assert_eq!(s.code_ttl_secs, 120);
            assert_eq!(s.policy().unwrap().code_ttl, chrono::Duration::seconds(120));
            Ok(())
        });
    }

    #[test]
    fn flags_parse_from_the_command_line() {
        let cli = Cli::try_parse_from([
            "thingstead",
            "serve",
            "--http-listen",
            "127.0.0.1:0",
            "--display-offset",
            "-05:00",
            "--code-ttl-secs",
            "60",
        ])
        .unwrap();
        let (serve, flags) = cli.command();
        assert!(serve);
        assert_eq!(flags.http_listen.as_deref(), Some("127.0.0.1:0"));
        assert_eq!(flags.display_offset.as_deref(), Some("-05:00"));
        assert_eq!(flags.code_ttl_secs, Some(60));
        let cli = Cli::try_parse_from(["thingstead", "migrate", "--config", "x.toml"]).unwrap();
        assert!(!cli.command().0);
        assert_eq!(cli.config, Some(PathBuf::from("x.toml")));
    }

    #[test]
    fn bad_values_name_their_key() {
        Jail::expect_with(|jail| {
            jail.clear_env();
            jail.set_env("THINGSTEAD_ARGON2_MEMORY_KIB", "1024");
            let e = load(None, &Flags::default()).unwrap_err().to_string();
            assert!(
                e.contains("argon2_memory_kib") && e.contains("--argon2-memory-kib"),
                "{e}"
            );

            jail.set_env("THINGSTEAD_ARGON2_MEMORY_KIB", "19456");
            jail.set_env("THINGSTEAD_SMS_PROVIDER", "pigeon");
            let e = load(None, &Flags::default()).unwrap_err().to_string();
            assert!(
                e.to_lowercase().contains("sms_provider") && e.contains("pigeon"),
                "{e}"
            );

            jail.set_env("THINGSTEAD_SMS_PROVIDER", "log");
            jail.set_env("THINGSTEAD_LOG_FORMAT", "xml");
            let e = load(None, &Flags::default()).unwrap_err().to_string();
            assert!(e.to_lowercase().contains("log_format"), "{e}");

            jail.set_env("THINGSTEAD_LOG_FORMAT", "text");
            let flags = Flags {
                display_offset: Some("noon".into()),
                ..Flags::default()
            };
            let e = load(None, &flags).unwrap_err().to_string();
            assert!(e.contains("--display-offset"), "{e}");

            let e = load(Some(Path::new("missing.toml")), &Flags::default())
                .unwrap_err()
                .to_string();
            assert!(e.contains("missing.toml") && e.contains("--config"), "{e}");
            Ok(())
        });
    }
}
