//! `devices-ingest`: N devices on their own certificates publish attribute
//! reports; the figure is how many reports reach the database per second,
//! counted in the database itself at both ends of a window of steady load.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use super::conn::Target;
use super::fleet::{self, Control, Shape};
use super::probe::{self, Probes};
use super::provision::Api;
use super::{alarms, cpu_ticks, result};

#[derive(clap::Args)]
pub struct IngestArgs {
    /// Base URL of the server's HTTP API, e.g. http://127.0.0.1:8080
    #[arg(long)]
    base: String,
    /// The server's data directory (credentials are read from it).
    #[arg(long)]
    data_dir: PathBuf,
    /// The server's MQTT listener, or several (comma-separated: the nodes
    /// of a cluster), the devices spread over them in turn.
    #[arg(long, value_delimiter = ',', required = true)]
    mqtt: Vec<SocketAddr>,
    /// Publishing devices.
    #[arg(long, default_value_t = 1000)]
    devices: usize,
    /// QoS levels to run one after the other, e.g. 0,1.
    #[arg(long, value_delimiter = ',', default_value = "0,1")]
    qos: Vec<u8>,
    /// Seconds of steady load measured per QoS level.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Seconds of load before the measured window.
    #[arg(long, default_value_t = 3)]
    warmup: u64,
    /// QoS 0: offer as fast as the sockets take it (the kernel's socket
    /// buffers then hold a backlog that takes long to drain) instead of
    /// searching paced rates.
    #[arg(long)]
    flood: bool,
    /// QoS 0 search: the first rate offered, reports/s for all devices.
    #[arg(long, default_value_t = 10_000.0)]
    start_rate: f64,
    /// QoS 0 search: each step offers this many times the previous rate.
    #[arg(long, default_value_t = 1.25)]
    step: f64,
    /// QoS 0 reports per socket write.
    #[arg(long, default_value_t = 8)]
    batch: usize,
    /// Unacknowledged QoS 1 reports per connection.
    #[arg(long, default_value_t = 8)]
    inflight: usize,
    /// Source addresses 127.0.0.1 ..= 127.0.0.N.
    #[arg(long, default_value_t = 4)]
    sources: u8,
    /// QoS 0 reports per second (all devices together) for the latency
    /// window after the throughput windows (only with probes); 0: half the
    /// QoS 0 rate persisted.
    #[arg(long, default_value_t = 0.0)]
    paced_rate: f64,
    /// Probe devices measuring publish → visible through the API.
    #[arg(long, default_value_t = 2)]
    probes: usize,
    /// Shell command printing the number of persisted history rows; without
    /// it, QoS 1 acknowledgements (sent only after commit) are counted.
    #[arg(long)]
    count_cmd: Option<String>,
    /// History rows one report makes (one per identifier it carries).
    #[arg(long, default_value_t = 2)]
    rows_per_report: u64,
    /// The server's process id, for its CPU time.
    #[arg(long)]
    server_pid: Option<u32>,
    /// Give the devices a device type of their own and, before the load,
    /// this many alarm rules on it that every report is checked against
    /// and none makes true (0: the type without rules).
    #[arg(long)]
    alarm_rules: Option<usize>,
    /// Name of the run in the RESULT lines, e.g. sqlite or postgres.
    #[arg(long, default_value = "server")]
    label: String,
}

