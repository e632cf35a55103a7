//! Scenes (extension): a user's named list of actions on devices it is
//! bound to; firing a scene performs them. Scenes are shared like devices
//! (`generateShareQrCode` with `sceneIdList`) and left with
//! `unbindAccountAndScene`: a member leaves alone, the owner leaving ends
//! the scene for everyone.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::values::{Page, Paged, iot_id};
use super::{Living, LivingError, SceneId};
use crate::Time;
use crate::model::User;
use crate::now;
use crate::telemetry::{CommandOutcome, Delivery};

type Result<T> = std::result::Result<T, LivingError>;

/// Most actions in a scene.
pub const MAX_ACTIONS: usize = 20;
/// Longest scene name, in characters.
pub const SCENE_NAME_MAX: usize = 64;

/// One action: attributes pushed to a device, or a command sent to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SceneAction {
    pub iot_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Map<String, Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<Value>,
}

/// A scene with the caller's part in it.
#[derive(Debug, Clone, PartialEq)]
pub struct SceneView {
    pub id: SceneId,
    pub name: String,
    pub actions: Vec<SceneAction>,
    pub owned: bool,
    pub created_at: Time,
}

/// What firing did for one action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fired {
    pub iot_id: String,
    /// Whether the device took it (connected, and the caller still bound).
    pub delivered: bool,
}

fn no_scene(field: &'static str) -> LivingError {
    LivingError::invalid(field, format!("{field} names no scene of yours"))
}

/// A `sceneId`: anything that is not a positive integer names no scene.
pub fn scene_id(field: &'static str, raw: &str) -> Result<SceneId> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(LivingError::invalid(field, format!("{field} is required")));
    }
    s.parse::<i64>()
        .ok()
        .filter(|i| *i > 0)
        .ok_or_else(|| no_scene(field))
}

impl Living {
    /// The caller's scene `id`, or 460 naming `field`.
    async fn own_scene(
        &self,
        caller: &User,
        field: &'static str,
        id: SceneId,
    ) -> Result<SceneView> {
        self.store()
            .user_scenes(caller.project_id, caller.id)
            .await?
            .into_iter()
            .find(|s| s.id == id)
            .ok_or_else(|| no_scene(field))
    }

    /// Scenes are shared by their owner only.
    pub(super) async fn check_scene_owner(&self, caller: &User, scenes: &[SceneId]) -> Result<()> {
        for s in scenes {
            if !self.own_scene(caller, "sceneIdList", *s).await?.owned {
                return Err(LivingError::NotManager);
            }
        }
        Ok(())
    }

    /// `/scene/create`: a scene of 1 to 20 actions on devices the caller is
    /// bound to; the caller owns it.
    #[tracing::instrument(skip_all, fields(user = caller.id))]
    pub async fn create_scene(
        &self,
        caller: &User,
        name: &str,
        actions: Vec<SceneAction>,
    ) -> Result<SceneId> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > SCENE_NAME_MAX {
            return Err(LivingError::invalid(
                "name",
                format!("name must be 1 to {SCENE_NAME_MAX} characters"),
            ));
        }
        if actions.is_empty() || actions.len() > MAX_ACTIONS {
            return Err(LivingError::invalid(
                "actions",
                format!("actions must hold 1 to {MAX_ACTIONS} actions"),
            ));
        }
        let mut checked = Vec::with_capacity(actions.len());
        for mut a in actions {
            let device = iot_id(&a.iot_id)?;
            match (&a.attributes, &a.method) {
                (Some(attrs), None) if !attrs.is_empty() => {}
                (None, Some(m)) if !m.trim().is_empty() => {}
                _ => {
                    return Err(LivingError::invalid(
                        "actions",
                        "each action has either attributes (a non-empty object) or a method",
                    ));
                }
            }
            self.own_binding(caller, device).await?;
            a.iot_id = device.to_string();
            checked.push(a);
        }
        Ok(self
            .store()
            .insert_scene(caller.project_id, caller.id, name, &checked, now())
            .await?)
    }

    /// `/scene/list`: the caller's scenes, owned and shared, oldest first.
    pub async fn scenes(&self, caller: &User, page: Page) -> Result<Paged<SceneView>> {
        let all = self
            .store()
            .user_scenes(caller.project_id, caller.id)
            .await?;
        Ok(page.cut(all))
    }

    /// `/scene/delete`: the owner deletes a scene for everyone.
    #[tracing::instrument(skip_all, fields(user = caller.id))]
    pub async fn delete_scene(&self, caller: &User, raw: &str) -> Result<()> {
        let id = scene_id("sceneId", raw)?;
        let scene = self.own_scene(caller, "sceneId", id).await?;
        if !scene.owned {
            return Err(LivingError::NotManager);
        }
        self.store().delete_scene(caller.project_id, id).await?;
        Ok(())
    }

    /// `unbindAccountAndScene`: a member leaves; the owner leaving deletes it.
    #[tracing::instrument(skip_all, fields(user = caller.id))]
    pub async fn unbind_scene(&self, caller: &User, raw: &str) -> Result<()> {
        let id = scene_id("sceneId", raw)?;
        let scene = self.own_scene(caller, "sceneId", id).await?;
        let store = self.store();
        if scene.owned {
            store.delete_scene(caller.project_id, id).await?;
        } else {
            store.leave_scene(caller.project_id, caller.id, id).await?;
        }
        Ok(())
    }

    /// `/scene/fire`: performs each action on a device the caller is still
    /// bound to; says which ones the device took.
    #[tracing::instrument(skip_all, fields(user = caller.id))]
    pub async fn fire_scene(&self, caller: &User, raw: &str) -> Result<Vec<Fired>> {
        let id = scene_id("sceneId", raw)?;
        let scene = self.own_scene(caller, "sceneId", id).await?;
        let bound = self
            .store()
            .user_bindings(caller.project_id, caller.id)
            .await?;
        let project = caller.project_id;
        let mut out = Vec::with_capacity(scene.actions.len());
        for a in scene.actions {
            let mine = bound.iter().any(|b| b.device.id.to_string() == a.iot_id);
            let delivered = if !mine {
                false
            } else if let Some(attrs) = a.attributes {
                matches!(
                    self.inner
                        .telemetry
                        .push_attributes(project, &a.iot_id, attrs)
                        .await,
                    Ok(Delivery::Sent)
                )
            } else {
                let body = json!({"method": a.method, "params": a.params.unwrap_or(json!({}))});
                matches!(
                    self.inner
                        .telemetry
                        .command(project, &a.iot_id, body, Duration::ZERO)
                        .await,
                    Ok(CommandOutcome::Sent | CommandOutcome::Replied(_))
                )
            };
            out.push(Fired {
                iot_id: a.iot_id,
                delivered,
            });
        }
        Ok(out)
    }
}
