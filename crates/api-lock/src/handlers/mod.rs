//! Seed 001 handlers.

pub mod codes;
pub mod files;
pub mod login;
pub mod terminals;
pub mod user;
