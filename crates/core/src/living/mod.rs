//! The living domain (seed 002): who holds which device, sharing it with
//! family, taking it back, nicknames and order per user, gateways' sub-
//! devices, push channels, and redeeming a provisioning code (seed 000) so
//! that a device gets its owner.
//!
//! Rules:
//! - The first user bound to a device owns it (manager); later ones are
//!   members. Binding always needs proof: a provisioning code (owner), a
//!   share QR key or an accepted share notice (member).
//! - Only the owner shares a device or removes members; a member can only
//!   leave. The owner leaving unbinds every member (and, for a gateway, the
//!   sub-devices' bindings) and ends the device's pending shares.
//! - A device the caller is not bound to answers [`LivingError::NotBound`]
//!   whether it exists or not.

mod bindings;
mod errors;
mod follow;
pub mod model;
mod provision;
mod push;
mod scenes;
mod sharing;
pub mod values;

use std::sync::Arc;

use async_trait::async_trait;

pub use bindings::{AccountFilter, Move};
pub use errors::{LivingError, ProvisionError};
pub use model::*;
pub use provision::redeem_provision_code;
pub use scenes::{Fired, MAX_ACTIONS, SceneAction, SceneView, scene_id};
pub use sharing::NoticeItem;
pub use values::{Page, Paged};

use crate::Time;
use crate::model::{ProjectId, SessionId, UserId};
use crate::project::devices::{Device, DeviceId, DeviceType};
use crate::store::{Store, StoreResult};
use crate::telemetry::Telemetry;

/// How long a share QR key lives.
pub const SHARE_KEY_MINUTES: i64 = 30;
/// How long a share notice waits for its answer.
pub const NOTICE_DAYS: i64 = 7;
/// Most devices (and scenes) in one share.
pub const MAX_SHARE: usize = 20;
/// Most share notices one user sends in an hour.
pub const NOTICES_PER_HOUR: u64 = 60;

/// What the living domain needs from the database. Every call is scoped to
/// a project.
#[async_trait]
pub trait LivingStore: Send + Sync {
    /// The user's bindings with device, type and user, by the user's order
    /// (`sort`, then binding order).
    async fn user_bindings(
        &self,
        project: ProjectId,
        user: UserId,
    ) -> StoreResult<Vec<BoundDevice>>;
    /// The device's bindings, owner first, then binding order.
    async fn device_bindings(
        &self,
        project: ProjectId,
        device: DeviceId,
    ) -> StoreResult<Vec<BoundDevice>>;
    /// Sets the user's nickname of the device. False when not bound.
    async fn set_nickname(
        &self,
        project: ProjectId,
        user: UserId,
        device: DeviceId,
        nickname: &str,
    ) -> StoreResult<bool>;
    /// Writes `sort` = position for each of the user's devices listed, in
    /// one transaction.
    async fn set_order(
        &self,
        project: ProjectId,
        user: UserId,
        devices: &[DeviceId],
    ) -> StoreResult<()>;
    /// Removes the member bindings of `user` to `devices` (never an
    /// owner's); returns how many went.
    async fn remove_members(
        &self,
        project: ProjectId,
        user: UserId,
        devices: &[DeviceId],
    ) -> StoreResult<u64>;
    /// The owner leaves: every binding of the device goes, and of its
    /// sub-devices when it is a gateway; its pending share notices become
    /// [`notice_status::OWNER_UNBOUND`] (a share key shown before binds
    /// nothing of it: its owner no longer owns it). One transaction.
    async fn release_device(
        &self,
        project: ProjectId,
        device: DeviceId,
        at: Time,
    ) -> StoreResult<()>;

    /// Stores a share key.
    async fn insert_share_key(&self, key: NewShareKey) -> StoreResult<()>;
    /// The unused, unexpired share key of this digest.
    async fn share_key(
        &self,
        project: ProjectId,
        key_hash: &str,
        now: Time,
    ) -> StoreResult<Option<ShareKey>>;
    /// Spends the key (a conditional update: one caller wins) and binds
    /// `user` as a member of each of its devices and scenes that its owner
    /// still owns, in one transaction. `None`: the key is unknown, used or expired.
    async fn redeem_share_key(
        &self,
        project: ProjectId,
        key_hash: &str,
        user: UserId,
        now: Time,
    ) -> StoreResult<Option<ShareKey>>;

