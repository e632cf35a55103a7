//! Seed 000 handlers.

pub mod account;
pub mod events;
pub mod profile;
