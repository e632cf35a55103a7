//! A device's extend infos.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use thingstead_core::project::devices::InfoWithValue;
use utoipa::ToSchema;

use super::millis;

/// One extend info of `GET /device/{device_id}/extend_infos`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExtendInfoItem {
    pub id: String,
    pub info_type: String,
    pub name: String,
    pub descr: String,
    /// The device's value; `null` when never set.
    #[schema(value_type = Object)]
    pub value: Value,
    #[schema(value_type = Object)]
    pub options: Value,
    pub create_time: i64,
    /// When the value was last written (the definition's time before that).
    pub update_time: i64,
    pub is_standard: bool,
}

impl From<InfoWithValue> for ExtendInfoItem {
    fn from(i: InfoWithValue) -> Self {
        let update_time = i.value_updated_at.unwrap_or(i.def.updated_at);
        ExtendInfoItem {
            id: i.def.id.to_string(),
            info_type: i.def.info_type,
            name: i.def.name,
            descr: i.def.descr,
            value: i.value.unwrap_or(Value::Null),
            options: i.def.options,
            create_time: millis(i.def.created_at),
            update_time: millis(update_time),
            is_standard: i.def.is_standard,
        }
    }
}

/// `POST /device/{device_id}/extend_infos`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ExtendInfosBody {
    /// `{"<info id>": value}`; each value of its definition's `info_type`.
    #[schema(value_type = Option<Object>)]
    pub infos: Option<Map<String, Value>>,
}

/// `POST /device/{device_id}/standard_infos`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct StandardInfoBody {
    /// `location` or `contact`.
    pub info_type: Option<String>,
    /// `location`: `{lng, lat, address?}`; `contact`: `{name?, phone?, email?}`.
    #[schema(value_type = Option<Object>)]
    pub value: Option<Value>,
}
