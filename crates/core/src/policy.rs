//! Lifetimes and limits of the identity rules, set from configuration.

use chrono::Duration;

/// Every number the identity rules use. [`Policy::default`] is what the
/// server runs with unless configured otherwise.
#[derive(Debug, Clone)]
pub struct Policy {
    /// How long a verification code is valid.
    pub code_ttl: Duration,
    /// Wrong tries after which a code is dead.
    pub code_max_attempts: i32,
    /// At most one send per target within this interval.
    pub code_send_interval: Duration,
    /// At most this many sends per target per day.
    pub code_sends_per_day: u64,
    /// At most this many sends per client address per hour.
    pub code_sends_per_address_hour: u64,
    /// Wrong passwords per account within `login_failure_window` before
    /// logins are refused until the window passes.
    pub login_failure_max: u64,
    pub login_failure_window: Duration,
    /// Idle expiry of web sessions (seed 001 platId 1).
    pub session_idle_web: Duration,
    /// Idle expiry of app, mini program and PC sessions.
    pub session_idle_app: Duration,
    /// Absolute expiry of every session.
    pub session_absolute: Duration,
    /// How long a provisioning code is valid.
    pub provision_ttl: Duration,
    /// How long an upload ticket is valid.
    pub upload_ticket_ttl: Duration,
    /// Largest image upload (avatar and other image modules), in bytes.
    pub upload_image_max: i64,
    /// Largest other upload, in bytes.
    pub upload_file_max: i64,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            code_ttl: Duration::minutes(10),
            code_max_attempts: 5,
            code_send_interval: Duration::seconds(60),
            code_sends_per_day: 10,
            code_sends_per_address_hour: 30,
            login_failure_max: 10,
            login_failure_window: Duration::minutes(15),
            session_idle_web: Duration::days(1),
            session_idle_app: Duration::days(30),
            session_absolute: Duration::days(90),
            provision_ttl: Duration::minutes(10),
            upload_ticket_ttl: Duration::minutes(10),
            upload_image_max: 5 * 1024 * 1024,
            upload_file_max: 50 * 1024 * 1024,
        }
    }
}
