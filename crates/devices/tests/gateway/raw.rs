//! A raw MQTT 3.1.1 socket: it sends exactly what a test says (a silent
//! device, a malformed or oversized packet) and tells when the server
//! closes the connection.

use std::net::SocketAddr;
use std::time::Duration;

use bytes::BytesMut;
use rmqtt_codec::v3;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;
use tokio_util::codec::Encoder as _;

pub struct Raw {
    pub stream: TcpStream,
}

impl Raw {
    /// Connects with `keep_alive` seconds and reads the CONNACK; its return
    /// code.
    pub async fn connect(
        addr: SocketAddr,
        user: &str,
        password: &str,
        keep_alive: u16,
    ) -> (Raw, u8) {
        let connect = v3::Connect {
            clean_session: true,
            keep_alive,
            client_id: "raw".into(),
            username: Some(user.into()),
            password: Some(password.to_owned().into()),
            ..v3::Connect::default()
        };
        let mut buf = BytesMut::new();
        v3::Codec::new(0)
            .encode(v3::Packet::Connect(Box::new(connect)), &mut buf)
            .unwrap();
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream.write_all(&buf).await.unwrap();
        let mut connack = [0u8; 4];
        tokio::time::timeout(crate::SOON, stream.read_exact(&mut connack))
            .await
            .expect("CONNACK in time")
            .unwrap();
        assert_eq!(connack[..2], [0x20, 0x02], "a CONNACK");
        (Raw { stream }, connack[3])
    }

    pub async fn send(&mut self, bytes: &[u8]) {
        // The server may already have closed: that is for the test to see.
        let _ = self.stream.write_all(bytes).await;
    }

    /// Whether the server closes the connection within `within` (reading
    /// and discarding whatever it sends first).
    pub async fn closed_within(&mut self, within: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + within;
        let mut buf = [0u8; 1024];
        loop {
            match tokio::time::timeout_at(deadline, self.stream.read(&mut buf)).await {
                Err(_) => return false,
                Ok(Ok(0)) | Ok(Err(_)) => return true,
                Ok(Ok(_)) => continue,
            }
        }
    }
}
