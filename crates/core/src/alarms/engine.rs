//! Rule evaluation on the ingest path. The rules of each device type and
//! the set of open (device, rule) pairs live in memory; a report costs a
//! map lookup when its type has no rules, and a few comparisons when it
//! has. Only transitions leave: they go to the writer on a channel.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::sync::oneshot;

use super::rules::{AlarmRule, Condition, RuleId};
use super::{Alarms, OpenAlarm};
use crate::project::devices::{DeviceId, DeviceTypeId};
use crate::telemetry::{Attributes, ConnectedDevice};
use crate::{Time, now};

/// How long a type's rules are kept before they are read again (rules
/// changed through another process are seen after this).
const RULES_TTL: Duration = Duration::from_secs(10);
/// Shards of the open set, so that connections rarely wait for each other.
const SHARDS: usize = 32;

/// What happened to make a rule true.
#[derive(Debug, Clone)]
pub(crate) enum Trigger {
    /// The report that made it true.
    Attributes(Attributes),
    /// Offline for the rule's seconds.
    Offline,
    /// The event's params.
    Event(Value),
}

/// A change of an alarm, on its way to the writer.
#[derive(Debug)]
pub(crate) enum Transition {
    Open {
        device: ConnectedDevice,
        rule: Arc<AlarmRule>,
        trigger: Trigger,
        at: Time,
    },
    Close {
        device: ConnectedDevice,
        rule: Arc<AlarmRule>,
        at: Time,
    },
    /// Answered once every transition sent before it is stored.
    Flush(oneshot::Sender<()>),
}

type Rules = Arc<[Arc<AlarmRule>]>;

/// The in-memory state.
pub(crate) struct Engine {
    rules: RwLock<HashMap<DeviceTypeId, (Instant, Rules)>>,
    open: Vec<Mutex<HashSet<(DeviceId, RuleId)>>>,
    /// Bumped on every connect and disconnect: an offline timer fires only
    /// if nothing happened since it was set.
    presence: Mutex<HashMap<DeviceId, u64>>,
}

impl Default for Engine {
    fn default() -> Self {
        Engine {
            rules: RwLock::default(),
            open: (0..SHARDS).map(|_| Mutex::default()).collect(),
            presence: Mutex::default(),
        }
    }
}

impl Engine {
    fn shard(&self, device: DeviceId) -> std::sync::MutexGuard<'_, HashSet<(DeviceId, RuleId)>> {
        self.open[device.rem_euclid(SHARDS as i64) as usize]
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Marks the alarms open (at start).
    pub fn remember(&self, open: &[OpenAlarm]) {
        for a in open {
            self.shard(a.device_id).insert((a.device_id, a.rule_id));
        }
    }

    /// Marks the pair open; false when it already was.
    fn open(&self, device: DeviceId, rule: RuleId) -> bool {
        self.shard(device).insert((device, rule))
    }

    /// Marks the pair closed; false when it was not open.
    pub fn close(&self, device: DeviceId, rule: RuleId) -> bool {
        self.shard(device).remove(&(device, rule))
    }

    fn is_open(&self, device: DeviceId, rule: RuleId) -> bool {
        self.shard(device).contains(&(device, rule))
    }

    /// The type's rules when known and fresh. When they are stale, the
    /// first caller gets `None` (and reads them again) while the others go
    /// on with the stale ones meanwhile: a thousand connections never read
    /// the same rules at once.
    fn cached(&self, type_id: DeviceTypeId) -> Option<Rules> {
        {
            let rules = self.rules.read().unwrap_or_else(PoisonError::into_inner);
            match rules.get(&type_id) {
                None => return None,
                Some((at, r)) if at.elapsed() < RULES_TTL => return Some(r.clone()),
                Some(_) => {}
            }
        }
        let mut rules = self.rules.write().unwrap_or_else(PoisonError::into_inner);
        let (at, r) = rules.get_mut(&type_id)?;
        if at.elapsed() < RULES_TTL {
            return Some(r.clone());
        }
        *at = Instant::now();
        None
    }

    pub fn forget_type(&self, type_id: DeviceTypeId) {
        self.rules
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&type_id);
    }

    fn bump(&self, device: DeviceId) -> u64 {
        let mut p = self.presence.lock().unwrap_or_else(PoisonError::into_inner);
        let g = p.entry(device).or_insert(0);
        *g += 1;
        *g
    }

    fn generation(&self, device: DeviceId) -> u64 {
        let p = self.presence.lock().unwrap_or_else(PoisonError::into_inner);
        p.get(&device).copied().unwrap_or(0)
    }
}

