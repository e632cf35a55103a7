//! The thingstead domain: projects, users, sessions, verification codes,
//! terminals, provisioning codes and uploads.
//!
//! This crate knows no HTTP and no SQL. The API dialects call the services in
//! [`identity`], [`uploads`] and [`provision`]; the store crate implements the
//! traits in [`store`]; the notify crate implements [`notify::Sender`].

pub mod alarms;
pub mod bootstrap;
pub mod error;
pub mod identity;
pub mod live;
pub mod living;
pub mod model;
pub mod notify;
pub mod password;
pub mod policy;
pub mod project;
pub mod secret;
pub mod store;
pub mod telemetry;
pub mod uploads;
pub mod values;

pub use alarms::Alarms;
pub use error::{DomainError, StoreError};
pub use identity::Identity;
pub use living::Living;
pub use policy::Policy;
pub use project::Projects;
pub use telemetry::Telemetry;

/// Timestamps are UTC everywhere in the domain.
pub type Time = chrono::DateTime<chrono::Utc>;

/// The current time. One place, so that nothing reads the clock differently.
pub fn now() -> Time {
    chrono::Utc::now()
}
