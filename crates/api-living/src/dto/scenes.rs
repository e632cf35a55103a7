//! Params and answers of the scene extension.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use thingstead_http::LooseString;
use utoipa::ToSchema;

/// One action of `/scene/create`: `attributes` to push, or a command
/// (`method`, `params`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActionDto {
    #[schema(value_type = Option<String>)]
    pub iot_id: Option<LooseString>,
    #[schema(value_type = Option<Object>)]
    pub attributes: Option<serde_json::Map<String, Value>>,
    pub method: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub params: Option<Value>,
}

/// `/scene/create` (extension)
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateSceneParams {
    pub name: Option<String>,
    pub actions: Option<Vec<ActionDto>>,
}

/// `/scene/create` answer.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SceneCreated {
    pub scene_id: String,
}

/// A scene in `/scene/list`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SceneDto {
    pub scene_id: String,
    pub name: String,
    /// 1 owner, 0 shared.
    pub owned: u8,
    #[schema(value_type = Vec<Object>)]
    pub actions: Vec<thingstead_core::living::SceneAction>,
    pub gmt_create: i64,
}

impl From<thingstead_core::living::SceneView> for SceneDto {
    fn from(s: thingstead_core::living::SceneView) -> Self {
        SceneDto {
            scene_id: s.id.to_string(),
            name: s.name,
            owned: u8::from(s.owned),
            actions: s.actions,
            gmt_create: s.created_at.timestamp_millis(),
        }
    }
}

/// One action's outcome in `/scene/fire`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FiredDto {
    pub iot_id: String,
    /// Whether the device took it (connected, and the caller still bound).
    pub delivered: bool,
}

/// `/scene/fire` answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct FireAnswer {
    pub results: Vec<FiredDto>,
}
