//! Sharing: QR keys the owner shows and a family member scans, and share
//! notices to a phone number or e-mail address that the receiver agrees
//! to or refuses.

use chrono::Duration;

use super::values::{Page, Paged, address, iot_ids};
use super::{
    Living, LivingError, MAX_SHARE, NOTICE_DAYS, NOTICES_PER_HOUR, NewNotice, NewShareKey,
    NoticeId, NoticeView, Recipient, SHARE_KEY_MINUTES, SceneId,
};
use crate::error::DomainError;
use crate::model::User;
use crate::project::devices::DeviceId;
use crate::{now, secret};

type Result<T> = std::result::Result<T, LivingError>;

/// Length of a share key: 32 alphanumerics, about 190 bits.
const SHARE_KEY_LEN: usize = 32;
/// Longest `qrKey` looked up.
const SHARE_KEY_MAX: usize = 128;

fn key_hash(key: &str) -> String {
    secret::digest(&["share", key])
}

/// A notice as one user sees it.
#[derive(Debug, Clone)]
pub struct NoticeItem {
    pub notice: NoticeView,
    /// Whether the caller is the receiver.
    pub is_receiver: bool,
    /// The status as of now.
    pub status: i32,
    /// The caller's nickname of the device, when bound and set.
    pub nickname: Option<String>,
}

/// `recordIdList`: ids that are not positive integers name no notice.
fn record_ids(raw: &[String]) -> Result<Vec<NoticeId>> {
    if raw.is_empty() || raw.len() > MAX_SHARE {
        return Err(LivingError::invalid(
            "recordIdList",
            format!("recordIdList must hold 1 to {MAX_SHARE} ids"),
        ));
    }
    let mut out = Vec::new();
    for r in raw {
        let id = r
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|i| *i > 0)
            .ok_or_else(no_record)?;
        if !out.contains(&id) {
            out.push(id);
        }
    }
    Ok(out)
}

fn no_record() -> LivingError {
    LivingError::invalid(
        "recordIdList",
        "recordIdList names no pending share of yours",
    )
}

fn bad_key() -> LivingError {
    LivingError::invalid("qrKey", "qrKey is unknown, used or expired")
}

impl Living {
    /// Checks that the caller owns every device and that each may be shared.
    async fn check_shareable(&self, caller: &User, devices: &[DeviceId]) -> Result<()> {
        for d in devices {
            let b = self.owned_binding(caller, *d).await?;
            if !b.allows_share() {
                return Err(LivingError::ShareForbidden);
            }
        }
        Ok(())
    }

    /// `generateShareQrCode`: a single-use key, valid 30 minutes, that
    /// binds its scanner as a member of the devices (and scenes).
    #[tracing::instrument(skip_all, fields(user = caller.id))]
    pub async fn generate_share_key(
        &self,
        caller: &User,
        iots: &[String],
        scenes: &[SceneId],
    ) -> Result<String> {
        if iots.is_empty() && scenes.is_empty() {
            return Err(LivingError::invalid(
                "iotIdList",
                "iotIdList and sceneIdList must not both be empty",
            ));
        }
        let devices = iot_ids("iotIdList", iots, MAX_SHARE)?;
        self.check_shareable(caller, &devices).await?;
        self.check_scene_owner(caller, scenes).await?;
        let key = secret::alphanumeric(SHARE_KEY_LEN);
        let now = now();
        self.store()
            .insert_share_key(NewShareKey {
                project_id: caller.project_id,
                owner_id: caller.id,
                key_hash: key_hash(&key),
                devices,
                scenes: scenes.to_vec(),
                created_at: now,
                expires_at: now + Duration::minutes(SHARE_KEY_MINUTES),
            })
            .await?;
        Ok(key)
    }

