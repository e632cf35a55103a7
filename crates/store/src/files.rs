//! Uploaded files on the local disk: [`FileStore`].

use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use async_trait::async_trait;
use thingstead_core::StoreError;
use thingstead_core::store::{FileStore, StoreResult};
use tokio::io::AsyncWriteExt;

/// Tells apart the temporary files of concurrent writes in one process.
static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Files kept under a root directory, as `<root>/<module>/<name>`.
#[derive(Debug, Clone)]
pub struct LocalFiles {
    root: PathBuf,
}

impl LocalFiles {
    /// Files under `root`; the directory is created on the first write.
    pub fn new(root: PathBuf) -> Self {
        LocalFiles { root }
    }

    /// The path of `module/name`, or `None` when either part could leave
    /// its directory.
    fn path(&self, module: &str, name: &str) -> Option<PathBuf> {
        (is_plain(module) && is_plain(name)).then(|| self.root.join(module).join(name))
    }
}

/// One path component that is not empty, hidden, `.`/`..` or a separator.
fn is_plain(part: &str) -> bool {
    !part.is_empty() && !part.starts_with('.') && !part.contains(['/', '\\', '\0'])
}

fn io_err(what: &str, path: &Path, e: std::io::Error) -> StoreError {
    StoreError::Backend(format!("{what} {}: {e}", path.display()))
}

#[async_trait]
impl FileStore for LocalFiles {
    async fn put(&self, module: &str, name: &str, bytes: &[u8]) -> StoreResult<()> {
        let path = self
            .path(module, name)
            .ok_or_else(|| StoreError::Backend(format!("invalid file name: {module}/{name}")))?;
        let dir = self.root.join(module);
        tokio::fs::create_dir_all(&dir)
            .await
            .map_err(|e| io_err("creating", &dir, e))?;
        // Written beside its final name, then renamed: a reader sees the
        // whole file or none.
        let temp = dir.join(format!(
            ".{name}.{}.{}.tmp",
            std::process::id(),
            TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let written = async {
            let mut file = tokio::fs::File::create(&temp).await?;
            file.write_all(bytes).await?;
            file.sync_all().await?;
            tokio::fs::rename(&temp, &path).await
        }
        .await;
        if let Err(e) = written {
            // Best effort: the write already failed.
            let _ = tokio::fs::remove_file(&temp).await;
            return Err(io_err("writing", &path, e));
        }
        Ok(())
    }

    async fn get(&self, module: &str, name: &str) -> StoreResult<Option<Vec<u8>>> {
        let Some(path) = self.path(module, name) else {
            return Ok(None);
        };
        match tokio::fs::read(&path).await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_err("reading", &path, e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn put_then_get() -> StoreResult<()> {
        let root =
            std::env::temp_dir().join(format!("ts_files_{}_{}", std::process::id(), line!()));
        let files = LocalFiles::new(root.clone());
        assert!(files.get("head", "a.png").await?.is_none());
        files.put("head", "a.png", b"one").await?;
        files.put("head", "a.png", b"two").await?;
        assert_eq!(
            files.get("head", "a.png").await?.as_deref(),
            Some(&b"two"[..])
        );
        assert!(files.put("..", "a.png", b"x").await.is_err());
        assert!(files.put("head", "../a.png", b"x").await.is_err());
        assert!(files.get("head", "..").await?.is_none());
        let _ = std::fs::remove_dir_all(root);
        Ok(())
    }
}
