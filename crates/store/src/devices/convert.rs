//! Rows of the device tables to domain records: JSON text to maps and
//! values, times from unix milliseconds.

use sea_orm::{DbErr, SqlErr};
use serde_json::Value;
use thingstead_core::StoreError;
use thingstead_core::project::Tags;
use thingstead_core::project::devices::{
    Device, DeviceGroup, DeviceType, InfoDef, StoredValue, TypeBrief,
};
use thingstead_core::store::StoreResult;

use crate::convert::time;
use crate::db_err;
use crate::entity::{
    device, device_group, device_info_value, device_standard_info, device_type, device_type_info,
};

/// Columns of the device tables a unique index can fail on.
const UNIQUE_COLUMNS: [&str; 3] = ["device_key", "access_token", "type_key"];

/// Maps a database error of the device tables: unique violations name
/// their column (`Conflict("device_key")`), the rest as [`db_err`].
pub(crate) fn dev_err(err: DbErr) -> StoreError {
    if let Some(SqlErr::UniqueConstraintViolation(message)) = err.sql_err()
        && let Some(column) = UNIQUE_COLUMNS.into_iter().find(|c| message.contains(c))
    {
        return StoreError::Conflict(column);
    }
    db_err(err)
}

/// Whether the error is a foreign-key violation (a parent deleted or still
/// referred to by a concurrent transaction).
pub(crate) fn is_foreign_key(err: &DbErr) -> bool {
    matches!(
        err.sql_err(),
        Some(SqlErr::ForeignKeyConstraintViolation(_))
    )
}

/// Tags as stored: a JSON object of strings.
pub(crate) fn tags_json(tags: &Tags) -> String {
    let map = tags
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    Value::Object(map).to_string()
}

/// Stored tags.
pub(crate) fn tags(column: &str, text: &str) -> StoreResult<Tags> {
    serde_json::from_str(text)
        .map_err(|e| StoreError::Backend(format!("stored {column} is not valid JSON: {e}")))
}

/// A stored JSON value.
pub(crate) fn json(column: &str, text: &str) -> StoreResult<Value> {
    serde_json::from_str(text)
        .map_err(|e| StoreError::Backend(format!("stored {column} is not valid JSON: {e}")))
}

pub(crate) fn device_type(m: device_type::Model) -> StoreResult<DeviceType> {
    Ok(DeviceType {
        id: m.id,
        project_id: m.project_id,
        tags: tags("device_types.tags", &m.tags)?,
        name: m.name,
        descr: m.descr,
        conn_type: m.conn_type,
        conn_protocol: m.conn_protocol,
        type_key: m.type_key,
        is_gateway: m.is_gateway,
        allow_share: m.allow_share,
        is_default: m.is_default,
        created_at: time(m.created_at)?,
    })
}

pub(crate) fn type_brief(m: device_type::Model) -> TypeBrief {
    TypeBrief {
        id: m.id,
        name: m.name,
        conn_type: m.conn_type,
        conn_protocol: m.conn_protocol,
    }
}

pub(crate) fn info_def(m: device_type_info::Model) -> StoreResult<InfoDef> {
    Ok(InfoDef {
        id: m.id,
        project_id: m.project_id,
        type_id: m.type_id,
        options: json("device_type_infos.options", &m.options)?,
        info_type: m.info_type,
        name: m.name,
        descr: m.descr,
        enabled: m.enabled,
        is_standard: m.is_standard,
        created_at: time(m.created_at)?,
        updated_at: time(m.update_time)?,
    })
}

pub(crate) fn group(m: device_group::Model) -> StoreResult<DeviceGroup> {
    Ok(DeviceGroup {
        id: m.id,
        project_id: m.project_id,
        parent_id: m.parent_id,
        tags: tags("device_groups.tags", &m.tags)?,
        name: m.name,
        descr: m.descr,
        created_at: time(m.created_at)?,
    })
}

pub(crate) fn device(m: device::Model) -> StoreResult<Device> {
    Ok(Device {
        id: m.id,
        project_id: m.project_id,
        type_id: m.type_id,
        tags: tags("devices.tags", &m.tags)?,
        active: json("devices.active", &m.active)?,
        alarm: json("devices.alarm", &m.alarm)?,
        name: m.name,
        descr: m.descr,
        device_key: m.device_key,
        access_token: m.access_token,
        view_token: m.view_token,
        device_code: m.device_code,
        online: m.online,
        alarm_level: m.alarm_level,
        created_at: time(m.created_at)?,
    })
}

pub(crate) fn info_value(m: device_info_value::Model) -> StoreResult<StoredValue<i64>> {
    Ok(StoredValue {
        key: m.info_id,
        value: json("device_info_values.value", &m.value)?,
        updated_at: time(m.updated_at)?,
    })
}

pub(crate) fn standard_info(m: device_standard_info::Model) -> StoreResult<StoredValue<String>> {
    Ok(StoredValue {
        value: json("device_standard_infos.value", &m.value)?,
        key: m.info_type,
        updated_at: time(m.updated_at)?,
    })
}
