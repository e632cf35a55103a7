//! The records of device types, extend-info definitions, device groups and
//! devices, as the project API sees them.

use serde_json::Value;

use crate::Time;
use crate::model::ProjectId;
use crate::project::Tags;

/// Id of a device type.
pub type DeviceTypeId = i64;
/// Id of an extend-info definition.
pub type InfoId = i64;
/// Id of a device group.
pub type GroupId = i64;
/// Id of a device.
pub type DeviceId = i64;

/// A device type (a product): how its devices connect and which extend
/// infos they carry.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceType {
    pub id: DeviceTypeId,
    pub project_id: ProjectId,
    pub name: String,
    pub descr: String,
    pub tags: Tags,
    /// `mqtt`, `tcp` or `http`.
    pub conn_type: String,
    /// `thingscloud` unless the company says otherwise.
    pub conn_protocol: String,
    /// Random and unique: devices of this type present it to register themselves.
    pub type_key: String,
    pub is_gateway: bool,
    pub allow_share: bool,
    /// The type that devices created without one get ("Default type").
    pub is_default: bool,
    pub created_at: Time,
}

/// A device type with the number of its devices.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceTypeSummary {
    pub device_type: DeviceType,
    pub device_count: u64,
}

/// A device type about to be stored, with its standard extend-info
/// definitions.
#[derive(Debug, Clone)]
pub struct NewDeviceType {
    pub project_id: ProjectId,
    pub name: String,
    pub descr: String,
    pub tags: Tags,
    pub conn_type: String,
    pub conn_protocol: String,
    pub type_key: String,
    pub is_gateway: bool,
    pub allow_share: bool,
    pub is_default: bool,
    pub created_at: Time,
    /// Definitions created with the type (the standard ones).
    pub infos: Vec<NewInfoDef>,
}

/// Changes to a device type; `None` keeps the field.
#[derive(Debug, Clone, Default)]
pub struct DeviceTypeUpdate {
    pub name: Option<String>,
    pub descr: Option<String>,
    pub tags: Option<Tags>,
    pub conn_type: Option<String>,
    pub conn_protocol: Option<String>,
    pub is_gateway: Option<bool>,
    pub allow_share: Option<bool>,
}

impl DeviceTypeUpdate {
    /// Whether the update changes nothing.
    pub fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.descr.is_none()
            && self.tags.is_none()
            && self.conn_type.is_none()
            && self.conn_protocol.is_none()
            && self.is_gateway.is_none()
            && self.allow_share.is_none()
    }
}

/// The part of a device type that a device read shows (`type_info`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeBrief {
    pub id: DeviceTypeId,
    pub name: String,
    pub conn_type: String,
    pub conn_protocol: String,
}

/// An extend-info definition of a device type: standard (`location`,
/// `contact`, values set through `standard_infos`) or custom (`string`,
/// `number`, `boolean`, `object`, values set through `extend_infos`).
#[derive(Debug, Clone, PartialEq)]
pub struct InfoDef {
    pub id: InfoId,
    pub project_id: ProjectId,
    pub type_id: DeviceTypeId,
    pub info_type: String,
    pub name: String,
    pub descr: String,
    pub enabled: bool,
    /// A JSON object.
    pub options: Value,
    pub is_standard: bool,
    pub created_at: Time,
    pub updated_at: Time,
}

/// A definition about to be stored. `type_id` is ignored when the
/// definition is created together with its type.
#[derive(Debug, Clone)]
pub struct NewInfoDef {
    pub project_id: ProjectId,
    pub type_id: DeviceTypeId,
    pub info_type: String,
    pub name: String,
    pub descr: String,
    pub enabled: bool,
    pub options: Value,
    pub is_standard: bool,
    pub created_at: Time,
}

/// A definition with one device's value (`None` when never set).
#[derive(Debug, Clone, PartialEq)]
pub struct InfoWithValue {
    pub def: InfoDef,
    pub value: Option<Value>,
    /// When the value was last written.
    pub value_updated_at: Option<Time>,
}

/// A stored value of a device: keyed by definition id (custom) or by info
/// type (standard).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredValue<K> {
    pub key: K,
    pub value: Value,
    pub updated_at: Time,
}

/// A device group; groups form a tree through `parent_id`.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceGroup {
    pub id: GroupId,
    pub project_id: ProjectId,
    pub parent_id: Option<GroupId>,
    pub name: String,
    pub descr: String,
    pub tags: Tags,
    pub created_at: Time,
}

