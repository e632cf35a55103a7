//! Connected publishers switched between pauses and load phases by one
//! control: each connection is one task that writes attribute reports as
//! fast as its socket takes them (QoS 0, several packets per write) or keeps
//! a window of unacknowledged reports (QoS 1).

use std::hash::{BuildHasher, RandomState};
use std::io::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio::time::MissedTickBehavior;

use super::mqtt::{self, Incoming, Reader};

const PAUSE: u8 = 0;
const QOS0: u8 = 1;
const QOS1: u8 = 2;
const QUIT: u8 = 3;

/// What every publisher does now, and what they have done.
pub struct Control {
    mode: AtomicU8,
    wake: watch::Sender<()>,
    /// PUBLISH packets written.
    pub sent: AtomicU64,
    /// PUBACKs received.
    pub acked: AtomicU64,
    /// Connections lost.
    pub lost: AtomicU64,
    /// QoS 0 reports per second per connection, in thousandths; 0 = as
    /// fast as the socket takes them.
    pace_milli: AtomicU64,
}

/// How publishers send.
#[derive(Clone, Copy)]
pub struct Shape {
    /// QoS 0 packets per write.
    pub batch: usize,
    /// Unacknowledged QoS 1 packets per connection.
    pub inflight: usize,
}

impl Control {
    pub fn new() -> Arc<Self> {
        let (wake, _) = watch::channel(());
        Arc::new(Control {
            mode: AtomicU8::new(PAUSE),
            wake,
            sent: AtomicU64::new(0),
            acked: AtomicU64::new(0),
            lost: AtomicU64::new(0),
            pace_milli: AtomicU64::new(0),
        })
    }

    fn set(&self, mode: u8) {
        self.mode.store(mode, Ordering::SeqCst);
        self.wake.send_replace(());
    }

    /// Every publisher sends at `qos` until told otherwise.
    pub fn run(&self, qos: u8) {
        self.set(if qos == 0 { QOS0 } else { QOS1 });
    }

    /// QoS 0 publishers send `per_second` reports each (0: unpaced).
    pub fn pace(&self, per_second: f64) {
        self.pace_milli
            .store((per_second * 1000.0) as u64, Ordering::SeqCst);
    }

    /// Publishers stop after the write under way (QoS 1: once their window
    /// is acknowledged).
    pub fn pause(&self) {
        self.set(PAUSE);
    }

    pub fn quit(&self) {
        self.set(QUIT);
    }

    fn mode(&self) -> u8 {
        self.mode.load(Ordering::Relaxed)
    }
}

/// The JSON attribute report number `seq`: two identifiers whose values
/// change from report to report.
pub fn report(out: &mut Vec<u8>, seq: u64) {
    let _ = write!(
        out,
        r#"{{"temperature":{}.{},"humidity":{}}}"#,
        15 + seq % 20,
        seq % 10,
        30 + seq % 50
    );
}

/// One connection's publishing task, until the control says quit or the
/// connection is lost.
pub async fn publisher(
    mut stream: TcpStream,
    mut reader: Reader,
    topic: String,
    ctl: Arc<Control>,
    shape: Shape,
) {
    let mut wake = ctl.wake.subscribe();
    let mut out = Vec::with_capacity(64 * shape.batch.max(shape.inflight).max(1));
    let mut payload = Vec::with_capacity(64);
    let mut seq = 0u64;
    let mut packet_id = 0u16;
    let result: std::io::Result<()> = async {
        loop {
            match ctl.mode() {
                QUIT => return Ok(()),
                QOS0 if ctl.pace_milli.load(Ordering::Relaxed) > 0 => {
                    // Spread the connections' ticks over the period.
                    let period = Duration::from_millis(50);
                    let offset = RandomState::new().hash_one(seq) % 50;
                    tokio::time::sleep(Duration::from_millis(offset)).await;
                    let mut tick = tokio::time::interval(period);
                    tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
                    let mut credit = 0.0f64;
                    let mut last = Instant::now();
                    while ctl.mode() == QOS0 {
                        tick.tick().await;
                        let now = Instant::now();
                        let pace = ctl.pace_milli.load(Ordering::Relaxed) as f64 / 1000.0;
                        credit += pace * now.duration_since(last).as_secs_f64();
                        last = now;
                        let n = credit as usize;
                        if n == 0 {
                            continue;
                        }
                        credit -= n as f64;
                        out.clear();
                        for _ in 0..n {
                            payload.clear();
                            seq += 1;
                            report(&mut payload, seq);
                            mqtt::publish(&mut out, &topic, &payload, 0, 0);
                        }
                        stream.write_all(&out).await?;
                        ctl.sent.fetch_add(n as u64, Ordering::Relaxed);
                    }
                }
                QOS0 => {
                    while ctl.mode() == QOS0 {
                        out.clear();
                        for _ in 0..shape.batch.max(1) {
                            payload.clear();
                            seq += 1;
                            report(&mut payload, seq);
                            mqtt::publish(&mut out, &topic, &payload, 0, 0);
                        }
                        stream.write_all(&out).await?;
                        ctl.sent
                            .fetch_add(shape.batch.max(1) as u64, Ordering::Relaxed);
                    }
                }
                QOS1 => {
                    let mut open = 0usize;
                    loop {
                        let running = ctl.mode() == QOS1;
                        if running && open < shape.inflight.max(1) {
                            out.clear();
                            let n = shape.inflight.max(1) - open;
                            for _ in 0..n {
                                payload.clear();
                                seq += 1;
                                packet_id = packet_id.checked_add(1).unwrap_or(1);
                                report(&mut payload, seq);
                                mqtt::publish(&mut out, &topic, &payload, 1, packet_id);
                            }
                            stream.write_all(&out).await?;
                            ctl.sent.fetch_add(n as u64, Ordering::Relaxed);
                            open += n;
                        }
                        if open == 0 {
                            break;
                        }
                        // Wait for one acknowledgement, then take those already here.
                        loop {
                            match tokio::time::timeout(
                                Duration::from_secs(60),
                                reader.next(&mut stream),
                            )
                            .await
                            {
                                Ok(Ok(Incoming::PubAck(_))) => {
                                    open -= 1;
                                    ctl.acked.fetch_add(1, Ordering::Relaxed);
                                }
                                Ok(Ok(_)) => {}
                                Ok(Err(e)) => return Err(e),
                                Err(_) => {
                                    return Err(std::io::Error::new(
                                        std::io::ErrorKind::TimedOut,
                                        "no PUBACK within 60 s",
                                    ));
                                }
                            }
                            if !reader.has_packet() || open == 0 {
                                break;
                            }
                        }
                    }
                }
                _ => {
                    if wake.changed().await.is_err() {
                        return Ok(());
                    }
                }
            }
        }
    }
    .await;
    if result.is_err() {
        ctl.lost.fetch_add(1, Ordering::Relaxed);
    }
    let _ = stream.write_all(&mqtt::DISCONNECT).await;
}
