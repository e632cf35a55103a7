//! The device gateway: device connections (MQTT, raw TCP) and the
//! in-process [`LocalBus`] that carries the project API's downlinks to
//! them. The wire protocol is described in `docs/device-protocol.md`.

pub mod bus;
pub mod cluster;
mod gateway;
pub mod mqtt;
pub mod tcp;

pub use bus::{BusChange, Link, LocalBus};
pub use gateway::{DEFAULT_MAX_PACKET_SIZE, Gateway, GatewayConfig, LOG_EVERY};
#[doc(hidden)]
pub use mqtt::codec::fuzz_decode;
