//! Alarms under load: rules that every report is checked against without
//! firing (for `devices-ingest --alarm-rules`), and `alarm-latency`, the
//! time from a report that opens an alarm to the app push reaching the push
//! gateway, measured with a webhook receiver of our own.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;
use tokio::sync::mpsc;

use super::conn::Target;
use super::fleet::{self, Control, Shape};
use super::mqtt;
use super::probe::percentile;
use super::provision::{Api, Device, DeviceType};
use super::result;

/// `n` rules on `of_type` that every bench report is checked against and
/// none makes true: the bench's two attributes compared with thresholds far
/// outside its values, through every ordering operator and `==`. One report
/// from `device` first, so that the type knows both attributes.
pub async fn quiet_rules(api: &Api, of_type: &DeviceType, device: &Device, n: usize) -> Result<()> {
    if n == 0 {
        return Ok(());
    }
    let started = Instant::now();
    let mut report = Vec::new();
    fleet::report(&mut report, 0);
    let report: Value = serde_json::from_slice(&report)?;
    api.report(device, &report).await?;
    const OPS: [&str; 5] = [">", ">=", "<", "<=", "=="];
    for i in 0..n {
        let identifier = if i % 2 == 0 {
            "temperature"
        } else {
            "humidity"
        };
        let operator = OPS[(i / 2) % OPS.len()];
        let far = 1.0e9 + i as f64;
        let threshold = if operator.starts_with('>') { far } else { -far };
        let rule = json!({
            "name": format!("bench {i}"),
            "identifier": identifier,
            "operator": operator,
            "threshold": threshold,
            "level": 1 + i % 3,
            "message": format!("bench rule {i}: ${{{identifier}}}"),
        });
        api.alarm_rule(&of_type.id, &rule).await?;
    }
    println!(
        "{n} alarm rules on device type {} (never true for the bench's values), created in {:.1} s",
        of_type.id,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

#[derive(clap::Args)]
pub struct LatencyArgs {
    /// Base URL of the server's HTTP API, e.g. http://127.0.0.1:8080
    #[arg(long)]
    base: String,
    /// The server's data directory (credentials are read from it).
    #[arg(long)]
    data_dir: PathBuf,
    /// The server's MQTT listener.
    #[arg(long)]
    mqtt: SocketAddr,
    /// Where the push webhook receiver listens; the server must have been
    /// started with `--push-webhook-url http://<this address>/push`.
    #[arg(long, default_value = "127.0.0.1:0")]
    hook_listen: SocketAddr,
    /// Seconds of alternating reports.
    #[arg(long, default_value_t = 20)]
    seconds: u64,
    /// Milliseconds between two reports of the alarm device (a report that
    /// opens the alarm, then one that closes it).
    #[arg(long, default_value_t = 100)]
    interval_ms: u64,
    /// QoS 0 reports per second from other devices meanwhile (0: none).
    #[arg(long, default_value_t = 0.0)]
    background_rate: f64,
    /// Devices sending the background reports.
    #[arg(long, default_value_t = 1000)]
    background_devices: usize,
    /// Source addresses 127.0.0.1 ..= 127.0.0.N.
    #[arg(long, default_value_t = 4)]
    sources: u8,
}

/// A push as it reached the receiver.
struct Arrival {
    at: Instant,
    body: Value,
}

pub async fn run(a: LatencyArgs) -> Result<()> {
    let (hook_tx, mut hooks) = mpsc::unbounded_channel::<Arrival>();
    let listener = tokio::net::TcpListener::bind(a.hook_listen)
        .await
        .with_context(|| format!("binding the webhook receiver to {}", a.hook_listen))?;
    let hook_addr = listener.local_addr()?;
    let router = axum::Router::new().fallback(receive).with_state(hook_tx);
    tokio::spawn(async move { axum::serve(listener, router).await });
    println!("push webhook receiver on http://{hook_addr}/push");

    let api = Api::sign_in(&a.base, &a.data_dir).await?;
    let nonce = u64::from(std::process::id());
    let of_type = api.device_type(&format!("alarm-bench-{nonce}")).await?;
    let devices = api
        .devices(&format!("alarm-{nonce}"), 1, 1, Some(&of_type))
        .await?;
    let device = devices.first().context("no alarm device was created")?;
    // The type learns `temperature` and `seq` before the rule names them.
    api.report(device, &json!({"temperature": 20, "seq": 0}))
        .await?;
    let rule = api
        .alarm_rule(
            &of_type.id,
            &json!({"name": "hot", "identifier": "temperature", "operator": ">", "threshold": 30,
                    "level": 2, "message": "hot ${temperature} seq ${seq}"}),
        )
        .await?;
    let token = customer_session(&api, &a.data_dir, &device.id, nonce).await?;
    bind_push_channel(&api, &token).await?;
    println!(
        "device {} of type {} with rule {} (temperature > 30), bound to a customer with one push channel",
        device.id, of_type.id, rule["id"]
    );

    let target = Target::new(a.mqtt, a.sources, 128);
    let ctl = Control::new();
    let mut publishers = Vec::new();
    if a.background_rate > 0.0 {
        let others = api
            .devices(
                &format!("alarm-load-{nonce}"),
                a.background_devices,
                16,
                None,
            )
            .await?;
        for (n, d) in others.iter().enumerate() {
            let (stream, reader) = target
                .mqtt(
                    n + 1,
                    &format!("load-{n}"),
                    Some((&d.access_token, &api.project_key)),
                    300,
                )
                .await
                .context("a background device could not connect")?;
            publishers.push(tokio::spawn(fleet::publisher(
                stream,
                reader,
                "attributes".into(),
                ctl.clone(),
                Shape {
                    batch: 8,
                    inflight: 8,
                },
            )));
        }
        ctl.pace(a.background_rate / others.len().max(1) as f64);
        ctl.run(0);
        tokio::time::sleep(Duration::from_secs(3)).await;
        println!(
            "{} background devices sending QoS 0 reports at {:.0}/s",
            others.len(),
            a.background_rate
        );
    }

    // The alarm device: opening and closing reports in turn.
    let (stream, mut reader) = target
        .mqtt(
            0,
            "alarm-device",
            Some((&device.access_token, &api.project_key)),
            300,
        )
        .await
        .context("the alarm device could not connect")?;
    let (mut rd, mut wr) = stream.into_split();
    // PUBACKs are read and dropped.
    let drain = tokio::spawn(async move { while reader.next(&mut rd).await.is_ok() {} });
    let mut sent: HashMap<u64, Instant> = HashMap::new();
    let mut out = Vec::with_capacity(96);
    let mut tick = tokio::time::interval(Duration::from_millis(a.interval_ms.max(1)));
    let end = Instant::now() + Duration::from_secs(a.seconds);
    let (mut seq, mut packet_id, mut opened) = (0u64, 0u16, 0u64);
    while Instant::now() < end {
        tick.tick().await;
        seq += 1;
        packet_id = packet_id.checked_add(1).unwrap_or(1);
        let opens = seq % 2 == 1;
        let temperature = if opens { 35 } else { 20 };
        out.clear();
        mqtt::publish(
            &mut out,
            "attributes",
            format!(r#"{{"temperature":{temperature},"seq":{seq}}}"#).as_bytes(),
            1,
            packet_id,
        );
        let at = Instant::now();
        if opens {
            sent.insert(seq, at);
            opened += 1;
        }
        wr.write_all(&out).await?;
    }
    // Pushes still on their way.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let _ = wr.write_all(&mqtt::DISCONNECT).await;
    drain.abort();
    ctl.quit();
    for p in publishers {
        let _ = p.await;
    }
    let lost = ctl.lost.load(Ordering::Relaxed);
    let background_sent = ctl.sent.load(Ordering::Relaxed);
    let mut samples = Vec::new();
    let mut other = 0u64;
    while let Ok(p) = hooks.try_recv() {
        let seq = if p.body["event"] == "open" {
            seq_of(&p.body["alarm"]["message"])
        } else {
            None
        };
        match seq.and_then(|s| sent.remove(&s)) {
            Some(at) => samples.push(p.at.saturating_duration_since(at)),
            None => other += 1,
        }
    }
    let n = samples.len();
    let (p50, p99) = (
        percentile(&mut samples, 0.50),
        percentile(&mut samples, 0.99),
    );
    let max = samples
        .last()
        .map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0);
    let missed = opened.saturating_sub(n as u64);
    println!(
        "alarm push: {n} of {opened} opening reports pushed; report published -> push webhook called: p50 {p50:.1} ms, p99 {p99:.1} ms, max {max:.1} ms (target p99 < 200 ms); {missed} without a push within 5 s, {other} other pushes"
    );
    if a.background_rate > 0.0 {
        println!(
            "  meanwhile {background_sent} background QoS 0 reports sent ({:.0}/s asked){}",
            a.background_rate,
            if lost > 0 {
                format!(", {lost} background connections lost")
            } else {
                String::new()
            }
        );
    }
    result("alarm_push_count", n as f64);
    result("alarm_push_opened", opened as f64);
    result("alarm_push_missed", missed as f64);
    result("alarm_push_p50_ms", p50);
    result("alarm_push_p99_ms", p99);
    result("alarm_push_max_ms", max);
    result("alarm_push_background_rate", a.background_rate);
    Ok(())
}

/// The webhook receiver: every POST is a push; it is answered 200 at once.
async fn receive(State(tx): State<mpsc::UnboundedSender<Arrival>>, body: Bytes) -> StatusCode {
    let at = Instant::now();
    let body = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let _ = tx.send(Arrival { at, body });
    StatusCode::OK
}

/// The report number in a message `hot <temperature> seq <n>`.
fn seq_of(message: &Value) -> Option<u64> {
    let text = message.as_str()?;
    let n: f64 = text.rsplit_once("seq ")?.1.trim().parse().ok()?;
    Some(n as u64)
}

/// A customer who is given `device`, logged in through seed 000: its
/// session token.
async fn customer_session(
    api: &Api,
    data_dir: &std::path::Path,
    device: &str,
    nonce: u64,
) -> Result<String> {
    let account = format!("benchalarm{nonce}");
    let password = "bench-password-1";
    let customer = api
        .post(
            "customer",
            &json!({"name": "alarm bench", "account": account, "password": password}),
        )
        .await?;
    let id = customer["id"]
        .as_str()
        .with_context(|| format!("POST /api/v1/customer answered {customer}"))?;
    api.post(
        &format!("customer/{id}/devices"),
        &json!({"devices": [device]}),
    )
    .await?;
    let creds: Value = serde_json::from_slice(
        &std::fs::read(data_dir.join("initial-credentials.json"))
            .context("reading initial-credentials.json")?,
    )?;
    let client_key = creds["mobile_app"]["client_key"]
        .as_str()
        .context("no mobile_app.client_key in initial-credentials.json")?;
    let login: Value = api
        .http
        .post(format!("{}/user/customer/user/login", api.base))
        .json(&json!({"clientKey": client_key, "username": account, "password": password}))
        .send()
        .await?
        .json()
        .await?;
    login["data"]["token"]
        .as_str()
        .map(str::to_owned)
        .with_context(|| format!("the customer's login failed: {login}"))
}

/// Seed 002 `bindPushChannel` for the session `token`.
async fn bind_push_channel(api: &Api, token: &str) -> Result<()> {
    let answer: Value = api
        .http
        .post(format!("{}/uc/bindPushChannel", api.base))
        .json(
            &json!({"id": "1", "version": "1.0", "request": {"iotToken": token, "apiVer": "1.0.2"},
                      "params": {"deviceId": "bench-phone", "deviceType": "ios"}}),
        )
        .send()
        .await?
        .json()
        .await?;
    if answer["code"] != 200 {
        bail!("bindPushChannel failed: {answer}");
    }
    Ok(())
}
