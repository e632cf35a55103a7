//! Device types and their extend-info definitions.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use thingstead_core::project::Tags;
use thingstead_core::project::devices::{
    DeviceType, DeviceTypeInput, DeviceTypeSummary, InfoDef, InfoDefInput,
};
use utoipa::ToSchema;

use super::millis;

/// One device type of `GET /device_types`.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeviceTypeItem {
    pub id: String,
    pub name: String,
    pub descr: String,
    pub tags: Tags,
    pub create_time: i64,
    pub device_count: u64,
    /// `thingscloud` unless set otherwise.
    pub conn_protocol: String,
    /// `mqtt`, `tcp` or `http`.
    pub conn_type: String,
    /// Devices of this type present it to register themselves.
    pub type_key: String,
    pub is_gateway: bool,
    pub allow_share: bool,
}

impl DeviceTypeItem {
    /// The item of a type with `device_count` devices.
    pub fn new(t: DeviceType, device_count: u64) -> Self {
        DeviceTypeItem {
            id: t.id.to_string(),
            name: t.name,
            descr: t.descr,
            tags: t.tags,
            create_time: millis(t.created_at),
            device_count,
            conn_protocol: t.conn_protocol,
            conn_type: t.conn_type,
            type_key: t.type_key,
            is_gateway: t.is_gateway,
            allow_share: t.allow_share,
        }
    }
}

impl From<DeviceTypeSummary> for DeviceTypeItem {
    fn from(s: DeviceTypeSummary) -> Self {
        DeviceTypeItem::new(s.device_type, s.device_count)
    }
}

/// **Extension** `POST /device_type` (name required) and
/// `PUT /device_type/{id}` (at least one field).
#[derive(Debug, Deserialize, ToSchema)]
pub struct DeviceTypeBody {
    pub name: Option<String>,
    pub descr: Option<String>,
    pub tags: Option<Tags>,
    /// `mqtt` (default), `tcp` or `http`.
    pub conn_type: Option<String>,
    /// `thingscloud` by default.
    pub conn_protocol: Option<String>,
    /// Default false.
    pub is_gateway: Option<bool>,
    /// Default true.
    pub allow_share: Option<bool>,
}

impl From<DeviceTypeBody> for DeviceTypeInput {
    fn from(b: DeviceTypeBody) -> Self {
        DeviceTypeInput {
            name: b.name,
            descr: b.descr,
            tags: b.tags,
            conn_type: b.conn_type,
            conn_protocol: b.conn_protocol,
            is_gateway: b.is_gateway,
            allow_share: b.allow_share,
        }
    }
}

/// One extend-info definition of `GET /device_type/{id}/extend_infos`.
#[derive(Debug, Serialize, ToSchema)]
pub struct InfoDefItem {
    pub id: String,
    /// `location`, `contact` (standard) or `string`, `number`, `boolean`, `object` (custom).
    pub info_type: String,
    pub name: String,
    pub descr: String,
    pub enabled: bool,
    #[schema(value_type = Object)]
    pub options: Value,
    pub create_time: i64,
    pub update_time: i64,
    pub is_standard: bool,
}

impl From<InfoDef> for InfoDefItem {
    fn from(d: InfoDef) -> Self {
        InfoDefItem {
            id: d.id.to_string(),
            info_type: d.info_type,
            name: d.name,
            descr: d.descr,
            enabled: d.enabled,
            options: d.options,
            create_time: millis(d.created_at),
            update_time: millis(d.updated_at),
            is_standard: d.is_standard,
        }
    }
}

/// **Extension** `POST /device_type/{id}/extend_info`: a custom definition.
#[derive(Debug, Deserialize, ToSchema)]
pub struct InfoDefBody {
    /// `string`, `number`, `boolean` or `object`.
    pub info_type: Option<String>,
    pub name: Option<String>,
    pub descr: Option<String>,
    /// A JSON object; `{}` by default.
    #[schema(value_type = Option<Object>)]
    pub options: Option<Value>,
    /// Default true.
    pub enabled: Option<bool>,
}

impl From<InfoDefBody> for InfoDefInput {
    fn from(b: InfoDefBody) -> Self {
        InfoDefInput {
            info_type: b.info_type,
            name: b.name,
            descr: b.descr,
            options: b.options,
            enabled: b.enabled,
        }
    }
}
