//! (being written)

use async_trait::async_trait;

/// What this part of the project API needs from the database.
#[async_trait]
pub trait AccessStore: Send + Sync {}

impl super::Projects {
    /// The caller a project access token names.
    pub async fn authenticate(&self, _token: &str) -> crate::error::Result<super::Caller> {
        Err(crate::DomainError::Unauthenticated)
    }
}