    /// `scanBindByShareQrCode`: binds the caller as a member of the key's
    /// devices. A key that is unknown, used, expired or of another project
    /// answers the same; of two scanners at once one wins.
    #[tracing::instrument(skip_all, fields(user = caller.id))]
    pub async fn scan_share_key(&self, caller: &User, key: &str) -> Result<()> {
        let key = key.trim();
        if key.is_empty() {
            return Err(LivingError::invalid("qrKey", "qrKey is required"));
        }
        if key.len() > SHARE_KEY_MAX {
            return Err(bad_key());
        }
        let hash = key_hash(key);
        let store = self.store();
        let now = now();
        let found = store
            .share_key(caller.project_id, &hash, now)
            .await?
            .ok_or_else(bad_key)?;
        let owned = store
            .user_bindings(caller.project_id, found.owner_id)
            .await?;
        for d in &found.devices {
            if owned
                .iter()
                .any(|b| b.device.id == *d && b.binding.owned && !b.allows_share())
            {
                return Err(LivingError::ShareForbidden);
            }
        }
        store
            .redeem_share_key(caller.project_id, &hash, caller.id, now)
            .await?
            .ok_or_else(bad_key)?;
        Ok(())
    }

    /// `shareDevicesAndScenes`: a notice per device to the user of a phone
    /// number or e-mail address. An address without an account answers the
    /// same; the notice waits for that account for 7 days. At most
    /// [`NOTICES_PER_HOUR`] notices a sender per hour.
    #[tracing::instrument(skip_all, fields(user = caller.id))]
    pub async fn share_to(
        &self,
        caller: &User,
        iots: &[String],
        kind: &str,
        value: &str,
    ) -> Result<()> {
        if iots.is_empty() {
            return Err(LivingError::invalid(
                "iotIdList",
                "iotIdList must not be empty",
            ));
        }
        let to = address(kind, value)?;
        if to.is_of(caller) {
            return Err(LivingError::invalid(
                "accountAttr",
                "accountAttr is the caller's own account",
            ));
        }
        let devices = iot_ids("iotIdList", iots, MAX_SHARE)?;
        self.check_shareable(caller, &devices).await?;
        let now = now();
        let sent = self
            .store()
            .count_sent_notices(caller.project_id, caller.id, now - Duration::hours(1))
            .await?;
        if sent + devices.len() as u64 > NOTICES_PER_HOUR {
            return Err(DomainError::TooManyRequests.into());
        }
        let notices: Vec<NewNotice> = devices
            .into_iter()
            .map(|device_id| NewNotice {
                project_id: caller.project_id,
                initiator_id: caller.id,
                receiver: to.clone(),
                device_id,
                created_at: now,
                expires_at: now + Duration::days(NOTICE_DAYS),
            })
            .collect();
        self.store().insert_notices(&notices).await?;
        Ok(())
    }

    /// `getShareNoticeList`: the notices the caller sent or receives.
    pub async fn notices(&self, caller: &User, page: Page) -> Result<Paged<NoticeItem>> {
        let me = Recipient::of(caller);
        let store = self.store();
        let notices = store.notices(caller.project_id, &me).await?;
        let mine = store.user_bindings(caller.project_id, caller.id).await?;
        let now = now();
        let items = notices
            .into_iter()
            .map(|n| {
                let nickname = mine
                    .iter()
                    .find(|b| b.device.id == n.device.id)
                    .map(|b| b.binding.nickname.clone())
                    .filter(|s| !s.is_empty());
                NoticeItem {
                    is_receiver: n.initiator.id != caller.id,
                    status: n.status_at(now),
                    nickname,
                    notice: n,
                }
            })
            .collect();
        Ok(page.cut(items))
    }

    /// `confirmShare`: the receiver agrees (binding as a member) or refuses.
    #[tracing::instrument(skip_all, fields(user = caller.id))]
    pub async fn confirm_share(&self, caller: &User, ids: &[String], agree: bool) -> Result<()> {
        let ids = record_ids(ids)?;
        let me = Recipient::of(caller);
        if self
            .store()
            .answer_notices(caller.project_id, &me, &ids, agree, now())
            .await?
        {
            Ok(())
        } else {
            Err(no_record())
        }
    }

    /// `cancelShare`: the sender withdraws pending notices.
    #[tracing::instrument(skip_all, fields(user = caller.id))]
    pub async fn cancel_share(&self, caller: &User, ids: &[String]) -> Result<()> {
        let ids = record_ids(ids)?;
        if self
            .store()
            .cancel_notices(caller.project_id, caller.id, &ids, now())
            .await?
        {
            Ok(())
        } else {
            Err(no_record())
        }
    }

    /// `clearShareNoticeList`: empties the caller's list, sent and received.
    pub async fn clear_notices(&self, caller: &User) -> Result<()> {
        self.store()
            .clear_notices(caller.project_id, &Recipient::of(caller))
            .await?;
        Ok(())
    }
}
