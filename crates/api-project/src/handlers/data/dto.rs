//! Bodies of the device data endpoints, field names as seed 003 has them,
//! and the parsing of the history query.

use chrono::{DateTime, Duration};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use thingstead_core::telemetry::{AttrType, AttributeModel, AttributeView, DataType, Point};
use thingstead_core::{DomainError, Time};
use thingstead_http::LooseInt;
use utoipa::ToSchema;

use crate::handlers::devices::dto::millis;

/// `report` (written by the device) or `cloud` (written through the API).
pub fn attr_type_name(t: AttrType) -> &'static str {
    match t {
        AttrType::Report => "report",
        AttrType::Cloud => "cloud",
    }
}

/// `number`, `boolean`, `string` or `json` (objects and arrays).
pub fn data_type_name(t: DataType) -> &'static str {
    match t {
        DataType::Number => "number",
        DataType::Boolean => "boolean",
        DataType::String => "string",
        DataType::Json => "json",
    }
}

/// The definition an attribute has on the device's type.
#[derive(Debug, Serialize, ToSchema)]
pub struct ModelItem {
    pub name: String,
    /// `report` or `cloud`.
    pub attr_type: &'static str,
    /// `number`, `boolean`, `string` or `json`.
    pub data_type: &'static str,
    /// Always `{}` for now.
    #[schema(value_type = Object)]
    pub data_options: Map<String, Value>,
}

impl From<AttributeModel> for ModelItem {
    fn from(m: AttributeModel) -> Self {
        ModelItem {
            name: m.name,
            attr_type: attr_type_name(m.attr_type),
            data_type: data_type_name(m.data_type),
            data_options: Map::new(),
        }
    }
}

/// One item of `GET /device/{id}/attributes`.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttributeItem {
    pub identifier: String,
    #[schema(value_type = Object)]
    pub value: Value,
    /// `report` or `cloud`.
    pub attr_type: &'static str,
    /// `number`, `boolean`, `string` or `json`.
    pub data_type: &'static str,
    /// When the value was written, unix milliseconds.
    pub ts: i64,
    /// The attribute's definition; an attribute the type does not define
    /// yet shows one made of its identifier and types.
    pub model: ModelItem,
}

impl From<AttributeView> for AttributeItem {
    fn from(v: AttributeView) -> Self {
        let a = v.attribute;
        let model = v.model.map(ModelItem::from).unwrap_or_else(|| ModelItem {
            name: a.identifier.clone(),
            attr_type: attr_type_name(a.attr_type),
            data_type: data_type_name(a.data_type),
            data_options: Map::new(),
        });
        AttributeItem {
            attr_type: attr_type_name(a.attr_type),
            data_type: data_type_name(a.data_type),
            ts: millis(a.ts),
            identifier: a.identifier,
            value: a.value,
            model,
        }
    }
}

/// One point of `GET /device/{id}/attribute/{identifier}/series`.
#[derive(Debug, Serialize, ToSchema)]
pub struct PointItem {
    /// Unix milliseconds.
    pub ts: i64,
    /// The attribute's identifier.
    pub name: String,
    #[schema(value_type = Object)]
    pub value: Value,
    /// `number`, `boolean`, `string` or `json`.
    #[serde(rename = "type")]
    pub data_type: &'static str,
}

impl From<Point> for PointItem {
    fn from(p: Point) -> Self {
        PointItem {
            ts: millis(p.ts),
            name: p.identifier,
            value: p.value,
            data_type: data_type_name(p.data_type),
        }
    }
}

/// The query of the history endpoint; numbers may be sent as text.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SeriesParams {
    pub page: Option<LooseInt>,
    pub page_records: Option<LooseInt>,
    pub start_time: Option<LooseInt>,
    pub end_time: Option<LooseInt>,
}

/// Default and largest `page_records`.
pub const PAGE_RECORDS_DEFAULT: u64 = 20;
pub const PAGE_RECORDS_MAX: u64 = 100;
/// Pages deeper than this are refused (a hundred million points).
pub const PAGE_MAX: u64 = 1_000_000;
/// The longest time window, in days.
pub const WINDOW_DAYS: i64 = 30;

/// A read of the history: page, page size and time window.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesRead {
    pub page: u64,
    pub page_records: u64,
    pub window: Option<(Time, Time)>,
}

