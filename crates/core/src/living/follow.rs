//! Following one's devices live: the attribute reports and alarm changes
//! of the devices bound to the caller, as a stream for server-sent events.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use futures::Stream;
use tokio::sync::broadcast::error::RecvError;
use tokio::time::Instant;

use super::{Living, LivingError};
use crate::live::{LiveEvent, LiveEvents};
use crate::model::{Session, User};
use crate::project::devices::DeviceId;

/// How often the followed devices are read again (bindings made or ended
/// meanwhile) and the session is checked (a stream ends with its session).
const REFRESH: Duration = Duration::from_secs(5);

struct Follow {
    living: Living,
    user: User,
    session: Session,
    rx: tokio::sync::broadcast::Receiver<Arc<LiveEvent>>,
    devices: HashSet<DeviceId>,
    read_at: Instant,
}

impl Living {
    /// The live events of the caller's devices, until the session ends.
    pub async fn follow(
        &self,
        caller: &User,
        session: &Session,
        live: &LiveEvents,
    ) -> Result<impl Stream<Item = Arc<LiveEvent>> + Send + 'static, LivingError> {
        let rx = live.subscribe();
        let devices = self.bound_devices(caller).await?;
        let state = Follow {
            living: self.clone(),
            user: caller.clone(),
            session: session.clone(),
            rx,
            devices,
            read_at: Instant::now(),
        };
        Ok(futures::stream::unfold(state, next))
    }

    async fn bound_devices(&self, caller: &User) -> Result<HashSet<DeviceId>, LivingError> {
        Ok(self
            .store()
            .user_bindings(caller.project_id, caller.id)
            .await?
            .into_iter()
            .map(|b| b.device.id)
            .collect())
    }
}

/// The next event for the follower; `None` ends the stream.
async fn next(mut f: Follow) -> Option<(Arc<LiveEvent>, Follow)> {
    loop {
        let refresh_at = f.read_at + REFRESH;
        let received = tokio::select! {
            r = f.rx.recv() => Some(r),
            _ = tokio::time::sleep_until(refresh_at) => None,
        };
        match received {
            Some(Ok(event)) => {
                if event.project_id == f.user.project_id && f.devices.contains(&event.device_id) {
                    return Some((event, f));
                }
            }
            // A slow follower misses what it fell behind by.
            Some(Err(RecvError::Lagged(_))) => {}
            Some(Err(RecvError::Closed)) => return None,
            None => {
                let live = f.living.store().session(f.session.id).await.ok()?;
                if live.is_none_or(|s| s.expires_at <= crate::now()) {
                    return None;
                }
                f.devices = f.living.bound_devices(&f.user).await.ok()?;
                f.read_at = Instant::now();
            }
        }
    }
}
