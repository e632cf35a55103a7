//! Persistent MQTT sessions, kept in this process's memory: a device that
//! connects with a clean session gets none; one that connects without
//! (3.1.1 `clean_session = 0`, MQTT 5 `clean_start = 0`) finds the
//! subscriptions its earlier connection made, and CONNACK says
//! `session present`. A session ends when its expiry passes after the
//! connection closed (MQTT 5 Session Expiry Interval; 3.1.1: never, until
//! the process stops). Downlinks are not queued for an absent device.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use rmqtt_codec::types::QoS;
use thingstead_core::project::devices::DeviceId;

/// One subscription: a filter and the QoS granted.
pub type Subscription = (Box<str>, QoS);

struct Stored {
    /// The connection (bus generation) that owns the session now.
    owner: u64,
    subscriptions: Vec<Subscription>,
    /// `None` while connected, or for a session that never expires.
    expires: Option<Instant>,
}

/// The sessions of one gateway.
#[derive(Default)]
pub struct Sessions {
    map: Mutex<HashMap<DeviceId, Stored>>,
}

impl Sessions {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<DeviceId, Stored>> {
        self.map.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A connection `owner` of `device` starts. Returns the subscriptions
    /// of the session it resumes, or `None` when it starts a new one (clean
    /// start, or nothing stored). A connection whose session outlives it
    /// (`keep`) is given an entry to write through.
    pub fn open(
        &self,
        device: DeviceId,
        owner: u64,
        clean_start: bool,
        keep: bool,
    ) -> Option<Vec<Subscription>> {
        let mut map = self.lock();
        let now = Instant::now();
        let resumed = match map.remove(&device) {
            Some(s) if !clean_start && s.expires.is_none_or(|t| t > now) => Some(s.subscriptions),
            _ => None,
        };
        if keep {
            map.insert(
                device,
                Stored {
                    owner,
                    subscriptions: resumed.clone().unwrap_or_default(),
                    expires: None,
                },
            );
        }
        resumed
    }

    /// The connection's subscriptions changed; kept if it still owns the
    /// session.
    pub fn save(&self, device: DeviceId, owner: u64, subscriptions: &[Subscription]) {
        if let Some(s) = self.lock().get_mut(&device)
            && s.owner == owner
        {
            s.subscriptions = subscriptions.to_vec();
        }
    }

    /// The connection ended: its session expires `expiry_secs` from now
    /// (0: at once; `u32::MAX`: never). A session taken over by a newer
    /// connection is left alone.
    pub fn close(&self, device: DeviceId, owner: u64, expiry_secs: u32) {
        let mut map = self.lock();
        let Some(s) = map.get_mut(&device) else {
            return;
        };
        if s.owner != owner {
            return;
        }
        if expiry_secs == 0 {
            map.remove(&device);
        } else if expiry_secs != u32::MAX {
            s.expires = Instant::now().checked_add(Duration::from_secs(u64::from(expiry_secs)));
        }
    }

    /// Drops the sessions whose expiry has passed.
    pub fn sweep(&self) {
        let now = Instant::now();
        self.lock().retain(|_, s| s.expires.is_none_or(|t| t > now));
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.lock().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sub(f: &str) -> Subscription {
        (f.into(), QoS::AtLeastOnce)
    }

    #[test]
    fn a_persistent_session_comes_back_and_a_clean_one_does_not() {
        let s = Sessions::default();
        assert_eq!(s.open(1, 10, false, true), None, "nothing stored yet");
        s.save(1, 10, &[sub("attributes/push")]);
        s.close(1, 10, u32::MAX);
        assert_eq!(
            s.open(1, 11, false, true),
            Some(vec![sub("attributes/push")])
        );
        s.close(1, 11, 0);
        assert_eq!(s.open(1, 12, false, true), None, "expiry 0 ended it");
        s.save(1, 12, &[sub("command/send/+")]);
        s.close(1, 12, u32::MAX);
        assert_eq!(s.open(1, 13, true, false), None, "clean start drops it");
        assert_eq!(s.len(), 0);
    }

    #[test]
    fn a_taken_over_connection_does_not_touch_the_new_session() {
        let s = Sessions::default();
        s.open(2, 20, false, true);
        s.save(2, 20, &[sub("attributes/push")]);
        // A second connection resumes while the first is still closing.
        assert_eq!(
            s.open(2, 21, false, true),
            Some(vec![sub("attributes/push")])
        );
        s.save(2, 20, &[]);
        s.close(2, 20, 0);
        s.close(2, 21, u32::MAX);
        assert_eq!(
            s.open(2, 22, false, true),
            Some(vec![sub("attributes/push")])
        );
    }

    #[test]
    fn expired_sessions_are_swept() {
        let s = Sessions::default();
        s.open(3, 30, false, true);
        s.close(3, 30, 1);
        s.sweep();
        assert_eq!(s.len(), 1);
        {
            let mut map = s.lock();
            map.get_mut(&3).unwrap_or_else(|| unreachable!()).expires = Some(Instant::now());
        }
        std::thread::sleep(Duration::from_millis(2));
        s.sweep();
        assert_eq!(s.len(), 0);
    }
}
