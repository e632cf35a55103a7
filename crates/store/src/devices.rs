//! (being written)

use async_trait::async_trait;
use thingstead_core::project::devices::DeviceStore;

use crate::Db;

#[async_trait]
impl DeviceStore for Db {}
