//! (being written)

use async_trait::async_trait;
use thingstead_core::project::access::AccessStore;

use crate::Db;

#[async_trait]
impl AccessStore for Db {}