pub async fn run(a: IngestArgs) -> Result<()> {
    let api = Api::sign_in(&a.base, &a.data_dir).await?;
    let nonce = u64::from(std::process::id());
    let of_type = match a.alarm_rules {
        Some(_) => Some(api.device_type(&format!("ingest-{nonce}")).await?),
        None => None,
    };
    let devices = api
        .devices(
            &format!("ingest-{nonce}"),
            a.devices + a.probes,
            16,
            of_type.as_ref(),
        )
        .await?;
    if let (Some(n), Some(t), Some(d)) = (a.alarm_rules, &of_type, devices.first()) {
        alarms::quiet_rules(&api, t, d, n).await?;
    }
    if a.mqtt.is_empty() {
        bail!("no MQTT listener given");
    }
    let targets: Vec<Target> = a
        .mqtt
        .iter()
        .map(|&addr| Target::new(addr, a.sources, 128))
        .collect();
    // Device `n` connects to listener `n mod count`.
    let target_of = |n: usize| &targets[n % targets.len()];
    let ctl = Control::new();
    let shape = Shape {
        batch: a.batch,
        inflight: a.inflight,
    };
    let started = Instant::now();
    let mut connects = Vec::new();
    for (n, d) in devices.iter().take(a.devices).enumerate() {
        let (target, token, key) = (
            target_of(n).clone(),
            d.access_token.clone(),
            api.project_key.clone(),
        );
        connects.push(tokio::spawn(async move {
            target
                .mqtt(n, &format!("ingest-{n}"), Some((&token, &key)), 300)
                .await
        }));
    }
    let mut publishers = Vec::new();
    for c in connects {
        let (stream, reader) = c.await?.context("a device could not connect")?;
        publishers.push(tokio::spawn(fleet::publisher(
            stream,
            reader,
            "attributes".into(),
            ctl.clone(),
            shape,
        )));
    }
    let probes = Arc::new(Probes::default());
    let mut probe_tasks = Vec::new();
    for (i, d) in devices.iter().skip(a.devices).enumerate() {
        let (stream, reader) = target_of(a.devices + i)
            .mqtt(
                a.devices + i,
                &format!("probe-{i}"),
                Some((&d.access_token, &api.project_key)),
                300,
            )
            .await
            .context("a probe device could not connect")?;
        probe_tasks.push(tokio::spawn(probe::run(
            stream,
            reader,
            d.clone(),
            api.clone(),
            probes.clone(),
            nonce * 10 + i as u64,
        )));
    }
    println!(
        "{}: {} devices connected over MQTT to {} listener(s) in {:.1} s ({} source addresses), {} probe devices",
        a.label,
        a.devices,
        targets.len(),
        started.elapsed().as_secs_f64(),
        a.sources,
        a.probes
    );

    let mut qos0_persisted = None;
    for &qos in &a.qos {
        if qos > 1 {
            bail!("QoS {qos} is not measured");
        }
        if qos == 0 && !a.flood && a.count_cmd.is_some() {
            let best = search(&a, &ctl).await?;
            qos0_persisted = Some(best);
            result(&format!("{}_qos0_persisted_per_s", a.label), best);
            continue;
        }
        ctl.run(qos);
        tokio::time::sleep(Duration::from_secs(a.warmup)).await;
        probes.take();
        probes.on.store(true, Ordering::Relaxed);
        let before = Snapshot::take(&a, &ctl).await?;
        tokio::time::sleep(Duration::from_secs(a.seconds)).await;
        let after = Snapshot::take(&a, &ctl).await?;
        probes.on.store(false, Ordering::Relaxed);
        ctl.pause();
        let secs = after.at.duration_since(before.at).as_secs_f64();
        let rate = |x: u64, y: u64| y.saturating_sub(x) as f64 / secs;
        let sent = rate(before.sent, after.sent);
        let acked = rate(before.acked, after.acked);
        let persisted = match (before.rows, after.rows) {
            (Some(x), Some(y)) => rate(x, y) / a.rows_per_report as f64,
            _ if qos == 1 => acked,
            _ => f64::NAN,
        };
        if qos == 0 {
            qos0_persisted = Some(persisted);
        }
        let how = if a.count_cmd.is_some() {
            "counted in the database"
        } else {
            "counted as PUBACKs"
        };
        println!(
            "{} QoS {qos}: {persisted:.0} reports/s persisted ({how}); {sent:.0}/s sent{}",
            a.label,
            if qos == 1 {
                format!(", {acked:.0}/s acknowledged")
            } else {
                String::new()
            }
        );
        if let (Some(x), Some(y)) = (before.server_cpu, after.server_cpu) {
            println!(
                "  server CPU {:.2} cores, load generator {:.2} cores",
                (y - x) / secs,
                after
                    .own_cpu
                    .zip(before.own_cpu)
                    .map_or(f64::NAN, |(y, x)| (y - x) / secs)
            );
        }
        let mut s = probes.take();
        let (p50, p99) = (
            probe::percentile(&mut s.visible, 0.50),
            probe::percentile(&mut s.visible, 0.99),
        );
        let ack99 = probe::percentile(&mut s.acked, 0.99);
        println!(
            "  publish -> visible through GET /api/v1/device/<id>/attributes: p50 {p50:.1} ms, p99 {p99:.1} ms ({} samples, {} not seen within 5 s); PUBACK p99 {ack99:.1} ms",
            s.visible.len(),
            s.missed
        );
        let lost = ctl.lost.load(Ordering::Relaxed);
        if lost > 0 {
            println!("  connections lost so far: {lost}");
        }
        result(&format!("{}_qos{qos}_persisted_per_s", a.label), persisted);
        result(&format!("{}_qos{qos}_sent_per_s", a.label), sent);
        result(&format!("{}_qos{qos}_visible_p99_ms", a.label), p99);
        result(&format!("{}_qos{qos}_visible_p50_ms", a.label), p50);
        result(
            &format!("{}_qos{qos}_visible_missed", a.label),
            s.missed as f64,
        );
        settle(&a).await;
    }
    let rate = if a.paced_rate > 0.0 {
        a.paced_rate
    } else {
        qos0_persisted.filter(|r| r.is_finite()).unwrap_or(0.0) / 2.0
    };
    if rate > 0.0 && a.probes > 0 {
        paced(&a, &ctl, &probes, rate).await?;
    }
    probes.quit.store(true, Ordering::Relaxed);
    ctl.quit();
    for p in publishers {
        let _ = p.await;
    }
    for p in probe_tasks {
        let _ = p.await;
    }
    Ok(())
}

