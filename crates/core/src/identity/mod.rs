//! The identity core: accounts, sessions, verification codes, terminals and
//! provisioning codes, shared by every user-facing dialect.

mod account;
mod cache;
mod codes;
mod login;
mod terminals;

pub use account::{NewAccount, ProfileUpdate};
pub use cache::SessionCache;
pub use codes::CodeRequest;
pub use login::{CodeLogin, PasswordLogin};
pub(crate) use login::{check_password, new_account_no};

use std::sync::Arc;

use crate::error::{DomainError, Result};
use crate::model::{Project, ProjectId, Session, User};
use crate::notify::{Channel, Sender};
use crate::password::PasswordHasher;
use crate::policy::Policy;
use crate::store::Store;
use crate::{now, secret};

/// Length of the random part of a session token (about 238 bits).
const TOKEN_RANDOM_LEN: usize = 40;
/// A session's last-seen time is written at most this often.
const TOUCH_EVERY_SECS: i64 = 60;

/// A logged-in caller: the session and its account as they were read.
#[derive(Debug, Clone)]
pub struct Principal {
    pub session: Session,
    pub user: User,
}

/// The identity service. Cheap to clone.
#[derive(Clone)]
pub struct Identity {
    inner: Arc<Inner>,
}

struct Inner {
    store: Arc<dyn Store>,
    hasher: PasswordHasher,
    sms: Arc<dyn Sender>,
    email: Arc<dyn Sender>,
    policy: Policy,
    cache: Arc<SessionCache>,
}

impl Identity {
    pub fn new(
        store: Arc<dyn Store>,
        hasher: PasswordHasher,
        sms: Arc<dyn Sender>,
        email: Arc<dyn Sender>,
        policy: Policy,
    ) -> Self {
        Identity {
            inner: Arc::new(Inner {
                store,
                hasher,
                sms,
                email,
                policy,
                cache: Arc::new(SessionCache::default()),
            }),
        }
    }

    fn store(&self) -> &dyn Store {
        self.inner.store.as_ref()
    }

    fn policy(&self) -> &Policy {
        &self.inner.policy
    }

    fn sender(&self, channel: Channel) -> &dyn Sender {
        match channel {
            Channel::Sms => self.inner.sms.as_ref(),
            Channel::Email => self.inner.email.as_ref(),
        }
    }

    /// The project that requests naming no app belong to.
    pub async fn default_project(&self) -> Result<Project> {
        self.store()
            .default_project()
            .await?
            .ok_or(DomainError::NotFound("default project"))
    }

    /// The project of the mobile app with this `clientKey`.
    pub async fn project_for_client(&self, client_key: &str) -> Result<ProjectId> {
        let key = client_key.trim();
        if key.is_empty() {
            return Err(DomainError::required("clientKey"));
        }
        match self.store().project_by_client_key(key).await? {
            Some(p) => Ok(p.id),
            None => Err(DomainError::UnknownClient),
        }
    }

    /// The live session a token names. Any malformed, unknown, foreign or
    /// expired token answers [`DomainError::Unauthenticated`].
    pub async fn authenticate(&self, token: &str) -> Result<Principal> {
        let (id, random) = parse_token(token).ok_or(DomainError::Unauthenticated)?;
        let cached = self.inner.cache.get(id);
        let principal = match cached.clone() {
            Some(p) => p,
            None => {
                let (session, user) = self
                    .store()
                    .session_with_user(id)
                    .await?
                    .ok_or(DomainError::Unauthenticated)?;
                Principal { session, user }
            }
        };
        let session = &principal.session;
        if !secret::equal(&token_hash(random), &session.token_hash) {
            return Err(DomainError::Unauthenticated);
        }
        let now = now();
        let idle_deadline = session.last_seen_at + chrono::Duration::seconds(session.idle_secs);
        if now >= session.expires_at || now >= idle_deadline {
            self.store().delete_session(session.id).await?;
            self.inner.cache.forget_user(principal.user.id);
            return Err(DomainError::Unauthenticated);
        }
        if (now - session.last_seen_at).num_seconds() >= TOUCH_EVERY_SECS {
            self.store().touch_session(session.id, now).await?;
            self.inner.cache.forget_user(principal.user.id);
        } else if cached.is_none() {
            self.inner.cache.put(principal.clone());
        }
        Ok(principal)
    }

    /// The cache of authenticated callers, shared with the other services
    /// that change accounts.
    pub fn session_cache(&self) -> Arc<SessionCache> {
        self.inner.cache.clone()
    }

    /// Forgets what this process remembers of an account's sessions; every
    /// change to an account or its sessions calls it.
    pub fn forget_sessions_of(&self, user: crate::model::UserId) {
        self.inner.cache.forget_user(user);
    }

    /// The account behind a session.
    pub async fn user(&self, session: &Session) -> Result<User> {
        self.store()
            .user(session.project_id, session.user_id)
            .await?
            .ok_or(DomainError::Unauthenticated)
    }

    /// Ends one session (logout).
    pub async fn logout(&self, session: &Session) -> Result<()> {
        self.store().delete_session(session.id).await?;
        self.forget_sessions_of(session.user_id);
        Ok(())
    }

    /// Answers when the database answers.
    pub async fn healthy(&self) -> bool {
        self.store().ping().await.is_ok()
    }
}

/// Splits `<id>|<random>`.
fn parse_token(token: &str) -> Option<(i64, &str)> {
    let (id, random) = token.trim().split_once('|')?;
    let id = id.parse::<i64>().ok()?;
    (random.len() == TOKEN_RANDOM_LEN && random.bytes().all(|b| b.is_ascii_alphanumeric()))
        .then_some((id, random))
}

fn token_hash(random: &str) -> String {
    secret::digest(&["session", random])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_shape() {
        let r = secret::alphanumeric(TOKEN_RANDOM_LEN);
        assert_eq!(parse_token(&format!("15|{r}")), Some((15, r.as_str())));
        assert_eq!(parse_token("15|short"), None);
        assert_eq!(parse_token("x|abc"), None);
        assert_eq!(parse_token(""), None);
    }
}
