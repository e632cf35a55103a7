//! Request and response bodies of device types, groups, devices and their
//! extend infos, field names as seed 003 has them. Ids are strings, times
//! unix milliseconds.

mod devices;
mod groups;
mod infos;
mod types;

pub use devices::*;
pub use groups::*;
pub use infos::*;
pub use types::*;

use serde::Serialize;
use utoipa::ToSchema;

/// `{items: [...]}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Items<T> {
    pub items: Vec<T>,
}

impl<T> Items<T> {
    /// Wraps a list.
    pub fn new(items: Vec<T>) -> Self {
        Items { items }
    }
}

/// A time as the document shows it: unix milliseconds.
pub fn millis(t: thingstead_core::Time) -> i64 {
    t.timestamp_millis()
}

/// An empty `info` object.
#[derive(Debug, Serialize, ToSchema)]
pub struct Empty {}