impl Alarms {
    /// The enabled rules of a type, from memory when fresh. A store that
    /// fails gives no rules (logged): ingest never waits on alarms.
    async fn rules_of(&self, type_id: Option<DeviceTypeId>) -> Option<Rules> {
        let type_id = type_id?;
        let engine = &self.inner.engine;
        if let Some(rules) = engine.cached(type_id) {
            return (!rules.is_empty()).then_some(rules);
        }
        let loaded: Rules = match self.store().rules(type_id).await {
            Ok(rules) => rules
                .into_iter()
                .filter(|r| r.spec.enabled)
                .map(Arc::new)
                .collect(),
            Err(e) => {
                tracing::error!(error = %e, type_id, "alarm rules could not be read");
                return None;
            }
        };
        engine
            .rules
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(type_id, (Instant::now(), loaded.clone()));
        (!loaded.is_empty()).then_some(loaded)
    }

    fn send(&self, t: Transition) {
        if self.inner.transitions.send(t).is_err() {
            tracing::error!("the alarm writer has stopped; an alarm change is lost");
        }
    }

    /// Checks an attribute report: opens alarms whose condition turned
    /// true, closes open ones whose recovery holds.
    pub async fn on_attributes(&self, device: &ConnectedDevice, attrs: &Attributes) {
        let Some(rules) = self.rules_of(device.type_id).await else {
            return;
        };
        let engine = &self.inner.engine;
        for rule in rules.iter() {
            let is_open = engine.is_open(device.device, rule.id);
            if is_open {
                let recovered = match (&rule.spec.recovery, &rule.spec.condition) {
                    (Some(r), _) => r.decide(attrs) == Some(true),
                    (None, Condition::Attribute(c)) => c.decide(attrs) == Some(false),
                    (None, _) => false,
                };
                if recovered && engine.close(device.device, rule.id) {
                    self.send(Transition::Close {
                        device: device.clone(),
                        rule: rule.clone(),
                        at: now(),
                    });
                }
            } else if let Condition::Attribute(c) = &rule.spec.condition
                && c.decide(attrs) == Some(true)
                && engine.open(device.device, rule.id)
            {
                self.send(Transition::Open {
                    device: device.clone(),
                    rule: rule.clone(),
                    trigger: Trigger::Attributes(attrs.clone()),
                    at: now(),
                });
            }
        }
    }

    /// Checks an event report against the type's event rules.
    pub async fn on_event(&self, device: &ConnectedDevice, method: &str, params: &Value) {
        let Some(rules) = self.rules_of(device.type_id).await else {
            return;
        };
        for rule in rules.iter() {
            if let Condition::Event { identifier } = &rule.spec.condition
                && identifier == method
                && self.inner.engine.open(device.device, rule.id)
            {
                self.send(Transition::Open {
                    device: device.clone(),
                    rule: rule.clone(),
                    trigger: Trigger::Event(params.clone()),
                    at: now(),
                });
            }
        }
    }

    /// The device connected: its offline alarms close.
    pub async fn on_connected(&self, device: &ConnectedDevice) {
        self.inner.engine.bump(device.device);
        let Some(rules) = self.rules_of(device.type_id).await else {
            return;
        };
        for rule in rules.iter() {
            if matches!(rule.spec.condition, Condition::Offline { .. })
                && self.inner.engine.close(device.device, rule.id)
            {
                self.send(Transition::Close {
                    device: device.clone(),
                    rule: rule.clone(),
                    at: now(),
                });
            }
        }
    }

    /// The device went offline: each offline rule opens an alarm if it
    /// stays offline for the rule's seconds.
    pub async fn on_disconnected(&self, device: &ConnectedDevice) {
        let generation = self.inner.engine.bump(device.device);
        let Some(rules) = self.rules_of(device.type_id).await else {
            return;
        };
        for rule in rules.iter() {
            let Condition::Offline { seconds } = rule.spec.condition else {
                continue;
            };
            let (alarms, device, rule) = (self.clone(), device.clone(), rule.clone());
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_secs(seconds)).await;
                let engine = &alarms.inner.engine;
                if engine.generation(device.device) == generation
                    && engine.open(device.device, rule.id)
                {
                    alarms.send(Transition::Open {
                        device,
                        rule,
                        trigger: Trigger::Offline,
                        at: now(),
                    });
                }
            });
        }
    }
}
