//! Seed 000 handlers.

pub mod account;
pub mod profile;
