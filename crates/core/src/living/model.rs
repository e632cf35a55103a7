//! The records of the living domain: bindings as a user sees them, share
//! keys, share notices, push channels and what redeeming a provisioning
//! code did.

use crate::Time;
use crate::model::{ProjectId, User, UserId};
use crate::project::devices::{Device, DeviceId, DeviceType};

/// Id of a share notice (`recordId`).
pub type NoticeId = i64;
/// Id of a scene (`sceneId`).
pub type SceneId = i64;

/// One user's binding to one device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub id: i64,
    pub user_id: UserId,
    pub device_id: DeviceId,
    /// The owner (manager); members are `false`.
    pub owned: bool,
    /// The user's own name for the device; empty when not set.
    pub nickname: String,
    /// The user's order of the device (ascending, then binding order).
    pub sort: i32,
    pub created_at: Time,
}

/// A binding with its device, the device's type and the bound user.
#[derive(Debug, Clone)]
pub struct BoundDevice {
    pub binding: Binding,
    pub device: Device,
    pub device_type: Option<DeviceType>,
    pub user: User,
}

impl BoundDevice {
    /// Whether the device's type marks it a gateway.
    pub fn is_gateway(&self) -> bool {
        self.device_type.as_ref().is_some_and(|t| t.is_gateway)
    }

    /// Whether the device's type allows sharing (a device without a type does).
    pub fn allows_share(&self) -> bool {
        self.device_type.as_ref().is_none_or(|t| t.allow_share)
    }
}

/// A device's state as seed 002 shows it (`status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceStatus {
    /// Never connected.
    NotActivated = 0,
    Online = 1,
    Offline = 3,
    /// Not produced: thingstead has no disabled devices.
    Disabled = 8,
}

impl DeviceStatus {
    /// From the device's real presence: a live connection is online; a
    /// device that never connected nor reported is not activated.
    pub fn of(device: &Device) -> DeviceStatus {
        if device.online {
            DeviceStatus::Online
        } else if device.active.as_object().is_none_or(|m| m.is_empty()) {
            DeviceStatus::NotActivated
        } else {
            DeviceStatus::Offline
        }
    }

    pub fn code(self) -> i32 {
        self as i32
    }
}

/// The name seed 002 shows for a user (`identityAlias`): mobile, else login
/// name, else e-mail.
pub fn alias(user: &User) -> String {
    user.phone
        .clone()
        .or_else(|| user.username.clone())
        .or_else(|| user.email.clone())
        .unwrap_or_else(|| user.account_no.clone())
}

/// A share QR key about to be stored (its digest only).
#[derive(Debug, Clone)]
pub struct NewShareKey {
    pub project_id: ProjectId,
    pub owner_id: UserId,
    pub key_hash: String,
    pub devices: Vec<DeviceId>,
    pub scenes: Vec<SceneId>,
    pub created_at: Time,
    pub expires_at: Time,
}

/// A live share QR key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareKey {
    pub id: i64,
    pub project_id: ProjectId,
    pub owner_id: UserId,
    pub devices: Vec<DeviceId>,
    pub scenes: Vec<SceneId>,
    pub expires_at: Time,
}

/// How a share names its receiver (`accountAttrType`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Address {
    Mobile(String),
    Email(String),
}

impl Address {
    /// `MOBILE` or `EMAIL`.
    pub fn kind(&self) -> &'static str {
        match self {
            Address::Mobile(_) => "MOBILE",
            Address::Email(_) => "EMAIL",
        }
    }

    pub fn value(&self) -> &str {
        match self {
            Address::Mobile(v) | Address::Email(v) => v,
        }
    }

    /// Whether the address is one of the user's.
    pub fn is_of(&self, user: &User) -> bool {
        match self {
            Address::Mobile(v) => user.phone.as_deref() == Some(v),
            Address::Email(v) => user
                .email
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(v)),
        }
    }
}

/// The addresses a user receives shares at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recipient {
    pub user_id: UserId,
    pub phone: Option<String>,
    /// Lower case.
    pub email: Option<String>,
}

impl Recipient {
    pub fn of(user: &User) -> Recipient {
        Recipient {
            user_id: user.id,
            phone: user.phone.clone(),
            email: user.email.as_ref().map(|e| e.to_ascii_lowercase()),
        }
    }
}

/// Status of a share notice (`ShareNoticeDTO.status`).
pub mod notice_status {
    pub const PENDING: i32 = -1;
    pub const AGREED: i32 = 0;
    pub const REFUSED: i32 = 1;
    pub const CANCELLED: i32 = 2;
    pub const EXPIRED: i32 = 3;
    pub const OWNER_UNBOUND: i32 = 6;
}

/// A share notice about to be stored: one per device.
#[derive(Debug, Clone)]
pub struct NewNotice {
    pub project_id: ProjectId,
    pub initiator_id: UserId,
    pub receiver: Address,
    pub device_id: DeviceId,
    pub created_at: Time,
    pub expires_at: Time,
}

/// A share notice with what its list shows.
#[derive(Debug, Clone)]
pub struct NoticeView {
    pub id: NoticeId,
    pub initiator: User,
    pub receiver: Address,
    pub device: Device,
    pub device_type: Option<DeviceType>,
    /// As stored; a pending notice past `expires_at` reads as expired.
    pub status: i32,
    pub created_at: Time,
    pub modified_at: Time,
    pub expires_at: Time,
}

impl NoticeView {
    /// The status as of `now`.
    pub fn status_at(&self, now: Time) -> i32 {
        if self.status == notice_status::PENDING && now >= self.expires_at {
            notice_status::EXPIRED
        } else {
            self.status
        }
    }
}

/// An app installation that receives pushes (`bindPushChannel`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushChannel {
    pub user_id: UserId,
    pub device_id: String,
    /// `iOS` or `ANDROID`.
    pub device_type: String,
    pub created_at: Time,
}

/// What redeeming a provisioning code did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProvisionOutcome {
    /// The device is now owned by this user (or already was); the code is spent.
    Bound(UserId),
    /// No such code in the device's project.
    Unknown,
    Expired,
    Used,
    /// Another user owns the device; the code is not spent.
    Owned,
}