    /// Stores share notices.
    async fn insert_notices(&self, notices: &[NewNotice]) -> StoreResult<()>;
    /// How many notices `initiator` has sent since `since`.
    async fn count_sent_notices(
        &self,
        project: ProjectId,
        initiator: UserId,
        since: Time,
    ) -> StoreResult<u64>;
    /// The notices the user sent or receives (at its phone or e-mail) that
    /// the user has not cleared, newest first.
    async fn notices(&self, project: ProjectId, me: &Recipient) -> StoreResult<Vec<NoticeView>>;
    /// Answers the pending, unexpired notices `ids` addressed to `me`: all
    /// of them or none (false). Agreeing binds `me` as a member of each
    /// device its initiator still owns. One transaction.
    async fn answer_notices(
        &self,
        project: ProjectId,
        me: &Recipient,
        ids: &[NoticeId],
        agree: bool,
        now: Time,
    ) -> StoreResult<bool>;
    /// Cancels the pending notices `ids` that `initiator` sent: all of them
    /// or none (false).
    async fn cancel_notices(
        &self,
        project: ProjectId,
        initiator: UserId,
        ids: &[NoticeId],
        now: Time,
    ) -> StoreResult<bool>;
    /// Hides every notice from `me`'s list (sent and received).
    async fn clear_notices(&self, project: ProjectId, me: &Recipient) -> StoreResult<()>;

    /// Binds the push channel `device_id` to the user (moving it from any
    /// other user), tied to the session: it ends with it.
    async fn bind_push_channel(
        &self,
        project: ProjectId,
        user: UserId,
        session: SessionId,
        device_id: &str,
        device_type: &str,
        at: Time,
    ) -> StoreResult<()>;
    /// Removes the user's push channel. False when the user has none of that id.
    async fn unbind_push_channel(
        &self,
        project: ProjectId,
        user: UserId,
        device_id: &str,
    ) -> StoreResult<bool>;
    /// The user's push channels.
    async fn push_channels(
        &self,
        project: ProjectId,
        user: UserId,
    ) -> StoreResult<Vec<PushChannel>>;

    /// The gateway's sub-devices with their types, by id.
    async fn sub_devices(
        &self,
        project: ProjectId,
        gateway: DeviceId,
    ) -> StoreResult<Vec<(Device, Option<DeviceType>)>>;
    /// Attaches devices of the project to the gateway (moving them from
    /// another gateway). False when one of them, or the gateway, is not the
    /// project's; nothing written then.
    async fn attach_sub_devices(
        &self,
        project: ProjectId,
        gateway: DeviceId,
        devices: &[DeviceId],
    ) -> StoreResult<bool>;

    /// Stores a scene with its creator as owner, in one transaction.
    async fn insert_scene(
        &self,
        project: ProjectId,
        owner: UserId,
        name: &str,
        actions: &[SceneAction],
        at: Time,
    ) -> StoreResult<SceneId>;
    /// The user's scenes, oldest first.
    async fn user_scenes(&self, project: ProjectId, user: UserId) -> StoreResult<Vec<SceneView>>;
    /// Deletes the scene with its members. False when there is none.
    async fn delete_scene(&self, project: ProjectId, scene: SceneId) -> StoreResult<bool>;
    /// Removes a member (never the owner) from the scene.
    async fn leave_scene(
        &self,
        project: ProjectId,
        user: UserId,
        scene: SceneId,
    ) -> StoreResult<bool>;

    /// Redeems a provisioning code for a device of its project: the code
    /// spent by a conditional update (one caller wins) and the device bound
    /// to the code's user as owner, in one transaction. A device owned by
    /// someone else leaves the code unspent.
    async fn redeem_provision_code(
        &self,
        project: ProjectId,
        code_hash: &str,
        device: DeviceId,
        now: Time,
    ) -> StoreResult<ProvisionOutcome>;
}

/// The living service. Cheap to clone.
#[derive(Clone)]
pub struct Living {
    inner: Arc<Inner>,
}

struct Inner {
    store: Arc<dyn Store>,
    /// Scenes act on devices through it.
    telemetry: Telemetry,
}

impl Living {
    pub fn new(store: Arc<dyn Store>, telemetry: Telemetry) -> Self {
        Living {
            inner: Arc::new(Inner { store, telemetry }),
        }
    }

    fn store(&self) -> &dyn Store {
        self.inner.store.as_ref()
    }
}
