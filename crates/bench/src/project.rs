//! The project API under a large project: creating devices through the API,
//! then reading list pages and single devices.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use crate::load;

/// Creates `devices` devices with `concurrency` clients, then measures reads.
pub async fn run(
    base: &str,
    data_dir: &std::path::Path,
    devices: u64,
    concurrency: usize,
    phase: Duration,
) -> Result<()> {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(1024)
        .build()?;
    let creds: Value = serde_json::from_slice(
        &std::fs::read(data_dir.join("initial-credentials.json"))
            .context("reading initial-credentials.json")?,
    )?;
    let app = &creds["api_app"];
    let token: Value = http
        .post(format!("{base}/api/v1/access_token"))
        .json(&json!({"app_id": app["app_id"], "access_key": app["access_key"], "secret_key": app["secret_key"]}))
        .send()
        .await?
        .json()
        .await?;
    let Some(token) = token["info"]["access_token"].as_str().map(str::to_owned) else {
        bail!("access_token failed: {token}");
    };

    // Create the devices, reporting progress every 10,000.
    let next = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let ids = Arc::new(std::sync::Mutex::new(Vec::with_capacity(devices as usize)));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (http, next, errors, token, ids) = (
            http.clone(),
            next.clone(),
            errors.clone(),
            token.clone(),
            ids.clone(),
        );
        let url = format!("{base}/api/v1/device");
        tasks.push(tokio::spawn(async move {
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= devices {
                    break;
                }
                let body = json!({"name": format!("bench device {n}"), "device_key": format!("bench-{n}")});
                let created = match http.post(&url).bearer_auth(&token).json(&body).send().await {
                    Ok(r) => r.json::<Value>().await.ok().and_then(|v| v["info"]["id"].as_str().and_then(|s| s.parse::<u64>().ok())),
                    Err(_) => None,
                };
                match created {
                    Some(id) => {
                        if let Ok(mut ids) = ids.lock() {
                            ids.push(id);
                        }
                    }
                    None => {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
                if (n + 1) % 10_000 == 0 {
                    eprintln!("  {} devices created, {:.0} s", n + 1, started.elapsed().as_secs_f64());
                }
            }
        }));
    }
    for t in tasks {
        t.await?;
    }
    let took = started.elapsed();
    println!(
        "created {devices} devices through POST /api/v1/device in {:.1} s ({:.0}/s, {} errors; target < 60 s for 100,000)",
        took.as_secs_f64(),
        devices as f64 / took.as_secs_f64(),
        errors.load(Ordering::Relaxed)
    );

    let pages = devices.div_ceil(20).max(1);
    let ids: Arc<Vec<u64>> = Arc::new(ids.lock().map(|v| v.clone()).unwrap_or_default());
    if ids.is_empty() {
        bail!("no device was created");
    }
    let counter = Arc::new(AtomicU64::new(0));
    for clients in [1, concurrency] {
        let pages_read = {
            let (token, counter, base) = (token.clone(), counter.clone(), base.to_owned());
            load::latency(&http, phase, clients, move |c: &reqwest::Client| {
                let n = counter.fetch_add(7919, Ordering::Relaxed);
                c.get(format!("{base}/api/v1/devices?page={}", n % pages + 1))
                    .bearer_auth(&token)
            })
            .await
        };
        println!(
            "GET /api/v1/devices?page=<random of {pages}>, {clients} clients: p50 {:.2} ms, p99 {:.2} ms, {:.0} req/s (target p99 < 20 ms)",
            pages_read.p50_ms, pages_read.p99_ms, pages_read.rate
        );
        let singles = {
            let (token, counter, base, ids) =
                (token.clone(), counter.clone(), base.to_owned(), ids.clone());
            load::latency(&http, phase, clients, move |c: &reqwest::Client| {
                let n = counter.fetch_add(7919, Ordering::Relaxed) as usize;
                c.get(format!("{base}/api/v1/device/{}", ids[n % ids.len()]))
                    .bearer_auth(&token)
            })
            .await
        };
        println!(
            "GET /api/v1/device/<random id>, {clients} clients: p50 {:.2} ms, p99 {:.2} ms, {:.0} req/s (target p99 < 20 ms)",
            singles.p50_ms, singles.p99_ms, singles.rate
        );
        if pages_read.errors + singles.errors > 0 {
            println!("read errors: {}", pages_read.errors + singles.errors);
        }
    }
    Ok(())
}
