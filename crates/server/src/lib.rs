//! The `thingstead` server: settings, start-up and shutdown, and the HTTP
//! application that mounts every API dialect. The binary in `main.rs` is a
//! thin shell around [`start`]; the test kit calls it in-process.

pub mod app;
mod background;
pub mod cli;
mod cluster;
pub mod config;
mod credentials;
pub mod error;
pub mod logging;
pub mod project_cli;
pub mod start;

pub use config::{LogFormat, Settings};
pub use error::StartError;
pub use start::{Migrated, RunningServer, migrate, start};
pub use thingstead_core::bootstrap::InitialCredentials;
pub use thingstead_notify::{EmailProvider, NotifyConfig, SmsProvider, SmtpTls};
