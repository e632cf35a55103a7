//! `devices-idle`: many devices connected and silent but for their
//! keep-alive pings; the figure is the server's resident memory per
//! connection at each level.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use tokio::io::AsyncWriteExt;
use tokio::sync::watch;

use super::conn::Target;
use super::mqtt;
use super::provision::Api;
use super::{open_files_limit, result, rss_kib};

#[derive(clap::Args)]
pub struct IdleArgs {
    /// Base URL of the server's HTTP API, e.g. http://127.0.0.1:8080
    #[arg(long)]
    base: String,
    /// The server's data directory (credentials are read from it).
    #[arg(long)]
    data_dir: PathBuf,
    /// The server's MQTT listener.
    #[arg(long)]
    mqtt: SocketAddr,
    /// The server's process id, whose VmRSS is read.
    #[arg(long)]
    server_pid: u32,
    /// Connection counts to measure at, in increasing order.
    #[arg(long, value_delimiter = ',', default_value = "10000,50000")]
    levels: Vec<usize>,
    /// Source addresses 127.0.0.1 ..= 127.0.0.N.
    #[arg(long, default_value_t = 8)]
    sources: u8,
    /// Connection attempts under way at once.
    #[arg(long, default_value_t = 64)]
    connect_concurrency: usize,
    /// Keep-alive in seconds announced in CONNECT; a ping goes every half.
    #[arg(long, default_value_t = 300)]
    keep_alive: u16,
    /// Seconds to wait at each level before reading memory.
    #[arg(long, default_value_t = 3)]
    settle: u64,
}

pub async fn run(a: IdleArgs) -> Result<()> {
    let mut levels = a.levels.clone();
    levels.sort_unstable();
    // Both processes hold one descriptor per connection.
    let room = [Some(a.server_pid), Some(std::process::id())]
        .into_iter()
        .flatten()
        .filter_map(open_files_limit)
        .min()
        .unwrap_or(u64::MAX)
        .saturating_sub(200) as usize;
    for l in levels.iter_mut() {
        if *l > room {
            println!(
                "{l} connections need more open files than allowed here (limit {}); measuring {room} instead",
                room + 200
            );
            *l = room;
        }
    }
    levels.dedup();
    let Some(&most) = levels.last() else {
        bail!("no level to measure");
    };
    let api = Api::sign_in(&a.base, &a.data_dir).await?;
    let nonce = std::process::id();
    let devices = api
        .devices(&format!("idle-{nonce}"), most, 16, None)
        .await?;
    tokio::time::sleep(Duration::from_secs(a.settle)).await;
    let Some(base_rss) = rss_kib(a.server_pid) else {
        bail!("cannot read VmRSS of process {}", a.server_pid);
    };
    println!(
        "server VmRSS before any device connects: {:.1} MiB",
        base_rss as f64 / 1024.0
    );
    let own_base = rss_kib(std::process::id()).unwrap_or(0);
    let target = Target::new(a.mqtt, a.sources, a.connect_concurrency);
    let (quit, quit_rx) = watch::channel(false);
    let failed = Arc::new(AtomicU64::new(0));
    let dropped = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    let mut opened = 0usize;
    let mut previous: Option<(u64, u64)> = None;
    for (i, &level) in levels.iter().enumerate() {
        let started = Instant::now();
        let mut connects = Vec::new();
        for (n, d) in devices.iter().enumerate().take(level).skip(opened) {
            let (target, token, key) = (
                target.clone(),
                d.access_token.clone(),
                api.project_key.clone(),
            );
            let (failed, dropped, mut quit) = (failed.clone(), dropped.clone(), quit_rx.clone());
            let keep_alive = a.keep_alive;
            connects.push(tokio::spawn(async move {
                let (mut stream, mut reader) = match target
                    .mqtt(n, &format!("idle-{n}"), Some((&token, &key)), keep_alive)
                    .await
                {
                    Ok(c) => c,
                    Err(_) => {
                        failed.fetch_add(1, Ordering::Relaxed);
                        return None;
                    }
                };
                Some(tokio::spawn(async move {
                    let every = Duration::from_secs(u64::from(keep_alive.max(2)) / 2);
                    loop {
                        tokio::select! {
                            r = reader.next(&mut stream) => if r.is_err() {
                                dropped.fetch_add(1, Ordering::Relaxed);
                                return;
                            },
                            _ = tokio::time::sleep(every) => {
                                if stream.write_all(&mqtt::PINGREQ).await.is_err() {
                                    dropped.fetch_add(1, Ordering::Relaxed);
                                    return;
                                }
                            }
                            _ = quit.changed() => {
                                let _ = stream.write_all(&mqtt::DISCONNECT).await;
                                return;
                            }
                        }
                    }
                }))
            }));
        }
        for c in connects {
            if let Ok(Some(t)) = c.await {
                tasks.push(t);
            }
        }
        opened = level;
        let took = started.elapsed();
        tokio::time::sleep(Duration::from_secs(a.settle)).await;
        let live = tasks.len() as u64 - dropped.load(Ordering::Relaxed);
        let rss = rss_kib(a.server_pid).unwrap_or(0);
        let own = rss_kib(std::process::id()).unwrap_or(0);
        let per = rss.saturating_sub(base_rss) as f64 / live.max(1) as f64;
        println!(
            "{live} idle device connections (opened in {:.1} s, {} refused or failed, {} dropped): server VmRSS {:.1} MiB, {per:.2} KiB per connection above the start; load generator {:.2} KiB per connection",
            took.as_secs_f64(),
            failed.load(Ordering::Relaxed),
            dropped.load(Ordering::Relaxed),
            rss as f64 / 1024.0,
            own.saturating_sub(own_base) as f64 / live.max(1) as f64
        );
        result(&format!("idle_level{}_connections", i + 1), live as f64);
        result(&format!("idle_level{}_rss_mib", i + 1), rss as f64 / 1024.0);
        result(&format!("idle_level{}_kib_per_connection", i + 1), per);
        // One-time costs (caches warmed by the first logins) cancel out.
        if let Some((prev_live, prev_rss)) = previous
            && live > prev_live
        {
            let marginal = rss.saturating_sub(prev_rss) as f64 / (live - prev_live) as f64;
            println!("  {marginal:.2} KiB per connection from {prev_live} to {live} connections");
            result(&format!("idle_level{}_marginal_kib", i + 1), marginal);
        }
        previous = Some((live, rss));
    }
    let _ = quit.send(true);
    for t in tasks {
        let _ = t.await;
    }
    Ok(())
}
