//! The credentials of a database's first start: printed once, kept in a
//! file only the owner can read.

use std::io::Write as _;
use std::path::Path;

use thingstead_core::bootstrap::InitialCredentials;

use crate::error::StartError;

/// Prints the first start's credentials once and keeps them in a file only
/// the owner can read.
pub(crate) fn announce(creds: &InitialCredentials, path: &Path) -> Result<(), StartError> {
    let json = serde_json::to_string_pretty(creds)
        .map_err(|e| StartError::Config(format!("cannot write the initial credentials: {e}")))?;
    write_private(path, &json).map_err(|e| StartError::data_dir(path, &e))?;
    tracing::info!(
        file = %path.display(),
        "first start: created the default project, its admin and apps; the credentials are printed once on stdout and kept in the file"
    );
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{json}");
    let _ = out.flush();
    Ok(())
}

/// Writes `contents` to a new file with mode 0600. A file left by an earlier
/// database is replaced: its credentials no longer work.
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt as _;
    match std::fs::remove_file(path) {
        Ok(()) => {
            tracing::warn!(file = %path.display(), "replaced credentials left by an earlier database")
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(contents.as_bytes())?;
    file.write_all(b"\n")?;
    file.sync_all()
}