/// A group with its sub-groups, for the tree.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupNode {
    pub group: DeviceGroup,
    pub children: Vec<GroupNode>,
}

/// A group about to be stored.
#[derive(Debug, Clone)]
pub struct NewDeviceGroup {
    pub project_id: ProjectId,
    pub parent_id: Option<GroupId>,
    pub name: String,
    pub descr: String,
    pub tags: Tags,
    pub created_at: Time,
}

/// Changes to a group; `None` keeps the field. `parent: Some(None)` moves
/// the group to the top level.
#[derive(Debug, Clone, Default)]
pub struct GroupUpdate {
    pub name: Option<String>,
    pub descr: Option<String>,
    pub tags: Option<Tags>,
    pub parent: Option<Option<GroupId>>,
}

/// A device.
#[derive(Debug, Clone, PartialEq)]
pub struct Device {
    pub id: DeviceId,
    pub project_id: ProjectId,
    pub type_id: Option<DeviceTypeId>,
    pub name: String,
    pub descr: String,
    /// Unique within the project.
    pub device_key: String,
    pub tags: Tags,
    /// The device's credential (with the project key); shown only by the
    /// certificate endpoint.
    pub access_token: String,
    pub view_token: String,
    pub device_code: String,
    /// Whether the device has a live connection.
    pub online: bool,
    /// Latest timestamps per message kind; `{}` until the device reports.
    pub active: Value,
    /// Alarm state; `{}` while there is no alarm.
    pub alarm: Value,
    /// 0 no alarm, 1 normal, 2 serious, 3 urgent.
    pub alarm_level: i32,
    pub created_at: Time,
}

/// A device with the brief of its type.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceView {
    pub device: Device,
    pub type_info: Option<TypeBrief>,
}

/// A device read alone: with its groups.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceDetail {
    pub view: DeviceView,
    pub groups: Vec<GroupId>,
}

/// Which type a new device gets.
#[derive(Debug, Clone)]
pub enum TypeChoice {
    /// This type, if it is the project's.
    Given(DeviceTypeId),
    /// The project's default type, created from this seed if missing.
    Default(Box<NewDeviceType>),
}

/// A device about to be stored.
#[derive(Debug, Clone)]
pub struct NewDevice {
    pub project_id: ProjectId,
    pub name: String,
    pub descr: String,
    pub device_key: String,
    pub tags: Tags,
    pub access_token: String,
    pub view_token: String,
    pub device_code: String,
    pub created_at: Time,
}

/// Changes of `PUT /device/{id}/info`; `None` keeps the field.
#[derive(Debug, Clone, Default)]
pub struct DeviceInfoUpdate {
    pub name: Option<String>,
    pub descr: Option<String>,
    pub device_key: Option<String>,
}

/// Which devices a list shows. The ids have been checked to be the project's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct DeviceFilter {
    pub type_id: Option<DeviceTypeId>,
    pub group_id: Option<GroupId>,
}

/// Where a list of devices can be entered without counting it or walking
/// to a deep offset: the id of every `stride`-th matching device by id (the
/// first, the `stride + 1`-th…) and how many match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeviceMarks {
    pub total: u64,
    pub stride: u64,
    /// `total.div_ceil(stride)` ids, ascending.
    pub ids: Vec<DeviceId>,
}

/// One page of devices.
#[derive(Debug, Clone, PartialEq)]
pub struct DevicePage {
    pub items: Vec<DeviceView>,
    /// Devices matching the filter, on every page.
    pub total: u64,
    /// Pages of [`super::PAGE_SIZE`]; 0 when there are no devices.
    pub page_total: u64,
}

/// What a device presents to connect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    pub device_id: DeviceId,
    pub name: String,
    pub access_token: String,
    pub project_key: String,
}

/// Counts of `devices_stat` and `devices_alarm_stat`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeviceStats {
    pub total: u64,
    pub online: u64,
    /// Devices that have ever reported (`active` not empty).
    pub active: u64,
    /// Devices by alarm level 1, 2, 3.
    pub alarm: [u64; 3],
}

/// The outcome of a delete that can be refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deletion {
    Deleted,
    NotFound,
    InUse,
}

/// The outcome of a tags edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagsEdit {
    Done,
    NotFound,
    /// The result would have more tags than allowed; nothing was written.
    TooMany,
}

/// The outcome of replacing a device's groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupsEdit {
    Done,
    DeviceNotFound,
    /// A group is not the project's; nothing was written.
    GroupNotFound,
}
