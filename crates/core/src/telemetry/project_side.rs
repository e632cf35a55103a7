//! What the project API (seed 003 设备数据, 设备通信) calls. Device ids come
//! from the URL: an id that is not a number, names no device or names
//! another project's device answers `NotFound("device")`.

use std::collections::HashMap;
use std::time::Duration;

use bytes::Bytes;
use chrono::TimeDelta;
use serde_json::{Map, Value};

use super::gateways::Route;
use super::model::{
    AttributeView, Attributes, CommandOutcome, ConnectedDevice, Delivery, Downlink, Point,
    PushMode, SeriesQuery,
};
use super::validate::{ATTRIBUTES_MAX, check_attributes, check_message_id, is_identifier};
use super::{ReportError, Telemetry};
use crate::error::DomainError;
use crate::model::ProjectId;
use crate::project::devices::parse_id;
use crate::{Time, now, secret};

/// The longest window of a history query.
pub const SERIES_WINDOW_MAX: TimeDelta = TimeDelta::days(30);
/// Most points on one page of history.
pub const PAGE_RECORDS_MAX: u64 = 100;
/// Digits of a command id the cloud picks.
const COMMAND_ID_DIGITS: usize = 9;

/// A refused set of attributes, for the project API.
fn invalid_attributes(field: &'static str, e: ReportError) -> DomainError {
    match e {
        ReportError::Invalid(message) => DomainError::invalid(field, message),
        ReportError::Unavailable => DomainError::Internal,
    }
}

/// The id of a command body: its `id` (a number or an id string), or a
/// fresh number written into the body.
fn command_id(body: &mut Map<String, Value>) -> Result<String, DomainError> {
    let bad = || {
        DomainError::invalid(
            "id",
            "id must be a non-negative integer or 1 to 64 letters, digits, '_', '-' or '.'",
        )
    };
    match body.get("id") {
        None | Some(Value::Null) => {
            let id = secret::numeric_id(COMMAND_ID_DIGITS);
            let number = id.parse::<u64>().map_err(|_| DomainError::Internal)?;
            body.insert("id".into(), Value::from(number));
            Ok(id)
        }
        Some(Value::Number(n)) => n.as_u64().map(|n| n.to_string()).ok_or_else(bad),
        Some(Value::String(s)) => check_message_id(s).map(|()| s.clone()).map_err(|_| bad()),
        Some(_) => Err(bad()),
    }
}

impl Telemetry {
    /// The project's device named by a URL id.
    async fn project_device(
        &self,
        project: ProjectId,
        device: &str,
    ) -> Result<ConnectedDevice, DomainError> {
        let id = parse_id(device, "device")?;
        self.data()
            .project_device(project, id)
            .await?
            .ok_or(DomainError::NotFound("device"))
    }

    /// `GET /api/v1/device/<id>/attributes`: current values by identifier,
    /// each with its model on the device's type (if it has one).
    pub async fn attributes(
        &self,
        project: ProjectId,
        device: &str,
    ) -> Result<Vec<AttributeView>, DomainError> {
        let device = self.project_device(project, device).await?;
        let current = self.data().current_attributes(device.device).await?;
        let mut models: HashMap<_, _> = match device.type_id {
            Some(t) => self
                .data()
                .attribute_models(t)
                .await?
                .into_iter()
                .map(|m| (m.identifier.clone(), m))
                .collect(),
            None => HashMap::new(),
        };
        Ok(current
            .into_iter()
            .map(|attribute| AttributeView {
                model: models.remove(&attribute.identifier),
                attribute,
            })
            .collect())
    }

    /// `GET /api/v1/device/<id>/attributes_raw`: identifier → value.
    pub async fn attributes_raw(
        &self,
        project: ProjectId,
        device: &str,
    ) -> Result<Attributes, DomainError> {
        let device = self.project_device(project, device).await?;
        Ok(self
            .data()
            .current_attributes(device.device)
            .await?
            .into_iter()
            .map(|a| (a.identifier, a.value))
            .collect())
    }

    /// `GET /api/v1/device/<id>/attribute/<identifier>/series`: page
    /// `page` (from 1) of `page_records` (1..=100) points, newest first,
    /// within `window` (`start_time`, `end_time`: at most 30 days apart;
    /// the last 30 days by default). A malformed identifier is refused
    /// (`identifier`); one without history answers an empty page.
    pub async fn series(
        &self,
        project: ProjectId,
        device: &str,
        identifier: &str,
        page: u64,
        page_records: u64,
        window: Option<(Time, Time)>,
    ) -> Result<Vec<Point>, DomainError> {
        if page < 1 {
            return Err(DomainError::invalid(
                "page",
                "page must be a positive integer",
            ));
        }
        if !(1..=PAGE_RECORDS_MAX).contains(&page_records) {
            return Err(DomainError::invalid(
                "page_records",
                format!("page_records must be between 1 and {PAGE_RECORDS_MAX}"),
            ));
        }
        let (start, end) = match window {
            Some((start, end)) => {
                if start > end {
                    return Err(DomainError::invalid(
                        "start_time",
                        "start_time must not be after end_time",
                    ));
                }
                if end - start > SERIES_WINDOW_MAX {
                    return Err(DomainError::invalid(
                        "start_time",
                        "start_time and end_time must be at most 30 days apart",
                    ));
                }
                (start, end)
            }
            None => {
                let end = now();
                (end - SERIES_WINDOW_MAX, end)
            }
        };
        let device = self.project_device(project, device).await?;
        if !is_identifier(identifier) {
            return Err(DomainError::invalid(
                "identifier",
                "identifier must start with a letter or '_' and hold at most 64 letters, \
                 digits or '_'",
            ));
        }
        let query = SeriesQuery {
            device: device.device,
            identifier: identifier.to_owned(),
            start,
            end,
            offset: (page - 1).saturating_mul(page_records),
            limit: page_records,
        };
        Ok(self.data().series(&query).await?)
    }

