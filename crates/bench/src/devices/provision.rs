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

/// A device type of the project: its id and the key devices register with.
#[derive(Debug, Clone)]
pub struct DeviceType {
    pub id: String,
    pub type_key: String,
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

    /// `POST` of `body` to the project API path `path`: the `info` of a
    /// successful answer.
    pub async fn post(&self, path: &str, body: &Value) -> Result<Value> {
        let mut answer: Value = self
            .http
            .post(format!("{}/api/v1/{path}", self.base))
            .bearer_auth(&self.token)
            .json(body)
            .send()
            .await?
            .json()
            .await?;
        if answer["result"] != true {
            bail!("POST /api/v1/{path} failed: {answer}");
        }
        Ok(answer["info"].take())
    }

    /// A new device type named `name`.
    pub async fn device_type(&self, name: &str) -> Result<DeviceType> {
        let info = self.post("device_type", &json!({"name": name})).await?;
        match (id_of(&info["id"]), info["type_key"].as_str()) {
            (Some(id), Some(key)) => Ok(DeviceType {
                id,
                type_key: key.to_owned(),
            }),
            _ => bail!("POST /api/v1/device_type answered {info}"),
        }
    }

    /// Attribute report `body` from `device` over the HTTP device API.
    pub async fn report(&self, device: &Device, body: &Value) -> Result<()> {
        let answer = self
            .http
            .post(format!(
                "{}/device/v1/{}/attributes",
                self.base, device.access_token
            ))
            .header("Project-Key", &self.project_key)
            .json(body)
            .send()
            .await?;
        let status = answer.status();
        if !status.is_success() {
            bail!(
                "the HTTP attribute report answered {status}: {}",
                answer.text().await.unwrap_or_default()
            );
        }
        Ok(())
    }

    /// `POST /api/v1/device_type/<id>/alarm_rules` with `rule`. The type
    /// learns attribute identifiers from reports as they are written, so a
    /// rule naming one refused at first is tried again for up to 10 s.
    pub async fn alarm_rule(&self, type_id: &str, rule: &Value) -> Result<Value> {
        let path = format!("device_type/{type_id}/alarm_rules");
        let deadline = Instant::now() + std::time::Duration::from_secs(10);
        loop {
            match self.post(&path, rule).await {
                Ok(info) => return Ok(info),
                Err(_) if Instant::now() < deadline => {
                    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// One device with the key `device_key`, through whichever way works.
    async fn create(
        &self,
        device_key: &str,
        device_api: bool,
        of_type: Option<&DeviceType>,
    ) -> Result<Device> {
        if device_api {
            let mut body = json!({"device_key": device_key});
            if let Some(t) = of_type {
                body["type_key"] = json!(t.type_key);
            }
            let answer: Value = self
                .http
                .post(format!("{}/device/v1/certificate", self.base))
                .header("Project-Key", &self.project_key)
                .json(&body)
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
        let mut body = json!({"name": device_key, "device_key": device_key});
        if let Some(t) = of_type {
            body["type"] = json!(t.id);
        }
        let created: Value = self
            .http
            .post(format!("{}/api/v1/device", self.base))
            .bearer_auth(&self.token)
            .json(&body)
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
    async fn has_device_api(&self, probe_key: &str, of_type: Option<&DeviceType>) -> bool {
        self.create(probe_key, true, of_type).await.is_ok()
    }

    /// `count` devices keyed `<prefix>-<n>`, `concurrency` requests at once,
    /// of the project's default type or of `of_type`.
    pub async fn devices(
        &self,
        prefix: &str,
        count: usize,
        concurrency: usize,
        of_type: Option<&DeviceType>,
    ) -> Result<Vec<Device>> {
        let started = Instant::now();
        let device_api = self.has_device_api(&format!("{prefix}-0"), of_type).await;
        let next = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..concurrency.max(1) {
            let (api, next, prefix) = (self.clone(), next.clone(), prefix.to_owned());
            let of_type = of_type.cloned();
            tasks.push(tokio::spawn(async move {
                let mut made = Vec::new();
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= count {
                        break;
                    }
                    let device = api
                        .create(&format!("{prefix}-{n}"), device_api, of_type.as_ref())
                        .await?;
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
