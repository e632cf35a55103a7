//! Why the server could not start: one sentence naming the problem and the
//! setting that fixes it, printed as is by `main`.

use std::io;
use std::path::Path;

/// A start-up failure. Its `Display` is the whole message for the operator.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// A configuration value is wrong; the message names the key.
    #[error("bad configuration: {0}")]
    Config(String),
    /// The data directory cannot be created or written.
    #[error(
        "the data directory {path} is not usable: {reason}; choose another with --data-dir or THINGSTEAD_DATA_DIR"
    )]
    DataDir { path: String, reason: String },
    /// The database cannot be reached, opened or migrated.
    #[error(
        "cannot {action} the database {url}: {reason}; fix --database-url or THINGSTEAD_DATABASE_URL"
    )]
    Database {
        action: &'static str,
        /// Without credentials.
        url: String,
        reason: String,
    },
    /// A listener (HTTP, MQTT or TCP) cannot be bound; `flag` and `env`
    /// name its setting.
    #[error("cannot listen on {addr}: {reason}; choose another with --{flag} or THINGSTEAD_{env}")]
    Listen {
        addr: String,
        reason: String,
        flag: String,
        env: String,
    },
    /// NATS cannot be reached (cluster mode).
    #[error("cannot connect to NATS at {url}: {reason}; fix --nats-url or THINGSTEAD_NATS_URL")]
    Nats {
        /// Without credentials.
        url: String,
        reason: String,
    },
    /// The HTTP server stopped by itself.
    #[error("the HTTP server stopped: {0}")]
    Serve(String),
    /// A `thingstead project` command was refused; the message says why.
    #[error("{0}")]
    Refused(String),
}

impl StartError {
    pub(crate) fn data_dir(path: &Path, e: &io::Error) -> Self {
        StartError::DataDir {
            path: path.display().to_string(),
            reason: io_reason(e),
        }
    }

    /// `key` is the settings key, such as `http_listen`.
    pub(crate) fn listen(key: &str, addr: &str, e: &io::Error) -> Self {
        StartError::Listen {
            addr: addr.to_owned(),
            reason: io_reason(e),
            flag: key.replace('_', "-"),
            env: key.to_ascii_uppercase(),
        }
    }
}

/// An I/O error in words, without the `(os error N)` suffix.
pub(crate) fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::AddrInUse => "address already in use".into(),
        io::ErrorKind::AddrNotAvailable => "address not available on this machine".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        io::ErrorKind::NotFound => "not found".into(),
        io::ErrorKind::ReadOnlyFilesystem => "read-only file system".into(),
        io::ErrorKind::StorageFull => "no space left on device".into(),
        io::ErrorKind::AlreadyExists => "a file is in the way".into(),
        io::ErrorKind::NotADirectory => "a path component is not a directory".into(),
        _ => {
            let text = e.to_string();
            match text.find(" (os error") {
                Some(i) => text[..i].to_lowercase(),
                None => text,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listen_error_is_one_sentence() {
        let e = StartError::listen(
            "http_listen",
            "0.0.0.0:8080",
            &io::Error::from(io::ErrorKind::AddrInUse),
        );
        assert_eq!(
            e.to_string(),
            "cannot listen on 0.0.0.0:8080: address already in use; choose another with --http-listen or THINGSTEAD_HTTP_LISTEN"
        );
        let e = StartError::listen(
            "mqtt_listen",
            "0.0.0.0:1883",
            &io::Error::from(io::ErrorKind::AddrInUse),
        );
        assert_eq!(
            e.to_string(),
            "cannot listen on 0.0.0.0:1883: address already in use; choose another with --mqtt-listen or THINGSTEAD_MQTT_LISTEN"
        );
    }
}
