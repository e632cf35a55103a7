//! (being written)

use async_trait::async_trait;
use thingstead_core::project::customers::CustomerStore;

use crate::Db;

#[async_trait]
impl CustomerStore for Db {}
