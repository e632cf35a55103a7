//! Devices, their certificates and statistics.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use thingstead_core::project::Tags;
use thingstead_core::project::devices::{
    Certificate, DeviceDetail, DeviceInfoInput, DeviceInput, DevicePage, DeviceStats, DeviceView,
    TypeBrief,
};
use thingstead_http::{LooseInt, LooseString};
use utoipa::ToSchema;

use super::millis;

/// `type_info` of a device.
#[derive(Debug, Serialize, ToSchema)]
pub struct TypeInfo {
    pub id: String,
    pub name: String,
    pub conn_type: String,
    pub conn_protocol: String,
}

impl From<TypeBrief> for TypeInfo {
    fn from(t: TypeBrief) -> Self {
        TypeInfo {
            id: t.id.to_string(),
            name: t.name,
            conn_type: t.conn_type,
            conn_protocol: t.conn_protocol,
        }
    }
}

/// One device of `GET /devices`.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeviceItem {
    pub id: String,
    pub name: String,
    pub descr: String,
    pub device_key: String,
    pub tags: Tags,
    pub create_time: i64,
    /// Alarm state; `{}` while there is no alarm.
    #[schema(value_type = Object)]
    pub alarm: Value,
    /// Latest timestamp per message kind; `{}` until the device reports.
    #[schema(value_type = Object)]
    pub active: Value,
    /// Whether the device is connected now.
    pub online: bool,
    /// The device type's id.
    #[serde(rename = "type")]
    pub type_id: String,
    pub type_info: Option<TypeInfo>,
}

impl From<DeviceView> for DeviceItem {
    fn from(v: DeviceView) -> Self {
        let d = v.device;
        DeviceItem {
            id: d.id.to_string(),
            name: d.name,
            descr: d.descr,
            device_key: d.device_key,
            tags: d.tags,
            create_time: millis(d.created_at),
            alarm: d.alarm,
            active: d.active,
            online: d.online,
            type_id: d.type_id.map(|t| t.to_string()).unwrap_or_default(),
            type_info: v.type_info.map(TypeInfo::from),
        }
    }
}

/// `GET /device/{device_id}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeviceInfo {
    #[serde(flatten)]
    pub device: DeviceItem,
    /// Ids of the groups the device is in.
    pub groups: Vec<String>,
    pub view_token: String,
    pub device_code: String,
}

impl From<DeviceDetail> for DeviceInfo {
    fn from(d: DeviceDetail) -> Self {
        let view_token = d.view.device.view_token.clone();
        let device_code = d.view.device.device_code.clone();
        DeviceInfo {
            device: DeviceItem::from(d.view),
            groups: d.groups.into_iter().map(|g| g.to_string()).collect(),
            view_token,
            device_code,
        }
    }
}

/// `GET /devices`: one page of 20.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeviceList {
    pub items: Vec<DeviceItem>,
    /// Devices matching the filters.
    pub total: u64,
    /// Pages of 20.
    pub page_total: u64,
}

impl From<DevicePage> for DeviceList {
    fn from(p: DevicePage) -> Self {
        DeviceList {
            items: p.items.into_iter().map(DeviceItem::from).collect(),
            total: p.total,
            page_total: p.page_total,
        }
    }
}

/// The query of `GET /devices`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DevicesQuery {
    /// From 1; default 1.
    #[schema(value_type = Option<i64>)]
    pub page: Option<LooseInt>,
    /// A device type id.
    #[serde(rename = "type")]
    pub type_id: Option<String>,
    /// A device group id.
    pub group: Option<String>,
}

/// `POST /device`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DeviceBody {
    /// Required.
    pub name: Option<String>,
    pub descr: Option<String>,
    /// A device type id; the project's "Default type" when absent.
    #[serde(rename = "type")]
    #[schema(value_type = Option<String>)]
    pub type_id: Option<LooseString>,
    pub tags: Option<Tags>,
    /// Unique in the project; generated when absent.
    pub device_key: Option<String>,
}

impl From<DeviceBody> for DeviceInput {
    fn from(b: DeviceBody) -> Self {
        DeviceInput {
            name: b.name,
            descr: b.descr,
            type_id: b.type_id.map(|t| t.0),
            tags: b.tags,
            device_key: b.device_key,
        }
    }
}

/// `{id, name}` of a new device.
#[derive(Debug, Serialize, ToSchema)]
pub struct Created {
    pub id: String,
    pub name: String,
}

/// `PUT /device/{device_id}/info`: at least one field.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DeviceInfoBody {
    pub name: Option<String>,
    pub descr: Option<String>,
    pub device_key: Option<String>,
}

impl From<DeviceInfoBody> for DeviceInfoInput {
    fn from(b: DeviceInfoBody) -> Self {
        DeviceInfoInput {
            name: b.name,
            descr: b.descr,
            device_key: b.device_key,
        }
    }
}

/// `PUT /device/{device_id}/tags`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TagsBody {
    /// Tags to add or overwrite.
    pub tags: Option<Tags>,
}

/// `POST /device/{device_id}/tags_remove`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TagsRemoveBody {
    /// Keys to remove.
    pub keys: Option<Vec<String>>,
}

/// `PUT /device/{device_id}/groups`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct GroupsBody {
    /// Group ids; `[]` takes the device out of every group.
    #[schema(value_type = Option<Vec<String>>)]
    pub groups: Option<Vec<LooseString>>,
}

/// `GET /device/{device_id}/certificate`.
#[derive(Debug, Serialize, ToSchema)]
pub struct CertificateInfo {
    pub id: String,
    pub name: String,
    /// The device's MQTT user name (not a project API token).
    pub access_token: String,
    /// The device's MQTT password.
    pub project_key: String,
}

impl From<Certificate> for CertificateInfo {
    fn from(c: Certificate) -> Self {
        CertificateInfo {
            id: c.device_id.to_string(),
            name: c.name,
            access_token: c.access_token,
            project_key: c.project_key,
        }
    }
}

/// `GET /devices_stat`.
#[derive(Debug, Serialize, ToSchema)]
pub struct DevicesStat {
    pub device_total: u64,
    pub online_device_total: u64,
    pub offline_device_total: u64,
    /// Devices that have ever reported.
    pub active_device_total: u64,
    pub inactive_device_total: u64,
    /// Devices with an alarm of any level.
    pub alarm_device_total: u64,
}

impl From<DeviceStats> for DevicesStat {
    fn from(s: DeviceStats) -> Self {
        let alarm: u64 = s.alarm.iter().sum();
        DevicesStat {
            device_total: s.total,
            online_device_total: s.online,
            offline_device_total: s.total.saturating_sub(s.online),
            active_device_total: s.active,
            inactive_device_total: s.total.saturating_sub(s.active),
            alarm_device_total: alarm,
        }
    }
}

/// `GET /devices_alarm_stat`.
#[derive(Debug, Serialize, ToSchema)]
pub struct DevicesAlarmStat {
    pub device_total: u64,
    /// Devices in a normal (level 1) alarm.
    pub alarm_1_total: u64,
    /// Serious (level 2).
    pub alarm_2_total: u64,
    /// Urgent (level 3).
    pub alarm_3_total: u64,
    /// Devices without an alarm.
    pub normal_total: u64,
}

impl From<DeviceStats> for DevicesAlarmStat {
    fn from(s: DeviceStats) -> Self {
        let [a1, a2, a3] = s.alarm;
        DevicesAlarmStat {
            device_total: s.total,
            alarm_1_total: a1,
            alarm_2_total: a2,
            alarm_3_total: a3,
            normal_total: s.total.saturating_sub(a1 + a2 + a3),
        }
    }
}
