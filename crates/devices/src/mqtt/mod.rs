//! The MQTT endpoint: one task per connection, version detection, CONNECT
//! with the device certificate, then the device's publishes, subscriptions
//! and downlinks until it leaves, goes silent, is taken over or the server
//! stops.

pub mod codec;
mod connection;
pub(crate) mod handshake;
pub(crate) mod session;
pub mod subdevices;
pub mod topics;
pub mod uplink;

use std::net::SocketAddr;
use std::sync::Arc;

use bytes::BytesMut;
use futures::SinkExt as _;
use rmqtt_codec::{MqttCodec, MqttPacket};
use tokio::net::TcpStream;
use tokio_util::codec::Framed;

use crate::gateway::Shared;

/// Initial size of each connection's read and write buffers; they are
/// shrunk back to it after a larger packet.
pub const BUFFER: usize = 512;
/// A write that cannot finish in this time ends the connection.
const WRITE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

pub(crate) type Transport = Framed<TcpStream, MqttCodec>;

/// Serves one accepted connection to its end.
pub(crate) async fn serve(stream: TcpStream, peer: SocketAddr, shared: Arc<Shared>) {
    let framed = Framed::with_capacity(stream, codec::detecting(), BUFFER);
    if let Some(conn) = Box::pin(handshake::handshake(framed, peer, &shared)).await {
        connection::run(conn, &shared).await;
    }
}

/// Writes and flushes one packet. `Err`: the connection is gone (or its
/// peer stopped reading).
pub(crate) async fn send(framed: &mut Transport, packet: MqttPacket) -> Result<(), ()> {
    match tokio::time::timeout(WRITE_TIMEOUT, framed.send(packet)).await {
        Ok(Ok(())) => Ok(()),
        _ => Err(()),
    }
}

/// Gives back the memory of a large inbound packet: the read buffer
/// (which grew to hold it, and may share its allocation) is replaced by a
/// fresh small one holding what is left.
pub(crate) fn shrink_read(framed: &mut Transport) {
    let buf = framed.read_buffer_mut();
    let mut small = BytesMut::with_capacity(BUFFER.max(buf.len()));
    small.extend_from_slice(buf);
    *buf = small;
}

/// The same for the write buffer after a large downlink (or the CONNACK:
/// the write buffer starts larger than [`BUFFER`]).
pub(crate) fn shrink_write(framed: &mut Transport) {
    let buf = framed.write_buffer_mut();
    if buf.is_empty() && buf.capacity() > BUFFER * 2 {
        *buf = BytesMut::with_capacity(BUFFER);
    }
}
