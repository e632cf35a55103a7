//! Handlers: parse the params, call one [`thingstead_core::Living`]
//! method, map the result.

pub mod bindings;
pub mod push;
pub mod scenes;
pub mod sharing;

/// The tag of this dialect in the OpenAPI document.
pub const TAG: &str = "002 living";
