//! The raw TCP endpoint for custom data streams. The device's first packet
//! is `<ProjectKey>&<AccessToken>` (up to a newline, or the whole first
//! read); every later read is one frame on the data stream `stream`.
//! `push_mode=tcp` downlinks are written to the socket as they are. A
//! connection silent for the idle timeout is closed.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use thingstead_core::telemetry::{
    ConnectedDevice, Downlink, PushMode, ReportBody, ReportError, Transport as Kind,
};
use tokio::io::AsyncWriteExt as _;
use tokio::net::TcpStream;
use tokio::time::Instant;

use crate::bus::Link;
use crate::gateway::Shared;
use crate::mqtt::handshake::token_hint;

/// The data stream TCP frames are reported on.
pub const STREAM: &str = "stream";
/// The largest frame: a read returns at most this many bytes.
pub const MAX_FRAME: usize = 4096;
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

/// One read of what is waiting on the socket, in its own allocation.
/// `Ok(None)`: the peer closed the connection.
fn try_read_frame(stream: &TcpStream) -> io::Result<Option<Bytes>> {
    let mut buf = [0u8; MAX_FRAME];
    match stream.try_read(&mut buf)? {
        0 => Ok(None),
        n => Ok(Some(Bytes::copy_from_slice(&buf[..n]))),
    }
}

async fn read_frame(stream: &TcpStream) -> io::Result<Option<Bytes>> {
    loop {
        stream.readable().await?;
        match try_read_frame(stream) {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
            other => return other,
        }
    }
}

/// Splits the first packet into the credentials line and the data after a
/// newline, if any.
fn credentials(first: &Bytes) -> (Option<(&str, &str)>, Bytes) {
    let (line, rest) = match first.iter().position(|b| *b == b'\n') {
        Some(i) => (&first[..i], first.slice(i + 1..)),
        None => (&first[..], Bytes::new()),
    };
    let parsed = std::str::from_utf8(line)
        .ok()
        .map(str::trim)
        .and_then(|l| l.split_once('&'))
        .filter(|(key, token)| !key.is_empty() && !token.is_empty());
    (parsed, rest)
}

pub(crate) async fn serve(mut stream: TcpStream, peer: SocketAddr, shared: Arc<Shared>) {
    let first = match tokio::time::timeout(shared.config.connect_timeout, read_frame(&stream)).await
    {
        Ok(Ok(Some(first))) => first,
        _ => return,
    };
    let (parsed, rest) = credentials(&first);
    let Some((project_key, token)) = parsed else {
        tracing::info!(%peer, "TCP connection refused: the first packet is not <ProjectKey>&<AccessToken>");
        return;
    };
    let device = match shared.telemetry.authenticate(token, project_key).await {
        Ok(Some(device)) => device,
        Ok(None) => {
            tracing::info!(%peer, token = %token_hint(token), "TCP connection refused: bad credentials");
            return;
        }
        Err(e) => {
            tracing::warn!(%peer, error = %e, "TCP connection refused: cannot check the certificate");
            return;
        }
    };
    drop(first);
    let mut registration = shared.bus.register(device.device, Link::Tcp);
    if let Err(e) = shared.telemetry.connected(&device, Kind::Tcp).await {
        tracing::warn!(device = device.device, error = %e, "cannot record a device connection");
    }
    if !rest.is_empty() {
        Box::pin(report(&shared, &device, rest)).await;
    }

    let idle = tokio::time::sleep(shared.config.tcp_idle_timeout);
    tokio::pin!(idle);
    loop {
        tokio::select! {
            biased;
            () = shared.stop.cancelled() => break,
            downlink = registration.downlinks.recv() => match downlink.map(|b| *b) {
                Some(Downlink::Data { payload, mode: PushMode::Tcp, .. }) => {
                    let written = tokio::time::timeout(WRITE_TIMEOUT, stream.write_all(&payload)).await;
                    if !matches!(written, Ok(Ok(()))) {
                        break;
                    }
                }
                Some(_) => {}
                // Taken over by a newer TCP connection of the device.
                None => break,
            },
            frame = read_frame(&stream) => match frame {
                Ok(Some(frame)) => {
                    idle.as_mut().reset(Instant::now() + shared.config.tcp_idle_timeout);
                    Box::pin(report(&shared, &device, frame)).await;
                }
                _ => break,
            },
            () = &mut idle => break,
        }
    }
    let _ = stream.shutdown().await;
    drop(stream);
    if shared
        .bus
        .unregister(device.device, registration.generation)
        && let Err(e) = shared.telemetry.disconnected(&device, Kind::Tcp).await
    {
        tracing::warn!(device = device.device, error = %e, "cannot record a device disconnect");
    }
}

async fn report(shared: &Shared, device: &ConnectedDevice, payload: Bytes) {
    let body = ReportBody::Data {
        identifier: STREAM.to_owned(),
        payload,
    };
    match shared.telemetry.report(device, body, false).await {
        Ok(()) => {}
        Err(ReportError::Invalid(reason)) => shared.refused(device.device, "tcp", &reason),
        Err(ReportError::Unavailable) => {
            shared.refused(device.device, "tcp", "the store is not available")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_packet_holds_the_credentials() {
        let (c, rest) = credentials(&Bytes::from_static(b"pk&tok"));
        assert_eq!(c, Some(("pk", "tok")));
        assert!(rest.is_empty());
        let (c, rest) = credentials(&Bytes::from_static(b"pk&tok\r\nhello"));
        assert_eq!(c, Some(("pk", "tok")));
        assert_eq!(rest.as_ref(), b"hello");
        assert_eq!(credentials(&Bytes::from_static(b"pktok")).0, None);
        assert_eq!(credentials(&Bytes::from_static(b"&tok")).0, None);
        assert_eq!(credentials(&Bytes::from_static(b"\xff&tok")).0, None);
    }
}
