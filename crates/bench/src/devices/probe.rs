//! Publish → visible: a probe device publishes a value no one has sent
//! before at QoS 1 and polls `GET /api/v1/device/<id>/attributes` until the
//! value is there; the time from the PUBLISH leaving to the first answer
//! that shows it is one sample. Its PUBACK time is sampled alongside.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::sync::mpsc;

use super::mqtt::{self, Incoming, Reader};
use super::provision::{Api, Device};

/// Samples of all probes, in the windows when `on` was set.
#[derive(Default)]
pub struct Probes {
    pub on: AtomicBool,
    pub quit: AtomicBool,
    samples: Mutex<Samples>,
}

#[derive(Default, Clone)]
pub struct Samples {
    pub visible: Vec<Duration>,
    pub acked: Vec<Duration>,
    /// Values not seen through the API within 5 s.
    pub missed: u64,
}

impl Probes {
    /// The samples so far, leaving none behind.
    pub fn take(&self) -> Samples {
        self.samples
            .lock()
            .map(|mut s| std::mem::take(&mut *s))
            .unwrap_or_default()
    }
}

/// Percentile `p` (0..1) in milliseconds.
pub fn percentile(samples: &mut [Duration], p: f64) -> f64 {
    samples.sort();
    samples
        .get(((samples.len() as f64 * p) as usize).min(samples.len().saturating_sub(1)))
        .map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
}

/// One probe device's loop on its own connection.
pub async fn run(
    stream: TcpStream,
    mut reader: Reader,
    device: Device,
    api: Api,
    probes: Arc<Probes>,
    nonce: u64,
) {
    let (mut rd, mut wr) = stream.into_split();
    let (acks_tx, mut acks) = mpsc::unbounded_channel::<(u16, Instant)>();
    let acks_task = tokio::spawn(async move {
        while let Ok(p) = reader.next(&mut rd).await {
            if let Incoming::PubAck(id) = p
                && acks_tx.send((id, Instant::now())).is_err()
            {
                break;
            }
        }
    });
    let mut packet_id = 0u16;
    let mut seq = 0u64;
    let mut out = Vec::with_capacity(96);
    while !probes.quit.load(Ordering::Relaxed) {
        if !probes.on.load(Ordering::Relaxed) {
            tokio::time::sleep(Duration::from_millis(20)).await;
            continue;
        }
        seq += 1;
        packet_id = packet_id.checked_add(1).unwrap_or(1);
        let value = nonce * 1_000_000 + seq;
        out.clear();
        mqtt::publish(
            &mut out,
            "attributes",
            format!(r#"{{"probe":{value}}}"#).as_bytes(),
            1,
            packet_id,
        );
        let sent = Instant::now();
        if wr.write_all(&out).await.is_err() {
            break;
        }
        let mut visible = None;
        while sent.elapsed() < Duration::from_secs(5) {
            if let Ok(info) = api.attributes(&device.id).await
                && shows(&info, value)
            {
                visible = Some(sent.elapsed());
                break;
            }
            // A poll a millisecond: the probes must not load the server
            // they measure.
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        let acked = loop {
            match tokio::time::timeout(Duration::from_secs(5), acks.recv()).await {
                Ok(Some((id, at))) if id == packet_id => break Some(at.duration_since(sent)),
                Ok(Some(_)) => continue,
                _ => break None,
            }
        };
        if let Ok(mut s) = probes.samples.lock() {
            match visible {
                Some(v) => s.visible.push(v),
                None => s.missed += 1,
            }
            if let Some(a) = acked {
                s.acked.push(a);
            }
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    acks_task.abort();
}

/// Whether the attributes list holds `probe` = `value`.
fn shows(info: &Value, value: u64) -> bool {
    info.as_array().is_some_and(|attrs| {
        attrs
            .iter()
            .any(|a| a["identifier"] == "probe" && a["value"].as_f64() == Some(value as f64))
    })
}
