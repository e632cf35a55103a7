//! Load generator for the benchmarks in docs/benchmarks.md. It drives a
//! running thingstead over HTTP as many phone apps would and prints ratios
//! measured in one run, so that a noisy shared machine cancels out.

mod devices;
mod load;
mod project;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use serde_json::{Value, json};

#[derive(Parser)]
#[command(name = "thingstead-bench", about = "Load generator for thingstead")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Authenticated reads against health checks, and read latency under a
    /// flood of password logins.
    Identity {
        /// Base URL of a running server, e.g. http://127.0.0.1:8080
        #[arg(long)]
        base: String,
        /// The server's data directory (credentials and outbox are read from it).
        #[arg(long)]
        data_dir: PathBuf,
        /// Seconds per phase.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// Concurrent clients for the throughput phases.
        #[arg(long, default_value_t = 16)]
        concurrency: usize,
        /// Concurrent password-login clients in the latency phase.
        #[arg(long, default_value_t = 64)]
        logins: usize,
    },
    /// Creates many devices through the project API, then reads list pages
    /// and single devices.
    Project {
        /// Base URL of a running server, e.g. http://127.0.0.1:8080
        #[arg(long)]
        base: String,
        /// The server's data directory (credentials are read from it).
        #[arg(long)]
        data_dir: PathBuf,
        /// Devices to create.
        #[arg(long, default_value_t = 100_000)]
        devices: u64,
        /// Concurrent clients.
        #[arg(long, default_value_t = 16)]
        concurrency: usize,
        /// Seconds per read phase.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
    },
    /// Devices on their own certificates publish attribute reports over
    /// MQTT; persisted reports per second and publish → visible latency.
    DevicesIngest(devices::ingest::IngestArgs),
    /// Many idle device connections; the server's memory per connection.
    DevicesIdle(devices::idle::IdleArgs),
    /// The reference: a broker routing the same reports from many
    /// publishers to one subscriber.
    MosquittoRoute(devices::route::RouteArgs),
    /// A report that opens an alarm → the app push reaching a webhook
    /// receiver of the load generator's own.
    AlarmLatency(devices::alarms::LatencyArgs),
    /// A device command with a wait for its reply, through one node's API
    /// to a device on another node of a cluster (and on the same node).
    #[command(name = "command-latency")]
    DeviceCommandLatency(devices::command::CommandArgs),
}

#[tokio::main]
async fn main() -> Result<()> {
    // reqwest is built without a default TLS provider in this workspace.
    let _ = rustls::crypto::ring::default_provider().install_default();
    match Cli::parse().command {
        Command::Identity {
            base,
            data_dir,
            seconds,
            concurrency,
            logins,
        } => {
            identity(
                &base,
                &data_dir,
                Duration::from_secs(seconds),
                concurrency,
                logins,
            )
            .await
        }
        Command::Project {
            base,
            data_dir,
            devices,
            concurrency,
            seconds,
        } => {
            project::run(
                &base,
                &data_dir,
                devices,
                concurrency,
                Duration::from_secs(seconds),
            )
            .await
        }
        Command::DevicesIngest(a) => devices::ingest::run(a).await,
        Command::DevicesIdle(a) => devices::idle::run(a).await,
        Command::MosquittoRoute(a) => devices::route::run(a).await,
        Command::AlarmLatency(a) => devices::alarms::run(a).await,
        Command::DeviceCommandLatency(a) => devices::command::run(a).await,
    }
}

async fn identity(
    base: &str,
    data_dir: &std::path::Path,
    phase: Duration,
    concurrency: usize,
    logins: usize,
) -> Result<()> {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(1024)
        .build()?;
    let creds: Value = serde_json::from_slice(
        &std::fs::read(data_dir.join("initial-credentials.json"))
            .context("reading initial-credentials.json")?,
    )?;
    let client_key = creds["mobile_app"]["client_key"]
        .as_str()
        .context("no client_key")?
        .to_owned();
    let phone = format!("1360{:07}", std::process::id() % 10_000_000);
    let password = "bench-password-1";
    let token = register_and_login(&http, base, data_dir, &client_key, &phone, password).await?;

    println!(
        "phase length {} s, {concurrency} concurrent clients",
        phase.as_secs()
    );
    let health = load::throughput(&http, phase, concurrency, {
        let url = format!("{base}/healthz");
        move |c: &reqwest::Client| c.get(&url)
    })
    .await;
    println!(
        "GET /healthz                      {:>9.0} req/s",
        health.rate()
    );
    let detail = load::throughput(&http, phase, concurrency, {
        let url = format!("{base}/user/customer/user/detail");
        let token = token.clone();
        move |c: &reqwest::Client| c.get(&url).header("token", &token)
    })
    .await;
    println!(
        "GET /user/customer/user/detail    {:>9.0} req/s",
        detail.rate()
    );
    println!(
        "ratio authenticated read / healthz  {:.2}   (target >= 0.5)",
        detail.rate() / health.rate().max(1.0)
    );
    if health.errors + detail.errors > 0 {
        println!(
            "errors: healthz {}, detail {}",
            health.errors, detail.errors
        );
    }

    let login_body = json!({"clientKey": client_key, "phone": phone, "password": password});
    let under = load::latency_under_load(
        &http,
        phase,
        4,
        {
            let url = format!("{base}/user/customer/user/detail");
            let token = token.clone();
            move |c: &reqwest::Client| c.get(&url).header("token", &token)
        },
        logins,
        {
            let url = format!("{base}/user/customer/user/login");
            move |c: &reqwest::Client| c.post(&url).json(&login_body)
        },
    )
    .await;
    println!(
        "authenticated read under {logins} concurrent password logins: p50 {:.2} ms, p99 {:.2} ms (target p99 < 20 ms); {:.0} reads/s, {:.0} logins/s",
        under.p50_ms, under.p99_ms, under.reads_per_sec, under.load_per_sec
    );
    if under.errors > 0 {
        println!("errors during the latency phase: {}", under.errors);
    }
    Ok(())
}

async fn register_and_login(
    http: &reqwest::Client,
    base: &str,
    data_dir: &std::path::Path,
    client_key: &str,
    phone: &str,
    password: &str,
) -> Result<String> {
    let sent: Value = http
        .get(format!("{base}/user/sms/customer/user/phone/sms/code?clientKey={client_key}&phone={phone}&useType=1"))
        .send()
        .await?
        .json()
        .await?;
    if sent["code"] != 200 {
        bail!("sending the code failed: {sent}");
    }
    let outbox =
        std::fs::read_to_string(data_dir.join("outbox.jsonl")).context("reading outbox.jsonl")?;
    let code = outbox
        .lines()
        .rev()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find(|m| m["to"] == phone)
        .and_then(|m| m["code"].as_str().map(str::to_owned))
        .context("no code in the outbox")?;
    let username = format!("bench{phone}");
    let reg: Value = http
        .post(format!("{base}/user/customer/user/register"))
        .json(&json!({"clientKey": client_key, "phone": phone, "username": username, "password": password, "verifyCode": code}))
        .send()
        .await?
        .json()
        .await?;
    if reg["code"] != 200 {
        bail!("register failed: {reg}");
    }
    let login: Value = http
        .post(format!("{base}/user/customer/user/login"))
        .json(&json!({"clientKey": client_key, "phone": phone, "password": password}))
        .send()
        .await?
        .json()
        .await?;
    login["data"]["token"]
        .as_str()
        .map(str::to_owned)
        .context("login failed")
}