/// QoS 0 as Mosquitto's reference measures it: publishers paced at rising
/// rates; the figure is the highest rate persisted at a step. The search
/// ends after two steps where the server persists less than 90 % of what
/// it is offered (its queue pushes back), or when the generator cannot
/// offer more. Each step waits for the backlog to be written.
async fn search(a: &IngestArgs, ctl: &Control) -> Result<f64> {
    let mut rate = a.start_rate;
    let mut best = 0.0f64;
    let mut saturated = 0;
    let step_secs = a.seconds.clamp(2, 5);
    loop {
        ctl.pace(rate / a.devices.max(1) as f64);
        ctl.run(0);
        tokio::time::sleep(Duration::from_secs(1)).await;
        let before = Snapshot::take(a, ctl).await?;
        tokio::time::sleep(Duration::from_secs(step_secs)).await;
        let after = Snapshot::take(a, ctl).await?;
        ctl.pause();
        let secs = after.at.duration_since(before.at).as_secs_f64();
        let sent = after.sent.saturating_sub(before.sent) as f64 / secs;
        let persisted = match (before.rows, after.rows) {
            (Some(x), Some(y)) => y.saturating_sub(x) as f64 / secs / a.rows_per_report as f64,
            _ => f64::NAN,
        };
        let cpu = after
            .server_cpu
            .zip(before.server_cpu)
            .map_or(f64::NAN, |(y, x)| (y - x) / secs);
        println!(
            "  {} QoS 0 offered {rate:.0}/s: sent {sent:.0}/s, persisted {persisted:.0}/s, server CPU {cpu:.2} cores",
            a.label
        );
        settle(a).await;
        best = best.max(persisted);
        if persisted < 0.9 * sent {
            saturated += 1;
            if saturated == 2 {
                println!("  the server persists less than it is offered: saturated");
                break;
            }
        }
        if sent < 0.9 * rate {
            println!("  the load generator offers no more than {sent:.0}/s");
            break;
        }
        rate *= a.step.max(1.05);
    }
    ctl.pace(0.0);
    println!(
        "{} QoS 0: {best:.0} reports/s persisted (counted in the database), highest step",
        a.label
    );
    Ok(best)
}

