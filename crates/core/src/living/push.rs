//! Push channels: the app installations a user's alarms are pushed to.

use super::values::{PushId, PushKind};
use super::{Living, LivingError, PushChannel};
use crate::model::{Session, User};
use crate::now;

type Result<T> = std::result::Result<T, LivingError>;

impl Living {
    /// `bindPushChannel`: the installation now pushes to the caller (moved
    /// from another user if it was theirs) until unbound or the session ends.
    #[tracing::instrument(skip_all, fields(user = caller.id))]
    pub async fn bind_push(
        &self,
        caller: &User,
        session: &Session,
        device_id: &str,
        device_type: &str,
    ) -> Result<()> {
        let id = PushId::parse(device_id)?;
        let kind = PushKind::parse(device_type)?;
        self.store()
            .bind_push_channel(
                caller.project_id,
                caller.id,
                session.id,
                id.as_str(),
                kind.as_str(),
                now(),
            )
            .await?;
        Ok(())
    }

    /// `unbindPushChannel`: the caller's installation stops receiving pushes.
    /// An id the caller has not bound answers the same.
    #[tracing::instrument(skip_all, fields(user = caller.id))]
    pub async fn unbind_push(&self, caller: &User, device_id: &str) -> Result<()> {
        let id = PushId::parse(device_id)?;
        self.store()
            .unbind_push_channel(caller.project_id, caller.id, id.as_str())
            .await?;
        Ok(())
    }

    /// The caller's push channels (for alarm delivery).
    pub async fn push_channels(&self, caller: &User) -> Result<Vec<PushChannel>> {
        Ok(self
            .store()
            .push_channels(caller.project_id, caller.id)
            .await?)
    }
}