    /// `POST /api/v1/device/<id>/attributes_remove`: 1 to 256 keys; their
    /// current values go (history stays); unknown keys are ignored.
    pub async fn remove_attributes(
        &self,
        project: ProjectId,
        device: &str,
        keys: &[String],
    ) -> Result<(), DomainError> {
        if keys.is_empty() {
            return Err(DomainError::required("keys"));
        }
        if keys.len() > ATTRIBUTES_MAX {
            return Err(DomainError::invalid(
                "keys",
                format!("keys may hold at most {ATTRIBUTES_MAX} identifiers"),
            ));
        }
        let device = self.project_device(project, device).await?;
        self.data().remove_attributes(device.device, keys).await?;
        Ok(())
    }

    /// `POST /api/v1/control/device/<id>/attributes`: pushed on
    /// `attributes/push` now (a sub-device without a connection of its own:
    /// on its gateway's `gateway/attributes/push`), or [`Delivery::Offline`] (nothing kept).
    pub async fn push_attributes(
        &self,
        project: ProjectId,
        device: &str,
        attrs: Attributes,
    ) -> Result<Delivery, DomainError> {
        let device = self.project_device(project, device).await?;
        check_attributes(&attrs).map_err(|e| invalid_attributes("attributes", e))?;
        self.send_routed(&device, Downlink::AttributesPush(attrs))
            .await
    }

    /// `PUT /api/v1/control/device/<id>/attributes`: stored as cloud
    /// attributes (current value and history; types learned and checked
    /// like reports), pushed now if the device is connected, and pushed
    /// again when it next connects or asks.
    pub async fn set_cloud_attributes(
        &self,
        project: ProjectId,
        device: &str,
        attrs: Attributes,
    ) -> Result<(), DomainError> {
        let device = self.project_device(project, device).await?;
        check_attributes(&attrs).map_err(|e| invalid_attributes("attributes", e))?;
        self.check_types(device.type_id, &attrs)
            .await
            .map_err(|e| invalid_attributes("attributes", e))?;
        self.data()
            .set_cloud_attributes(device.device, &attrs, now())
            .await?;
        // Best effort: an offline device gets them on its next connect.
        let _ = self
            .send_routed(&device, Downlink::AttributesPush(attrs))
            .await;
        Ok(())
    }

    /// `POST /api/v1/control/device/<id>/command`: `body` is a JSON object
    /// with a `method` string, optional `params` and an optional `id` (a
    /// number, or an id string; a number is picked and written into the
    /// body when absent). Sent on `command/send/<id>` and recorded; the
    /// reply is awaited at most `wait` (`Duration::ZERO`: not awaited).
    /// A sub-device without a connection of its own gets it through its
    /// gateway (`gateway/command/send/<id>`). An offline device gets
    /// nothing: [`CommandOutcome::Offline`].
    pub async fn command(
        &self,
        project: ProjectId,
        device: &str,
        body: Value,
        wait: Duration,
    ) -> Result<CommandOutcome, DomainError> {
        let device = self.project_device(project, device).await?;
        let Value::Object(mut body) = body else {
            return Err(DomainError::invalid(
                "method",
                "the body must be a JSON object",
            ));
        };
        match body.get("method") {
            Some(Value::String(m)) if !m.is_empty() => {}
            Some(_) => {
                return Err(DomainError::invalid(
                    "method",
                    "method must be a non-empty string",
                ));
            }
            None => return Err(DomainError::required("method")),
        }
        let id = command_id(&mut body)?;
        let route = self.route(&device).await?;
        if route == Route::Offline {
            return Ok(CommandOutcome::Offline);
        }
        let body = Value::Object(body);
        self.data()
            .record_command(device.device, &id, &body, now())
            .await?;
        Ok(self
            .command_routed(route, device.device, id, body, wait)
            .await)
    }

    /// `POST /api/v1/control/device/<id>/data/<identifier>/set`: the
    /// payload on `data/<identifier>/set` (MQTT) or as a raw frame (TCP);
    /// [`Delivery::Offline`] when the device has no live connection.
    pub async fn send_data(
        &self,
        project: ProjectId,
        device: &str,
        identifier: &str,
        mode: PushMode,
        payload: Bytes,
    ) -> Result<Delivery, DomainError> {
        let device = self.project_device(project, device).await?;
        if !is_identifier(identifier) {
            return Err(DomainError::invalid(
                "identifier",
                "identifier must start with a letter or '_' and hold at most 64 letters, \
                 digits or '_'",
            ));
        }
        let msg = Downlink::Data {
            identifier: identifier.to_owned(),
            payload,
            mode,
        };
        Ok(self.bus().send(device.device, msg).await)
    }
}
