//! Just enough MQTT 3.1.1 for a load generator: CONNECT, PUBLISH,
//! SUBSCRIBE, PINGREQ and DISCONNECT encoded by hand, and a reader that
//! recognises what a broker sends back. A connection costs a socket and a
//! small read buffer, nothing more.

use std::io;

use tokio::io::{AsyncRead, AsyncReadExt};

/// What the broker sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Incoming {
    /// CONNACK with its return code (0 = accepted).
    ConnAck(u8),
    PubAck(u16),
    SubAck(u16),
    Publish,
    PingResp,
    Other(u8),
}

fn put_len(out: &mut Vec<u8>, mut len: usize) {
    loop {
        let mut byte = (len % 128) as u8;
        len /= 128;
        if len > 0 {
            byte |= 0x80;
        }
        out.push(byte);
        if len == 0 {
            break;
        }
    }
}

fn put_str(out: &mut Vec<u8>, s: &[u8]) {
    out.extend_from_slice(&(s.len() as u16).to_be_bytes());
    out.extend_from_slice(s);
}

/// CONNECT, MQTT 3.1.1, clean session; user name and password when given.
pub fn connect(client_id: &str, auth: Option<(&str, &str)>, keep_alive: u16) -> Vec<u8> {
    let mut body = Vec::with_capacity(64);
    put_str(&mut body, b"MQTT");
    body.push(4);
    let mut flags = 0x02;
    if auth.is_some() {
        flags |= 0x80 | 0x40;
    }
    body.push(flags);
    body.extend_from_slice(&keep_alive.to_be_bytes());
    put_str(&mut body, client_id.as_bytes());
    if let Some((user, password)) = auth {
        put_str(&mut body, user.as_bytes());
        put_str(&mut body, password.as_bytes());
    }
    let mut out = Vec::with_capacity(body.len() + 5);
    out.push(0x10);
    put_len(&mut out, body.len());
    out.extend_from_slice(&body);
    out
}

/// Appends a PUBLISH to `out`; `packet_id` is used at QoS 1 only.
pub fn publish(out: &mut Vec<u8>, topic: &str, payload: &[u8], qos: u8, packet_id: u16) {
    let id_len = if qos > 0 { 2 } else { 0 };
    out.push(0x30 | (qos << 1));
    put_len(out, 2 + topic.len() + id_len + payload.len());
    put_str(out, topic.as_bytes());
    if qos > 0 {
        out.extend_from_slice(&packet_id.to_be_bytes());
    }
    out.extend_from_slice(payload);
}

/// SUBSCRIBE to one filter.
pub fn subscribe(filter: &str, qos: u8, packet_id: u16) -> Vec<u8> {
    let mut out = Vec::with_capacity(filter.len() + 10);
    out.push(0x82);
    put_len(&mut out, 2 + 2 + filter.len() + 1);
    out.extend_from_slice(&packet_id.to_be_bytes());
    put_str(&mut out, filter.as_bytes());
    out.push(qos);
    out
}

pub const PINGREQ: [u8; 2] = [0xC0, 0x00];
pub const DISCONNECT: [u8; 2] = [0xE0, 0x00];

/// `(packet type and flags, fixed header length, remaining length)` of the
/// packet at the start of `buf`, once its fixed header is complete.
pub fn fixed_header(buf: &[u8]) -> io::Result<Option<(u8, usize, usize)>> {
    let Some(&first) = buf.first() else {
        return Ok(None);
    };
    let mut len = 0usize;
    for i in 0..4 {
        let Some(&b) = buf.get(1 + i) else {
            return Ok(None);
        };
        len |= usize::from(b & 0x7F) << (7 * i);
        if b & 0x80 == 0 {
            return Ok(Some((first, 2 + i, len)));
        }
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidData,
        "malformed remaining length",
    ))
}

/// Reads packets from a byte stream into a buffer it reuses.
pub struct Reader {
    buf: Vec<u8>,
    start: usize,
    end: usize,
}

impl Reader {
    pub fn new(capacity: usize) -> Self {
        Reader {
            buf: vec![0; capacity],
            start: 0,
            end: 0,
        }
    }

    /// Whether a whole packet is already buffered.
    pub fn has_packet(&self) -> bool {
        matches!(
            fixed_header(&self.buf[self.start..self.end]),
            Ok(Some((_, h, len))) if self.end - self.start >= h + len
        )
    }

