//! Argon2id password hashing, off the async runtime and bounded in number,
//! so that a flood of logins cannot stall other requests.

use std::sync::Arc;

use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _, phc::PasswordHash};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

use crate::error::{DomainError, Result};

/// Hashes and verifies passwords on blocking threads, at most `limit` at once.
#[derive(Clone)]
pub struct PasswordHasher {
    params: Params,
    permits: Arc<Semaphore>,
    /// A hash of a random password, verified against when an account does not
    /// exist so that the answer takes as long as for one that does.
    dummy: Arc<str>,
}

impl PasswordHasher {
    /// `memory_kib`, `iterations`, `parallelism` are Argon2id's m, t, p.
    pub fn new(memory_kib: u32, iterations: u32, parallelism: u32, limit: usize) -> Result<Self> {
        let params = Params::new(memory_kib, iterations, parallelism, Some(32)).map_err(|e| {
            tracing::error!(error = %e, "bad Argon2 parameters");
            DomainError::Internal
        })?;
        let hasher = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
        let dummy = hasher
            .hash_password(crate::secret::alphanumeric(24).as_bytes())
            .map_err(|_| DomainError::Internal)?
            .to_string();
        Ok(PasswordHasher {
            params,
            permits: Arc::new(Semaphore::new(limit.max(1))),
            dummy: dummy.into(),
        })
    }

    fn argon2(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    /// Hashes `password` into a PHC string with a fresh salt.
    pub async fn hash(&self, password: &str) -> Result<String> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| DomainError::Internal)?;
        let argon2 = self.argon2();
        let password = password.to_owned();
        tokio::task::spawn_blocking(move || {
            argon2
                .hash_password(password.as_bytes())
                .map(|h| h.to_string())
                .map_err(|_| DomainError::Internal)
        })
        .await
        .map_err(|_| DomainError::Internal)?
    }

    /// True when `password` matches `hash`. With `hash` `None` it verifies
    /// against a dummy and answers false, taking the same time.
    pub async fn verify(&self, password: &str, hash: Option<&str>) -> Result<bool> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| DomainError::Internal)?;
        let argon2 = self.argon2();
        let known = hash.is_some();
        let hash = hash.unwrap_or(&self.dummy).to_owned();
        let password = password.to_owned();
        let ok = tokio::task::spawn_blocking(move || {
            PasswordHash::new(&hash)
                .map(|parsed| argon2.verify_password(password.as_bytes(), &parsed).is_ok())
                .unwrap_or(false)
        })
        .await
        .map_err(|_| DomainError::Internal)?;
        Ok(ok && known)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_and_verify() {
        let h = PasswordHasher::new(19456, 2, 1, 2).unwrap();
        let hash = h.hash("secret-pass").await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(h.verify("secret-pass", Some(&hash)).await.unwrap());
        assert!(!h.verify("wrong-pass", Some(&hash)).await.unwrap());
        assert!(!h.verify("secret-pass", None).await.unwrap());
    }
}
