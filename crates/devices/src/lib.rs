//! The device gateway: device connections (MQTT, raw TCP) and the
//! in-process [`LocalBus`] that carries the project API's downlinks to
//! them.

pub mod bus;

pub use bus::LocalBus;
