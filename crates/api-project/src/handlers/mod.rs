//! Seed 003 handlers, one module per part of the document.

pub mod access;
pub mod bindings;
pub mod customers;
pub mod devices;
