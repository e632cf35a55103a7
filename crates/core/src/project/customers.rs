//! (being written)

use async_trait::async_trait;

/// What this part of the project API needs from the database.
#[async_trait]
pub trait CustomerStore: Send + Sync {}
