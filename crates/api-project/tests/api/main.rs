//! Seed 003 driven over HTTP as a company's own servers would, on SQLite and
//! PostgreSQL. One module per part of the document.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod access;
mod alarms;
mod bindings;
mod control;
mod customers;
mod data;
mod devices;
