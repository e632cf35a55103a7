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
    /// Seconds measured per QoS level.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
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
        if qos > 1 {
            bail!("QoS {qos} is not measured");
        }
        ctl.run(qos);
        tokio::time::sleep(Duration::from_secs(a.warmup)).await;
        let (t1, r1, s1) = (
            Instant::now(),
            received.load(Ordering::Relaxed),
            ctl.sent.load(Ordering::Relaxed),
        );
        tokio::time::sleep(Duration::from_secs(a.seconds)).await;
        let (t2, r2, s2) = (
            Instant::now(),
            received.load(Ordering::Relaxed),
            ctl.sent.load(Ordering::Relaxed),
        );
        ctl.pause();
        let secs = t2.duration_since(t1).as_secs_f64();
        let routed = (r2 - r1) as f64 / secs;
        println!(
            "mosquitto QoS {qos} publishers: {routed:.0} msgs/s routed to the subscriber; {:.0}/s sent",
            (s2 - s1) as f64 / secs
        );
        result(&format!("mosquitto_qos{qos}_routed_per_s"), routed);
        // Let the broker's queues empty before the next level.
        let mut last = received.load(Ordering::Relaxed);
        for _ in 0..60 {
            tokio::time::sleep(Duration::from_millis(500)).await;
            let now = received.load(Ordering::Relaxed);
            if now == last {
                break;
            }
            last = now;
        }
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
