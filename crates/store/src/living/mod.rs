//! The living domain's persistence (seed 002): [`LivingStore`].

mod bindings;
mod grants;
mod scenes;
mod sharing;

use async_trait::async_trait;
use thingstead_core::Time;
use thingstead_core::living::*;
use thingstead_core::model::{ProjectId, SessionId, UserId};
use thingstead_core::project::devices::{Device, DeviceId, DeviceType};
use thingstead_core::store::StoreResult;

use crate::Db;

#[async_trait]
impl LivingStore for Db {
    async fn user_bindings(
        &self,
        project: ProjectId,
        user: UserId,
    ) -> StoreResult<Vec<BoundDevice>> {
        self.living_user_bindings(project, user).await
    }

    async fn device_bindings(
        &self,
        project: ProjectId,
        device: DeviceId,
    ) -> StoreResult<Vec<BoundDevice>> {
        self.living_device_bindings(project, device).await
    }

    async fn set_nickname(
        &self,
        project: ProjectId,
        user: UserId,
        device: DeviceId,
        nickname: &str,
    ) -> StoreResult<bool> {
        self.living_set_nickname(project, user, device, nickname)
            .await
    }

    async fn set_order(
        &self,
        project: ProjectId,
        user: UserId,
        devices: &[DeviceId],
    ) -> StoreResult<()> {
        self.living_set_order(project, user, devices).await
    }

    async fn remove_members(
        &self,
        project: ProjectId,
        user: UserId,
        devices: &[DeviceId],
    ) -> StoreResult<u64> {
        self.living_remove_members(project, user, devices).await
    }

    async fn release_device(
        &self,
        project: ProjectId,
        device: DeviceId,
        at: Time,
    ) -> StoreResult<()> {
        self.living_release_device(project, device, at).await
    }

    async fn insert_share_key(&self, key: NewShareKey) -> StoreResult<()> {
        self.living_insert_share_key(key).await
    }

    async fn share_key(
        &self,
        project: ProjectId,
        key_hash: &str,
        now: Time,
    ) -> StoreResult<Option<ShareKey>> {
        self.living_share_key(project, key_hash, now).await
    }

    async fn redeem_share_key(
        &self,
        project: ProjectId,
        key_hash: &str,
        user: UserId,
        now: Time,
    ) -> StoreResult<Option<ShareKey>> {
        self.living_redeem_share_key(project, key_hash, user, now)
            .await
    }

    async fn insert_notices(&self, notices: &[NewNotice]) -> StoreResult<()> {
        self.living_insert_notices(notices).await
    }

    async fn count_sent_notices(
        &self,
        project: ProjectId,
        initiator: UserId,
        since: Time,
    ) -> StoreResult<u64> {
        self.living_count_sent_notices(project, initiator, since)
            .await
    }

    async fn notices(&self, project: ProjectId, me: &Recipient) -> StoreResult<Vec<NoticeView>> {
        self.living_notices(project, me).await
    }

    async fn answer_notices(
        &self,
        project: ProjectId,
        me: &Recipient,
        ids: &[NoticeId],
        agree: bool,
        now: Time,
    ) -> StoreResult<bool> {
        self.living_answer_notices(project, me, ids, agree, now)
            .await
    }

    async fn cancel_notices(
        &self,
        project: ProjectId,
        initiator: UserId,
        ids: &[NoticeId],
        now: Time,
    ) -> StoreResult<bool> {
        self.living_cancel_notices(project, initiator, ids, now)
            .await
    }

    async fn clear_notices(&self, project: ProjectId, me: &Recipient) -> StoreResult<()> {
        self.living_clear_notices(project, me).await
    }

    async fn bind_push_channel(
        &self,
        project: ProjectId,
        user: UserId,
        session: SessionId,
        device_id: &str,
        device_type: &str,
        at: Time,
    ) -> StoreResult<()> {
        self.living_bind_push_channel(project, user, session, device_id, device_type, at)
            .await
    }

    async fn unbind_push_channel(
        &self,
        project: ProjectId,
        user: UserId,
        device_id: &str,
    ) -> StoreResult<bool> {
        self.living_unbind_push_channel(project, user, device_id)
            .await
    }

    async fn push_channels(
        &self,
        project: ProjectId,
        user: UserId,
    ) -> StoreResult<Vec<PushChannel>> {
        self.living_push_channels(project, user).await
    }

    async fn sub_devices(
        &self,
        project: ProjectId,
        gateway: DeviceId,
    ) -> StoreResult<Vec<(Device, Option<DeviceType>)>> {
        self.living_sub_devices(project, gateway).await
    }

    async fn attach_sub_devices(
        &self,
        project: ProjectId,
        gateway: DeviceId,
        devices: &[DeviceId],
    ) -> StoreResult<bool> {
        if devices.is_empty() {
            return Ok(false);
        }
        self.living_attach_sub_devices(project, gateway, devices)
            .await
    }

    async fn insert_scene(
        &self,
        project: ProjectId,
        owner: UserId,
        name: &str,
        actions: &[SceneAction],
        at: Time,
    ) -> StoreResult<SceneId> {
        self.living_insert_scene(project, owner, name, actions, at)
            .await
    }

    async fn user_scenes(&self, project: ProjectId, user: UserId) -> StoreResult<Vec<SceneView>> {
        self.living_user_scenes(project, user).await
    }

    async fn delete_scene(&self, project: ProjectId, scene: SceneId) -> StoreResult<bool> {
        self.living_delete_scene(project, scene).await
    }

    async fn leave_scene(
        &self,
        project: ProjectId,
        user: UserId,
        scene: SceneId,
    ) -> StoreResult<bool> {
        self.living_leave_scene(project, user, scene).await
    }

    async fn redeem_provision_code(
        &self,
        project: ProjectId,
        code_hash: &str,
        device: DeviceId,
        now: Time,
    ) -> StoreResult<ProvisionOutcome> {
        self.living_redeem_provision_code(project, code_hash, device, now)
            .await
    }
}
