//! Seed 003 handlers, one module per part of the document.

pub mod access;
pub mod alarms;
pub mod bindings;
pub mod control;
pub mod customers;
pub mod data;
pub mod devices;
pub mod gateways;