    /// The next packet; an error when the stream ends or is malformed.
    pub async fn next<R: AsyncRead + Unpin>(&mut self, io: &mut R) -> io::Result<Incoming> {
        let (first, h, len) = self.fill(io).await?;
        let packet = self.classify(first, h, len);
        self.consume(h + len);
        Ok(packet)
    }

    /// The next packet with a copy of its body (after the fixed header).
    pub async fn next_with_body<R: AsyncRead + Unpin>(
        &mut self,
        io: &mut R,
    ) -> io::Result<(Incoming, u8, Vec<u8>)> {
        let (first, h, len) = self.fill(io).await?;
        let packet = self.classify(first, h, len);
        let body = self.buf[self.start + h..self.start + h + len].to_vec();
        self.consume(h + len);
        Ok((packet, first, body))
    }

    fn classify(&self, first: u8, h: usize, len: usize) -> Incoming {
        let body = &self.buf[self.start + h..self.start + h + len];
        let id = || {
            body.get(..2)
                .map_or(0, |b| u16::from_be_bytes([b[0], b[1]]))
        };
        match first >> 4 {
            2 => Incoming::ConnAck(body.get(1).copied().unwrap_or(0xFF)),
            3 => Incoming::Publish,
            4 => Incoming::PubAck(id()),
            9 => Incoming::SubAck(id()),
            13 => Incoming::PingResp,
            t => Incoming::Other(t),
        }
    }

    fn consume(&mut self, n: usize) {
        self.start += n;
        if self.start == self.end {
            self.start = 0;
            self.end = 0;
        }
    }

    /// Reads until a whole packet is buffered at `start`: its first byte,
    /// fixed header length and remaining length.
    async fn fill<R: AsyncRead + Unpin>(&mut self, io: &mut R) -> io::Result<(u8, usize, usize)> {
        loop {
            let avail = &self.buf[self.start..self.end];
            if let Some((first, h, len)) = fixed_header(avail)? {
                if avail.len() >= h + len {
                    return Ok((first, h, len));
                }
                if h + len > self.buf.len() {
                    // Larger than the buffer: grow it for this packet.
                    self.buf.resize(h + len, 0);
                }
            }
            if self.end == self.buf.len() {
                self.buf.copy_within(self.start..self.end, 0);
                self.end -= self.start;
                self.start = 0;
            }
            let n = io.read(&mut self.buf[self.end..]).await?;
            if n == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the broker closed the connection",
                ));
            }
            self.end += n;
        }
    }
}

/// Topic and payload of a PUBLISH body; `first` is its first header byte.
pub fn publish_parts(first: u8, body: &[u8]) -> Option<(&str, &[u8])> {
    let topic_len = usize::from(u16::from_be_bytes([*body.first()?, *body.get(1)?]));
    let topic = std::str::from_utf8(body.get(2..2 + topic_len)?).ok()?;
    let qos = (first >> 1) & 0x03;
    let rest = 2 + topic_len + if qos > 0 { 2 } else { 0 };
    Some((topic, body.get(rest..)?))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn remaining_length_round_trips() {
        for len in [0usize, 1, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152] {
            let mut out = vec![0x30];
            put_len(&mut out, len);
            assert_eq!(fixed_header(&out).unwrap(), Some((0x30, out.len(), len)));
        }
    }

    #[test]
    fn connect_matches_the_specification_example() {
        let p = connect("c", Some(("u", "p")), 60);
        assert_eq!(
            p,
            [
                0x10, 19, 0, 4, b'M', b'Q', b'T', b'T', 4, 0xC2, 0, 60, 0, 1, b'c', 0, 1, b'u', 0,
                1, b'p'
            ]
        );
    }

    #[tokio::test]
    async fn reader_splits_a_stream_of_packets() {
        let mut stream: Vec<u8> = vec![0x20, 2, 0, 0, 0x40, 2, 0x12, 0x34];
        publish(&mut stream, "a/b", &[7; 300], 0, 0);
        stream.extend_from_slice(&[0xD0, 0]);
        let mut r = Reader::new(16);
        let mut io = stream.as_slice();
        assert_eq!(r.next(&mut io).await.unwrap(), Incoming::ConnAck(0));
        assert_eq!(r.next(&mut io).await.unwrap(), Incoming::PubAck(0x1234));
        assert_eq!(r.next(&mut io).await.unwrap(), Incoming::Publish);
        assert_eq!(r.next(&mut io).await.unwrap(), Incoming::PingResp);
        assert!(r.next(&mut io).await.is_err());
    }
}
