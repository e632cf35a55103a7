//! Scenes (extension, same envelope): create, list, delete, fire.

use axum::extract::State;
use axum::response::Response;
use thingstead_core::living::SceneAction;
use thingstead_http::AppState;

use crate::dto::*;
use crate::envelope::{Answer, Plain};
use crate::request::Call;

/// POST /scene/create — a scene of actions on devices the caller is bound to.
#[utoipa::path(post, path = "/create", tag = super::TAG,
    request_body = Envelope<CreateSceneParams>, responses((status = 200, body = Answer<SceneCreated>)))]
#[tracing::instrument(skip_all)]
pub async fn create(State(s): State<AppState>, mut call: Call<CreateSceneParams>) -> Response {
    let name = call.params.name.take();
    let actions = call.params.actions.take();
    let result = async {
        let name = required("name", name)?;
        let actions = required("actions", actions)?
            .into_iter()
            .map(|a| SceneAction {
                iot_id: a.iot_id.map(|i| i.0).unwrap_or_default(),
                attributes: a.attributes,
                method: a.method,
                params: a.params,
            })
            .collect();
        let id = s
            .living
            .create_scene(&call.caller.user, &name, actions)
            .await?;
        Ok(SceneCreated {
            scene_id: id.to_string(),
        })
    }
    .await;
    call.answer(result)
}

/// POST /scene/list — the caller's scenes, owned and shared, paged.
#[utoipa::path(post, path = "/list", tag = super::TAG,
    request_body = Envelope<PageParams>, responses((status = 200, body = Answer<PageOf<SceneDto>>)))]
#[tracing::instrument(skip_all)]
pub async fn list(State(s): State<AppState>, call: Call<PageParams>) -> Response {
    let p = &call.params;
    let result = async {
        let page = page(p.page_no, p.page_size)?;
        let paged = s.living.scenes(&call.caller.user, page).await?;
        Ok(PageOf::of(paged, SceneDto::from))
    }
    .await;
    call.answer(result)
}

/// POST /scene/delete — the owner deletes a scene for everyone.
#[utoipa::path(post, path = "/delete", tag = super::TAG,
    request_body = Envelope<SceneParams>, responses((status = 200, body = Plain)))]
#[tracing::instrument(skip_all)]
pub async fn delete(State(s): State<AppState>, call: Call<SceneParams>) -> Response {
    let result = async {
        let id = required("sceneId", call.params.scene_id.as_ref())?;
        s.living.delete_scene(&call.caller.user, id.as_str()).await
    }
    .await;
    call.done(result)
}

/// POST /scene/fire — performs the scene's actions; says which devices took them.
#[utoipa::path(post, path = "/fire", tag = super::TAG,
    request_body = Envelope<SceneParams>, responses((status = 200, body = Answer<FireAnswer>)))]
#[tracing::instrument(skip_all)]
pub async fn fire(State(s): State<AppState>, call: Call<SceneParams>) -> Response {
    let result = async {
        let id = required("sceneId", call.params.scene_id.as_ref())?;
        let fired = s.living.fire_scene(&call.caller.user, id.as_str()).await?;
        Ok(FireAnswer {
            results: fired
                .into_iter()
                .map(|f| FiredDto {
                    iot_id: f.iot_id,
                    delivered: f.delivered,
                })
                .collect(),
        })
    }
    .await;
    call.answer(result)
}
