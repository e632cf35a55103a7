//! A short-lived cache of authenticated callers, so that a phone app's
//! stream of authenticated reads does not read the session and the account
//! from the database every time.
//!
//! Entries live one second. Everything in this process that changes an
//! account or ends its sessions forgets the account's entries at once; a
//! change made by another process is seen here within that second.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::Principal;
use crate::model::{SessionId, UserId};

/// How long an entry is trusted.
const TTL: Duration = Duration::from_secs(1);
/// Entries kept at most; the cache is emptied when it would grow past this.
const MAX_ENTRIES: usize = 100_000;

/// Callers by session id.
#[derive(Default)]
pub struct SessionCache {
    entries: Mutex<HashMap<SessionId, (Instant, Principal)>>,
}

impl SessionCache {
    /// The cached caller of session `id`, if it is younger than the TTL.
    pub fn get(&self, id: SessionId) -> Option<Principal> {
        let entries = self.entries.lock().ok()?;
        let (at, principal) = entries.get(&id)?;
        (at.elapsed() < TTL).then(|| principal.clone())
    }

    /// Remembers the caller of a session just read from the store.
    pub fn put(&self, principal: Principal) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
            entries.insert(principal.session.id, (Instant::now(), principal));
        }
    }

    /// Forgets every session of an account (changed, logged out, deleted).
    pub fn forget_user(&self, user: UserId) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.retain(|_, (_, p)| p.user.id != user);
        }
    }
}
