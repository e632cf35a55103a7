//! Opening MQTT connections from several loopback source addresses, so that
//! one address's ephemeral ports do not cap the connection count.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpSocket, TcpStream};
use tokio::sync::Semaphore;

use super::mqtt::{self, Incoming, Reader};

/// Where connections go and where they come from.
#[derive(Clone)]
pub struct Target {
    pub broker: SocketAddr,
    /// Source addresses 127.0.0.1 ..= 127.0.0.<sources> are used in turn.
    pub sources: u8,
    /// Connection attempts under way at once.
    pub gate: Arc<Semaphore>,
}

impl Target {
    pub fn new(broker: SocketAddr, sources: u8, concurrent_connects: usize) -> Self {
        Target {
            broker,
            sources: sources.max(1),
            gate: Arc::new(Semaphore::new(concurrent_connects.max(1))),
        }
    }

    /// A TCP connection from the `n`-th source address.
    pub async fn tcp(&self, n: usize) -> Result<TcpStream> {
        let socket = TcpSocket::new_v4()?;
        let source = Ipv4Addr::new(127, 0, 0, 1 + (n % usize::from(self.sources)) as u8);
        socket
            .bind(SocketAddr::new(IpAddr::V4(source), 0))
            .with_context(|| format!("binding to {source}"))?;
        let stream = socket
            .connect(self.broker)
            .await
            .with_context(|| format!("connecting to {} from {source}", self.broker))?;
        stream.set_nodelay(true)?;
        Ok(stream)
    }

    /// An MQTT session: TCP connect, CONNECT, and an accepting CONNACK.
    /// Retries a few times when the listener's backlog overflows.
    pub async fn mqtt(
        &self,
        n: usize,
        client_id: &str,
        auth: Option<(&str, &str)>,
        keep_alive: u16,
    ) -> Result<(TcpStream, Reader)> {
        let _permit = self.gate.acquire().await?;
        let mut last = None;
        for attempt in 0..5u64 {
            if attempt > 0 {
                tokio::time::sleep(Duration::from_millis(200 * attempt)).await;
            }
            match self.handshake(n, client_id, auth, keep_alive).await {
                Ok(done) => return Ok(done),
                Err(e) if e.downcast_ref::<Refused>().is_some() => return Err(e),
                Err(e) => last = Some(e),
            }
        }
        Err(last.unwrap_or_else(|| anyhow::anyhow!("no attempt was made")))
    }

    async fn handshake(
        &self,
        n: usize,
        client_id: &str,
        auth: Option<(&str, &str)>,
        keep_alive: u16,
    ) -> Result<(TcpStream, Reader)> {
        let mut stream = self.tcp(n).await?;
        stream
            .write_all(&mqtt::connect(client_id, auth, keep_alive))
            .await?;
        let mut reader = Reader::new(64);
        let answer = tokio::time::timeout(Duration::from_secs(30), reader.next(&mut stream))
            .await
            .context("no CONNACK within 30 s")??;
        match answer {
            Incoming::ConnAck(0) => Ok((stream, reader)),
            Incoming::ConnAck(code) => Err(Refused(code).into()),
            other => bail!("expected CONNACK, got {other:?}"),
        }
    }
}

/// The broker refused the CONNECT with this return code.
#[derive(Debug)]
pub struct Refused(pub u8);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CONNACK return code {}", self.0)
    }
}

impl std::error::Error for Refused {}
