//! Devices with their own certificates, created over HTTP: through the
//! one-key-per-type call `POST /device/v1/certificate` where the server has
//! it, otherwise through the project API (`POST /api/v1/device`, then
//! `GET /api/v1/device/<id>/certificate`).

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

/// A device's id and MQTT user name.
#[derive(Debug, Clone)]
pub struct Device {
    pub id: String,
    pub access_token: String,
}

/// The project API as the benchmark's app sees it.
#[derive(Clone)]
pub struct Api {
    pub http: reqwest::Client,
    pub base: String,
    pub token: String,
    pub project_key: String,
}

impl Api {
    /// Signs in as the API app from the server's `initial-credentials.json`.
    pub async fn sign_in(base: &str, data_dir: &Path) -> Result<Self> {
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(256)
            .build()?;
        let creds: Value = serde_json::from_slice(
            &std::fs::read(data_dir.join("initial-credentials.json"))
                .context("reading initial-credentials.json")?,
        )?;
        let app = &creds["api_app"];
        let answer: Value = http
            .post(format!("{base}/api/v1/access_token"))
            .json(&json!({"app_id": app["app_id"], "access_key": app["access_key"], "secret_key": app["secret_key"]}))
            .send()
            .await?
            .json()
            .await?;
        let Some(token) = answer["info"]["access_token"].as_str() else {
            bail!("access_token failed: {answer}");
        };
        let project_key = creds["project_key"]
            .as_str()
            .context("no project_key in initial-credentials.json")?;
        Ok(Api {
            http,
            base: base.to_owned(),
            token: token.to_owned(),
            project_key: project_key.to_owned(),
        })
    }

    /// `GET /api/v1/device/<id>/attributes`: the `info` array.
    pub async fn attributes(&self, device: &str) -> Result<Value> {
        let mut answer: Value = self
            .http
            .get(format!("{}/api/v1/device/{device}/attributes", self.base))
            .bearer_auth(&self.token)
            .send()
            .await?
            .json()
            .await?;
        if answer["result"] != true {
            bail!("attributes failed: {answer}");
        }
        Ok(answer["info"].take())
    }

    /// One device with the key `device_key`, through whichever way works.
    async fn create(&self, device_key: &str, device_api: bool) -> Result<Device> {
        if device_api {
            let answer: Value = self
                .http
                .post(format!("{}/device/v1/certificate", self.base))
                .header("Project-Key", &self.project_key)
                .json(&json!({"device_key": device_key}))
                .send()
                .await?
                .json()
                .await?;
            let d = &answer["device"];
            return match (id_of(&d["id"]), d["access_token"].as_str()) {
                (Some(id), Some(token)) => Ok(Device {
                    id,
                    access_token: token.to_owned(),
                }),
                _ => bail!("POST /device/v1/certificate failed: {answer}"),
            };
        }
        let created: Value = self
            .http
            .post(format!("{}/api/v1/device", self.base))
            .bearer_auth(&self.token)
            .json(&json!({"name": device_key, "device_key": device_key}))
            .send()
            .await?
            .json()
            .await?;
        let id = id_of(&created["info"]["id"])
            .with_context(|| format!("POST /api/v1/device failed: {created}"))?;
        let cert: Value = self
            .http
            .get(format!("{}/api/v1/device/{id}/certificate", self.base))
            .bearer_auth(&self.token)
            .send()
            .await?
            .json()
            .await?;
        let token = cert["info"]["access_token"]
            .as_str()
            .with_context(|| format!("certificate failed: {cert}"))?;
        Ok(Device {
            id,
            access_token: token.to_owned(),
        })
    }

    /// Whether `POST /device/v1/certificate` answers on this server.
    async fn has_device_api(&self, probe_key: &str) -> bool {
        self.create(probe_key, true).await.is_ok()
    }

    /// `count` devices keyed `<prefix>-<n>`, `concurrency` requests at once.
    pub async fn devices(
        &self,
        prefix: &str,
        count: usize,
        concurrency: usize,
    ) -> Result<Vec<Device>> {
        let started = Instant::now();
        let device_api = self.has_device_api(&format!("{prefix}-0")).await;
        let next = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..concurrency.max(1) {
            let (api, next, prefix) = (self.clone(), next.clone(), prefix.to_owned());
            tasks.push(tokio::spawn(async move {
                let mut made = Vec::new();
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= count {
                        break;
                    }
                    let device = api.create(&format!("{prefix}-{n}"), device_api).await?;
                    made.push((n, device));
                    if (n + 1) % 10_000 == 0 {
                        eprintln!(
                            "  {} devices provisioned, {:.0} s",
                            n + 1,
                            started.elapsed().as_secs_f64()
                        );
                    }
                }
                anyhow::Ok(made)
            }));
        }
        let mut all = Vec::with_capacity(count);
        for t in tasks {
            all.extend(t.await??);
        }
        all.sort_by_key(|(n, _)| *n);
        eprintln!(
            "{count} devices provisioned through {} in {:.1} s",
            if device_api {
                "POST /device/v1/certificate"
            } else {
                "POST /api/v1/device + GET /api/v1/device/<id>/certificate"
            },
            started.elapsed().as_secs_f64()
        );
        Ok(all.into_iter().map(|(_, d)| d).collect())
    }
}

/// Ids come as strings in seed 003; accept numbers too.
fn id_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}
