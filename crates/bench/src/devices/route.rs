//! `mosquitto-route`: the reference figure. Publishers send the same
//! attribute reports to a broker that routes them to one subscriber; the
//! figure is what the subscriber receives per second. Topics live under a
//! prefix unique to the run, so that other users of the broker see nothing.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use tokio::io::AsyncWriteExt;

use super::conn::Target;
use super::fleet::{self, Control, Shape};
use super::mqtt::{self, Incoming, Reader};
use super::result;

#[derive(clap::Args)]
pub struct RouteArgs {
    /// The broker, which must accept anonymous clients.
    #[arg(long, default_value = "127.0.0.1:1883")]
    broker: SocketAddr,
    /// Publishing clients.
    #[arg(long, default_value_t = 1000)]
    publishers: usize,
    /// QoS levels of the publishers, one after the other, e.g. 0,1.
    #[arg(long, value_delimiter = ',', default_value = "0")]
    qos: Vec<u8>,
    /// Seconds measured at QoS 1, and per step of the QoS 0 search.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// QoS 0: the first offered rate (messages/s, all publishers together).
    #[arg(long, default_value_t = 10_000.0)]
    start_rate: f64,
    /// QoS 0: each step offers this many times the previous rate.
    #[arg(long, default_value_t = 1.25)]
    step: f64,
    /// QoS 0: the largest share of messages that may be lost at a step
    /// that counts.
    #[arg(long, default_value_t = 0.01)]
    max_loss: f64,
    /// Seconds of load before the measured window.
    #[arg(long, default_value_t = 3)]
    warmup: u64,
    /// QoS 0 messages per socket write.
    #[arg(long, default_value_t = 8)]
    batch: usize,
    /// Unacknowledged QoS 1 messages per publisher.
    #[arg(long, default_value_t = 8)]
    inflight: usize,
    /// Source addresses 127.0.0.1 ..= 127.0.0.N.
    #[arg(long, default_value_t = 4)]
    sources: u8,
}

pub async fn run(a: RouteArgs) -> Result<()> {
    let nonce = format!(
        "{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis())
    );
    let prefix = format!("thingstead-bench/{nonce}");
    let target = Target::new(a.broker, a.sources, 128);

    let (mut sub, mut reader) = target
        .mqtt(0, &format!("tsb-sub-{nonce}"), None, 300)
        .await
        .context("the subscriber could not connect (is anonymous access allowed?)")?;
    sub.write_all(&mqtt::subscribe(&format!("{prefix}/#"), 0, 1))
        .await?;
    match tokio::time::timeout(Duration::from_secs(10), reader.next(&mut sub)).await {
        Ok(Ok(Incoming::SubAck(1))) => {}
        other => bail!("no SUBACK from the broker: {other:?}"),
    }
    let received = Arc::new(AtomicU64::new(0));
    let counting = {
        let received = received.clone();
        tokio::spawn(async move {
            let mut reader = Reader::new(64 * 1024);
            while let Ok(p) = reader.next(&mut sub).await {
                if p == Incoming::Publish {
                    received.fetch_add(1, Ordering::Relaxed);
                }
            }
        })
    };

    let ctl = Control::new();
    let shape = Shape {
        batch: a.batch,
        inflight: a.inflight,
    };
    let started = Instant::now();
    let mut connects = Vec::new();
    for n in 0..a.publishers {
        let target = target.clone();
        let id = format!("tsb-pub-{nonce}-{n}");
        connects.push(tokio::spawn(async move {
            target.mqtt(n + 1, &id, None, 300).await
        }));
    }
    let mut publishers = Vec::new();
    for (n, c) in connects.into_iter().enumerate() {
        let (stream, reader) = c.await?.context("a publisher could not connect")?;
        publishers.push(tokio::spawn(fleet::publisher(
            stream,
            reader,
            format!("{prefix}/{n}"),
            ctl.clone(),
            shape,
        )));
    }
    println!(
        "mosquitto at {}: {} publishers and 1 subscriber connected in {:.1} s",
        a.broker,
        a.publishers,
        started.elapsed().as_secs_f64()
    );
    for &qos in &a.qos {
        let routed = match qos {
            0 => search(&a, &ctl, &received).await,
            1 => closed_loop(&a, &ctl, &received).await,
            _ => bail!("QoS {qos} is not measured"),
        };
        result(&format!("mosquitto_qos{qos}_routed_per_s"), routed);
    }
    ctl.quit();
    for p in publishers {
        let _ = p.await;
    }
    counting.abort();
    let lost = ctl.lost.load(Ordering::Relaxed);
    if lost > 0 {
        println!("publishers lost: {lost}");
    }
    Ok(())
}

