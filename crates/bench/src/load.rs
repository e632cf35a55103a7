//! Closed-loop load: each client sends its next request when the previous
//! answer arrives.

use std::sync::Arc;
use std::time::{Duration, Instant};

/// Requests completed in a phase.
pub struct Throughput {
    pub ok: u64,
    pub errors: u64,
    pub elapsed: Duration,
}

impl Throughput {
    pub fn rate(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64()
    }
}

/// `clients` loops sending `make` requests for `phase`.
pub async fn throughput<F>(
    http: &reqwest::Client,
    phase: Duration,
    clients: usize,
    make: F,
) -> Throughput
where
    F: Fn(&reqwest::Client) -> reqwest::RequestBuilder + Send + Sync + 'static,
{
    let make = Arc::new(make);
    let start = Instant::now();
    let deadline = start + phase;
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let http = http.clone();
        let make = make.clone();
        tasks.push(tokio::spawn(async move {
            let (mut ok, mut errors) = (0u64, 0u64);
            while Instant::now() < deadline {
                match make(&http).send().await {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        ok += 1;
                    }
                    _ => errors += 1,
                }
            }
            (ok, errors)
        }));
    }
    let mut total = Throughput {
        ok: 0,
        errors: 0,
        elapsed: Duration::ZERO,
    };
    for t in tasks {
        if let Ok((ok, errors)) = t.await {
            total.ok += ok;
            total.errors += errors;
        }
    }
    total.elapsed = start.elapsed();
    total
}

/// Latency of `read` requests while `load_clients` loops send `load`.
pub struct UnderLoad {
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub reads_per_sec: f64,
    pub load_per_sec: f64,
    pub errors: u64,
}

pub async fn latency_under_load<R, L>(
    http: &reqwest::Client,
    phase: Duration,
    readers: usize,
    read: R,
    load_clients: usize,
    load: L,
) -> UnderLoad
where
    R: Fn(&reqwest::Client) -> reqwest::RequestBuilder + Send + Sync + 'static,
    L: Fn(&reqwest::Client) -> reqwest::RequestBuilder + Send + Sync + 'static,
{
    let load_http = reqwest::Client::new();
    let load = tokio::spawn({
        let load = load;
        async move {
            throughput(
                &load_http,
                phase + Duration::from_secs(1),
                load_clients,
                load,
            )
            .await
        }
    });
    // Let the logins saturate before measuring.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let reads = latency(http, phase, readers, read).await;
    let load = load.await.ok();
    UnderLoad {
        p50_ms: reads.p50_ms,
        p99_ms: reads.p99_ms,
        reads_per_sec: reads.rate,
        load_per_sec: load.as_ref().map_or(0.0, Throughput::rate),
        errors: reads.errors + load.map_or(0, |l| l.errors),
    }
}

/// Latency percentiles of closed-loop requests.
pub struct Latency {
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub rate: f64,
    pub errors: u64,
}

/// `clients` loops sending `make` requests for `phase`, timing each.
pub async fn latency<F>(http: &reqwest::Client, phase: Duration, clients: usize, make: F) -> Latency
where
    F: Fn(&reqwest::Client) -> reqwest::RequestBuilder + Send + Sync + 'static,
{
    let make = Arc::new(make);
    let start = Instant::now();
    let deadline = start + phase;
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let http = http.clone();
        let make = make.clone();
        tasks.push(tokio::spawn(async move {
            let mut samples = Vec::new();
            let mut errors = 0u64;
            while Instant::now() < deadline {
                let t = Instant::now();
                match make(&http).send().await {
                    Ok(r) if r.status().is_success() => {
                        // Seed 003 answers its failures with HTTP 200 and `result: false`.
                        let ok = r
                            .json::<serde_json::Value>()
                            .await
                            .map(|v| v["result"] != false)
                            .unwrap_or(false);
                        if ok {
                            samples.push(t.elapsed());
                        } else {
                            errors += 1;
                        }
                    }
                    _ => errors += 1,
                }
            }
            (samples, errors)
        }));
    }
    let mut samples = Vec::new();
    let mut errors = 0;
    for t in tasks {
        if let Ok((s, e)) = t.await {
            samples.extend(s);
            errors += e;
        }
    }
    let elapsed = start.elapsed();
    samples.sort();
    let pct = |p: f64| {
        samples
            .get(((samples.len() as f64 * p) as usize).min(samples.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    Latency {
        p50_ms: pct(0.50),
        p99_ms: pct(0.99),
        rate: samples.len() as f64 / elapsed.as_secs_f64(),
        errors,
    }
}
