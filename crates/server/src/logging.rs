//! Log output: text or JSON lines on stderr, filtered by `log_level` unless
//! `RUST_LOG` is set. Stdout is left for what the operator must read (the
//! initial credentials, `migrate`'s report).

use std::io::IsTerminal as _;

use tracing_subscriber::EnvFilter;

use crate::config::{LogFormat, Settings};
use crate::error::StartError;

/// Installs the global subscriber. A second call (several servers in one
/// test process) keeps the first subscriber and succeeds.
pub fn init(settings: &Settings) -> Result<(), StartError> {
    let filter = match std::env::var("RUST_LOG") {
        Ok(from_env) if !from_env.trim().is_empty() => EnvFilter::try_new(from_env.trim())
            .map_err(|e| StartError::Config(format!("RUST_LOG is not a valid log filter: {e}")))?,
        _ => EnvFilter::try_new(settings.log_level.trim()).map_err(|e| {
            crate::config::bad(
                "log_level",
                format!("is not a valid log filter such as info or thingstead=debug ({e})"),
            )
        })?,
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none())
        .with_target(true);
    let _already_set = match settings.log_format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .try_init(),
    };
    Ok(())
}