/// QoS 0: the broker drops what it cannot route, so publishers are paced
/// at rising rates, and the figure is the highest rate the subscriber
/// receives at a step that loses no more than `max_loss`. The search ends
/// at the first lossy step, after two steps where the broker falls behind,
/// or when the generator cannot offer more.
async fn search(a: &RouteArgs, ctl: &Control, received: &AtomicU64) -> f64 {
    let mut rate = a.start_rate;
    let mut best = 0.0;
    let mut saturated = 0;
    let step_secs = a.seconds.clamp(2, 5);
    loop {
        let (s0, r0) = (
            ctl.sent.load(Ordering::Relaxed),
            received.load(Ordering::Relaxed),
        );
        ctl.pace(rate / a.publishers.max(1) as f64);
        ctl.run(0);
        tokio::time::sleep(Duration::from_secs(1)).await;
        let (t1, s1, r1) = counters(ctl, received);
        tokio::time::sleep(Duration::from_secs(step_secs)).await;
        let (t2, s2, r2) = counters(ctl, received);
        ctl.pause();
        drain(received).await;
        let (_, s3, r3) = counters(ctl, received);
        let secs = t2.duration_since(t1).as_secs_f64();
        let sent = (s2 - s1) as f64 / secs;
        let routed = (r2 - r1) as f64 / secs;
        let loss = 1.0 - (r3 - r0) as f64 / (s3 - s0).max(1) as f64;
        println!(
            "  QoS 0 offered {rate:.0}/s: sent {sent:.0}/s, routed {routed:.0}/s, {:.2} % lost",
            loss * 100.0
        );
        if loss > a.max_loss {
            break;
        }
        best = f64::max(best, routed);
        if routed < 0.9 * sent {
            saturated += 1;
            if saturated == 2 {
                println!("  the broker routes less than it is offered: saturated");
                break;
            }
        }
        if sent < 0.9 * rate {
            println!("  the load generator offers no more than {sent:.0}/s");
            break;
        }
        rate *= a.step.max(1.05);
    }
    println!("mosquitto QoS 0 publishers: {best:.0} msgs/s routed to the subscriber without loss");
    best
}

/// QoS 1: each publisher keeps a window of unacknowledged messages.
async fn closed_loop(a: &RouteArgs, ctl: &Control, received: &AtomicU64) -> f64 {
    ctl.run(1);
    tokio::time::sleep(Duration::from_secs(a.warmup)).await;
    let (t1, s1, r1) = counters(ctl, received);
    let a1 = ctl.acked.load(Ordering::Relaxed);
    tokio::time::sleep(Duration::from_secs(a.seconds)).await;
    let (t2, s2, r2) = counters(ctl, received);
    let a2 = ctl.acked.load(Ordering::Relaxed);
    ctl.pause();
    drain(received).await;
    let secs = t2.duration_since(t1).as_secs_f64();
    let routed = (r2 - r1) as f64 / secs;
    println!(
        "mosquitto QoS 1 publishers ({} unacknowledged each): {routed:.0} msgs/s routed to the subscriber; {:.0}/s sent, {:.0}/s acknowledged",
        a.inflight,
        (s2 - s1) as f64 / secs,
        (a2 - a1) as f64 / secs
    );
    routed
}

fn counters(ctl: &Control, received: &AtomicU64) -> (Instant, u64, u64) {
    (
        Instant::now(),
        ctl.sent.load(Ordering::Relaxed),
        received.load(Ordering::Relaxed),
    )
}

/// Waits until the subscriber has received what the broker still held.
async fn drain(received: &AtomicU64) {
    let mut last = received.load(Ordering::Relaxed);
    let mut still = 0;
    for _ in 0..120 {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let now = received.load(Ordering::Relaxed);
        still = if now == last { still + 1 } else { 0 };
        if still == 2 {
            return;
        }
        last = now;
    }
}