impl SeriesParams {
    /// Checks the query: `page` from 1, `page_records` 1–100, times in
    /// unix milliseconds no more than 30 days apart. One time alone takes
    /// the 30 days after `start_time` or before `end_time`.
    pub fn read(&self) -> Result<SeriesRead, DomainError> {
        let page = match self.page {
            None => 1,
            Some(LooseInt(p)) if (1..=PAGE_MAX as i64).contains(&p) => p as u64,
            Some(_) => {
                return Err(DomainError::invalid(
                    "page",
                    format!("page must be a whole number from 1 to {PAGE_MAX}"),
                ));
            }
        };
        let page_records = match self.page_records {
            None => PAGE_RECORDS_DEFAULT,
            Some(LooseInt(n)) if (1..=PAGE_RECORDS_MAX as i64).contains(&n) => n as u64,
            Some(_) => {
                return Err(DomainError::invalid(
                    "page_records",
                    format!("page_records must be a whole number from 1 to {PAGE_RECORDS_MAX}"),
                ));
            }
        };
        let start = self.start_time.map(|t| time("start_time", t)).transpose()?;
        let end = self.end_time.map(|t| time("end_time", t)).transpose()?;
        let span = Duration::days(WINDOW_DAYS);
        let window = match (start, end) {
            (None, None) => None,
            (Some(s), None) => Some((s, s + span)),
            (None, Some(e)) => Some((e - span, e)),
            (Some(s), Some(e)) => {
                if e < s {
                    return Err(DomainError::invalid(
                        "end_time",
                        "end_time must not be before start_time",
                    ));
                }
                if e - s > span {
                    return Err(DomainError::invalid(
                        "end_time",
                        format!("end_time must be at most {WINDOW_DAYS} days after start_time"),
                    ));
                }
                Some((s, e))
            }
        };
        Ok(SeriesRead {
            page,
            page_records,
            window,
        })
    }
}

/// A time in unix milliseconds, from year 1970 to 9999.
fn time(field: &'static str, LooseInt(ms): LooseInt) -> Result<Time, DomainError> {
    const LAST: i64 = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z
    if !(0..=LAST).contains(&ms) {
        return Err(DomainError::invalid(
            field,
            format!("{field} must be a time in unix milliseconds"),
        ));
    }
    DateTime::from_timestamp_millis(ms).ok_or_else(|| {
        DomainError::invalid(
            field,
            format!("{field} must be a time in unix milliseconds"),
        )
    })
}

/// `POST /device/{id}/attributes_remove`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RemoveBody {
    /// Identifiers of the attributes to remove (1 to 256).
    pub keys: Option<Vec<String>>,
}

/// Most identifiers one `attributes_remove` takes.
pub const REMOVE_MAX: usize = thingstead_core::telemetry::validate::ATTRIBUTES_MAX;

impl RemoveBody {
    /// The keys, checked: present, 1 to 100, none blank.
    pub fn keys(self) -> Result<Vec<String>, DomainError> {
        let keys = self.keys.ok_or(DomainError::required("keys"))?;
        if keys.is_empty() || keys.len() > REMOVE_MAX {
            return Err(DomainError::invalid(
                "keys",
                format!("keys must list 1 to {REMOVE_MAX} identifiers"),
            ));
        }
        if keys.iter().any(|k| k.trim().is_empty()) {
            return Err(DomainError::invalid(
                "keys",
                "keys must not contain blank identifiers",
            ));
        }
        Ok(keys)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn params(page: Option<i64>, rec: Option<i64>, s: Option<i64>, e: Option<i64>) -> SeriesParams {
        SeriesParams {
            page: page.map(LooseInt),
            page_records: rec.map(LooseInt),
            start_time: s.map(LooseInt),
            end_time: e.map(LooseInt),
        }
    }

    fn field(r: Result<SeriesRead, DomainError>) -> &'static str {
        match r {
            Err(DomainError::Invalid { field, .. }) => field,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn defaults_are_page_one_of_twenty_without_window() {
        let r = params(None, None, None, None).read().unwrap();
        assert_eq!(
            r,
            SeriesRead {
                page: 1,
                page_records: 20,
                window: None
            }
        );
    }

    #[test]
    fn bounds_name_their_field() {
        assert_eq!(field(params(Some(0), None, None, None).read()), "page");
        assert_eq!(field(params(Some(-3), None, None, None).read()), "page");
        assert_eq!(
            field(params(None, Some(0), None, None).read()),
            "page_records"
        );
        assert_eq!(
            field(params(None, Some(101), None, None).read()),
            "page_records"
        );
        assert_eq!(
            params(None, Some(100), None, None)
                .read()
                .unwrap()
                .page_records,
            100
        );
        assert_eq!(
            field(params(None, None, Some(-1), None).read()),
            "start_time"
        );
        assert_eq!(
            field(params(None, None, None, Some(i64::MAX)).read()),
            "end_time"
        );
    }

    #[test]
    fn windows_are_at_most_thirty_days() {
        let day = 86_400_000;
        let s = 1_700_000_000_000;
        assert_eq!(
            field(params(None, None, Some(s), Some(s - 1)).read()),
            "end_time"
        );
        assert_eq!(
            field(params(None, None, Some(s), Some(s + 30 * day + 1)).read()),
            "end_time"
        );
        let (a, b) = params(None, None, Some(s), Some(s + 30 * day))
            .read()
            .unwrap()
            .window
            .unwrap();
        assert_eq!((millis(a), millis(b)), (s, s + 30 * day));
        let (a, b) = params(None, None, Some(s), None)
            .read()
            .unwrap()
            .window
            .unwrap();
        assert_eq!((millis(a), millis(b)), (s, s + 30 * day));
        let (a, b) = params(None, None, None, Some(s))
            .read()
            .unwrap()
            .window
            .unwrap();
        assert_eq!((millis(a), millis(b)), (s - 30 * day, s));
    }
}
