//! `command-latency`: the HTTP round trip of a device command with a wait
//! for the reply (`POST /api/v1/control/device/<id>/command?wait=<s>`),
//! sent through one node's project API to a device connected over MQTT to
//! another node of the cluster (the command and its reply cross NATS), and
//! the same with the device on the node that takes the call.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use super::conn::Target;
use super::mqtt::{self, Incoming, Reader};
use super::probe::percentile;
use super::provision::{Api, Device};
use super::result;

#[derive(clap::Args)]
pub struct CommandArgs {
    /// Base URL of node A's HTTP API: every command is sent here.
    #[arg(long)]
    base: String,
    /// Node A's data directory (credentials are read from it).
    #[arg(long)]
    data_dir: PathBuf,
    /// Node B's MQTT listener: the cross-node device connects here.
    #[arg(long)]
    mqtt_remote: SocketAddr,
    /// Node A's MQTT listener: the same-node device connects here (none:
    /// no same-node figure).
    #[arg(long)]
    mqtt_local: Option<SocketAddr>,
    /// Commands measured per device and caller count.
    #[arg(long, default_value_t = 500)]
    commands: usize,
    /// Concurrent callers, one level after the other, e.g. 1,4.
    #[arg(long, value_delimiter = ',', default_value = "1,4")]
    callers: Vec<usize>,
    /// Unmeasured commands first, per device.
    #[arg(long, default_value_t = 20)]
    warmup: usize,
    /// The call's `wait` (seconds) for the device's reply.
    #[arg(long, default_value_t = 5)]
    wait: u64,
    /// Source addresses 127.0.0.1 ..= 127.0.0.N.
    #[arg(long, default_value_t = 4)]
    sources: u8,
}

pub async fn run(a: CommandArgs) -> Result<()> {
    let api = Api::sign_in(&a.base, &a.data_dir).await?;
    let nonce = u64::from(std::process::id());
    let devices = api.devices(&format!("cmd-{nonce}"), 2, 1, None).await?;
    let mut places = vec![("cross_node", a.mqtt_remote)];
    if let Some(local) = a.mqtt_local {
        places.push(("same_node", local));
    }
    let mut answering = Vec::new();
    for (n, ((label, addr), device)) in places.iter().zip(&devices).enumerate() {
        let target = Target::new(*addr, a.sources, 1);
        let (mut stream, mut reader) = target
            .mqtt(
                n,
                &format!("cmd-{label}"),
                Some((&device.access_token, &api.project_key)),
                300,
            )
            .await
            .with_context(|| format!("the {label} device could not connect to {addr}"))?;
        stream
            .write_all(&mqtt::subscribe("command/send/+", 0, 1))
            .await?;
        match tokio::time::timeout(Duration::from_secs(10), reader.next(&mut stream)).await {
            Ok(Ok(Incoming::SubAck(_))) => {}
            other => bail!("no SUBACK for command/send/+: {other:?}"),
        }
        println!(
            "{label}: device {} connected over MQTT to {addr}, commands sent through {}",
            device.id, a.base
        );
        answering.push(tokio::spawn(answer(stream, reader)));
    }

    for &callers in &a.callers {
        for ((label, _), device) in places.iter().zip(&devices) {
            ready(&api, device, a.wait).await?;
            round_trips(&api, device, a.warmup, 1, a.wait).await?;
            let started = Instant::now();
            let (mut samples, failed) =
                round_trips(&api, device, a.commands, callers.max(1), a.wait).await?;
            let secs = started.elapsed().as_secs_f64();
            let n = samples.len();
            let (p50, p99) = (
                percentile(&mut samples, 0.50),
                percentile(&mut samples, 0.99),
            );
            let max = samples
                .last()
                .map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0);
            println!(
                "{label}, {callers} caller(s): {n} commands answered ({:.0}/s), {failed} failed; HTTP round trip p50 {p50:.2} ms, p99 {p99:.2} ms, max {max:.2} ms",
                n as f64 / secs
            );
            let key = format!("command_{label}_c{callers}");
            result(&format!("{key}_count"), n as f64);
            result(&format!("{key}_failed"), failed as f64);
            result(&format!("{key}_p50_ms"), p50);
            result(&format!("{key}_p99_ms"), p99);
            result(&format!("{key}_max_ms"), max);
        }
    }
    for t in answering {
        t.abort();
    }
    Ok(())
}

/// The device's side: every command on `command/send/<id>` is answered at
/// once on `command/reply/<id>` with its method and empty params.
async fn answer(mut stream: TcpStream, mut reader: Reader) -> Result<()> {
    let mut out = Vec::with_capacity(128);
    loop {
        let (packet, first, body) = reader.next_with_body(&mut stream).await?;
        if packet != Incoming::Publish {
            continue;
        }
        let Some((topic, payload)) = mqtt::publish_parts(first, &body) else {
            bail!("a malformed PUBLISH");
        };
        out.clear();
        if (first >> 1) & 0x03 > 0 {
            // PUBACK with the packet id after the topic.
            let at = 2 + topic.len();
            let id = body.get(at..at + 2).context("a PUBLISH without its id")?;
            out.extend_from_slice(&[0x40, 2]);
            out.extend_from_slice(id);
        }
        if let Some(id) = topic.strip_prefix("command/send/") {
            let sent: Value = serde_json::from_slice(payload).unwrap_or(Value::Null);
            let reply = json!({"method": sent["method"], "params": {}});
            mqtt::publish(
                &mut out,
                &format!("command/reply/{id}"),
                reply.to_string().as_bytes(),
                0,
                0,
            );
        }
        if !out.is_empty() {
            stream.write_all(&out).await?;
        }
    }
}

/// One command through the API: whether the device's reply came back.
async fn command(api: &Api, device: &Device, wait: u64, n: usize) -> Result<bool> {
    let answer: Value = api
        .http
        .post(format!(
            "{}/api/v1/control/device/{}/command?wait={wait}",
            api.base, device.id
        ))
        .bearer_auth(&api.token)
        .json(&json!({"method": "bench", "params": {"n": n}}))
        .send()
        .await?
        .json()
        .await?;
    Ok(answer["result"] == true && answer["info"]["reply"]["method"] == "bench")
}

/// Waits (up to 20 s) until a command reaches the device and its reply
/// comes back: a node learns of a connection on another node a moment
/// after it is made.
async fn ready(api: &Api, device: &Device, wait: u64) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if command(api, device, wait, 0).await.unwrap_or(false) {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("no command to device {} came back within 20 s", device.id);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// `count` commands from `callers` closed-loop callers: the round trips
/// answered with the device's reply, and how many were not.
async fn round_trips(
    api: &Api,
    device: &Device,
    count: usize,
    callers: usize,
    wait: u64,
) -> Result<(Vec<Duration>, u64)> {
    let next = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..callers {
        let (api, device, next) = (api.clone(), device.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let (mut samples, mut failed) = (Vec::new(), 0u64);
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= count {
                    break;
                }
                let started = Instant::now();
                match command(&api, &device, wait, n).await {
                    Ok(true) => samples.push(started.elapsed()),
                    _ => failed += 1,
                }
            }
            (samples, failed)
        }));
    }
    let (mut all, mut failed) = (Vec::with_capacity(count), 0);
    for t in tasks {
        let (s, f) = t.await?;
        all.extend(s);
        failed += f;
    }
    Ok((all, failed))
}
