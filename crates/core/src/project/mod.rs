//! The project API's domain (seed 003): who calls ([`access`]), device
//! types, groups and devices ([`devices`]), customers and roles
//! ([`customers`]). Every call is scoped to one project: an id of another
//! project answers exactly like an id that does not exist.

pub mod access;
pub mod customers;
pub mod devices;
mod gateways;

pub use gateways::MAX_ATTACH;

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::identity::SessionCache;
use crate::model::ProjectId;
use crate::password::PasswordHasher;
use crate::policy::Policy;
use crate::store::Store;

/// Tags: a string map, as seed 003 shows them.
pub type Tags = BTreeMap<String, String>;

/// Who is calling the project API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub project_id: ProjectId,
    pub kind: CallerKind,
}

/// An API app (token from `access_token`) or an admin (`admin_login`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallerKind {
    App { app_id: i64 },
    Admin { admin_id: i64 },
}

/// The project API service. Cheap to clone.
#[derive(Clone)]
pub struct Projects {
    inner: Arc<Inner>,
}

struct Inner {
    store: Arc<dyn Store>,
    hasher: PasswordHasher,
    policy: Policy,
    sessions: Arc<SessionCache>,
    /// Where the device lists start, kept for a second.
    device_lists: devices::ListMarks,
}

impl Projects {
    /// `sessions` is the identity service's cache of authenticated callers
    /// ([`crate::Identity::session_cache`]), forgotten on every change to a
    /// customer here.
    pub fn new(
        store: Arc<dyn Store>,
        hasher: PasswordHasher,
        policy: Policy,
        sessions: Arc<SessionCache>,
    ) -> Self {
        Projects {
            inner: Arc::new(Inner {
                store,
                hasher,
                policy,
                sessions,
                device_lists: devices::ListMarks::default(),
            }),
        }
    }

    fn store(&self) -> &dyn Store {
        self.inner.store.as_ref()
    }

    fn hasher(&self) -> &PasswordHasher {
        &self.inner.hasher
    }

    fn policy(&self) -> &Policy {
        &self.inner.policy
    }

    /// Forgets the cached sessions of a user this service changed.
    fn forget_sessions_of(&self, user: crate::model::UserId) {
        self.inner.sessions.forget_user(user);
    }
}