/// Publish → visible at a steady QoS 0 load of `rate` reports/s that the
/// server keeps up with, rather than behind a full queue.
async fn paced(a: &IngestArgs, ctl: &Control, probes: &Probes, rate: f64) -> Result<()> {
    ctl.pace(rate / a.devices.max(1) as f64);
    ctl.run(0);
    tokio::time::sleep(Duration::from_secs(a.warmup)).await;
    probes.take();
    probes.on.store(true, Ordering::Relaxed);
    let before = Snapshot::take(a, ctl).await?;
    tokio::time::sleep(Duration::from_secs(a.seconds)).await;
    let after = Snapshot::take(a, ctl).await?;
    probes.on.store(false, Ordering::Relaxed);
    ctl.pause();
    ctl.pace(0.0);
    let secs = after.at.duration_since(before.at).as_secs_f64();
    let persisted = match (before.rows, after.rows) {
        (Some(x), Some(y)) => y.saturating_sub(x) as f64 / secs / a.rows_per_report as f64,
        _ => f64::NAN,
    };
    let mut s = probes.take();
    let (p50, p99) = (
        probe::percentile(&mut s.visible, 0.50),
        probe::percentile(&mut s.visible, 0.99),
    );
    println!(
        "{} paced QoS 0 at {rate:.0} reports/s ({persisted:.0}/s persisted): publish -> visible p50 {p50:.1} ms, p99 {p99:.1} ms ({} samples, {} not seen within 5 s)",
        a.label,
        s.visible.len(),
        s.missed
    );
    result(&format!("{}_paced_rate_per_s", a.label), rate);
    result(&format!("{}_paced_persisted_per_s", a.label), persisted);
    result(&format!("{}_paced_visible_p99_ms", a.label), p99);
    result(&format!("{}_paced_visible_p50_ms", a.label), p50);
    settle(a).await;
    Ok(())
}

/// Counters at one moment of the run.
struct Snapshot {
    at: Instant,
    sent: u64,
    acked: u64,
    rows: Option<u64>,
    server_cpu: Option<f64>,
    own_cpu: Option<f64>,
}

impl Snapshot {
    async fn take(a: &IngestArgs, ctl: &Control) -> Result<Self> {
        let before = Instant::now();
        let rows = match &a.count_cmd {
            Some(cmd) => Some(count(cmd).await?),
            None => None,
        };
        // The count is taken as of the middle of the query.
        let at = before + before.elapsed() / 2;
        Ok(Snapshot {
            at,
            sent: ctl.sent.load(Ordering::Relaxed),
            acked: ctl.acked.load(Ordering::Relaxed),
            rows,
            server_cpu: a.server_pid.and_then(cpu_ticks),
            own_cpu: cpu_ticks(std::process::id()),
        })
    }
}

/// Runs the count command and reads its number.
async fn count(cmd: &str) -> Result<u64> {
    let out = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .output()
        .await
        .context("running the count command")?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.trim().parse().with_context(|| {
        format!(
            "the count command printed {text:?} ({})",
            String::from_utf8_lossy(&out.stderr).trim()
        )
    })
}

/// Waits until what the load queued is written, so that the next level
/// starts from a quiet server.
async fn settle(a: &IngestArgs) {
    let Some(cmd) = &a.count_cmd else {
        tokio::time::sleep(Duration::from_secs(2)).await;
        return;
    };
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut last = None;
    while Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(700)).await;
        let now = count(cmd).await.ok();
        if now.is_some() && now == last {
            return;
        }
        last = now;
    }
}
