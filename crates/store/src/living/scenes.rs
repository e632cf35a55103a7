//! Scenes and the users bound to them.

use std::collections::HashMap;

use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder};
use thingstead_core::living::{SceneAction, SceneId, SceneView};
use thingstead_core::model::{ProjectId, UserId};
use thingstead_core::store::StoreResult;
use thingstead_core::{StoreError, Time};

use crate::convert::{ms, time};
use crate::entity::{scene, scene_member};
use crate::{Db, db_err};

/// Binds `user` as a member of `scene` if `owner` owns it and `user` is
/// not bound yet.
pub(super) async fn join_scene(
    txn: &DatabaseTransaction,
    project: ProjectId,
    owner: UserId,
    user: UserId,
    scene: SceneId,
    at: Time,
) -> StoreResult<()> {
    let rows = scene_member::Entity::find()
        .filter(scene_member::Column::ProjectId.eq(project))
        .filter(scene_member::Column::SceneId.eq(scene))
        .filter(scene_member::Column::UserId.is_in([owner, user]))
        .all(txn)
        .await
        .map_err(db_err)?;
    let owned = rows.iter().any(|m| m.user_id == owner && m.owned);
    if !owned || rows.iter().any(|m| m.user_id == user) {
        return Ok(());
    }
    scene_member::Entity::insert(scene_member::ActiveModel {
        id: NotSet,
        project_id: Set(project),
        scene_id: Set(scene),
        user_id: Set(user),
        owned: Set(false),
        created_at: Set(ms(at)),
    })
    .exec_without_returning(txn)
    .await
    .map_err(db_err)?;
    Ok(())
}

impl Db {
    pub(crate) async fn living_insert_scene(
        &self,
        project: ProjectId,
        owner: UserId,
        name: &str,
        actions: &[SceneAction],
        at: Time,
    ) -> StoreResult<SceneId> {
        let actions = serde_json::to_string(actions)
            .map_err(|e| StoreError::Backend(format!("scene actions: {e}")))?;
        let txn = self.begin().await?;
        let res = scene::Entity::insert(scene::ActiveModel {
            id: NotSet,
            project_id: Set(project),
            name: Set(name.to_owned()),
            actions: Set(actions),
            created_at: Set(ms(at)),
        })
        .exec(&txn)
        .await
        .map_err(db_err)?;
        let id = res.last_insert_id;
        scene_member::Entity::insert(scene_member::ActiveModel {
            id: NotSet,
            project_id: Set(project),
            scene_id: Set(id),
            user_id: Set(owner),
            owned: Set(true),
            created_at: Set(ms(at)),
        })
        .exec_without_returning(&txn)
        .await
        .map_err(db_err)?;
        txn.commit().await.map_err(db_err)?;
        Ok(id)
    }

    pub(crate) async fn living_user_scenes(
        &self,
        project: ProjectId,
        user: UserId,
    ) -> StoreResult<Vec<SceneView>> {
        let members = scene_member::Entity::find()
            .filter(scene_member::Column::ProjectId.eq(project))
            .filter(scene_member::Column::UserId.eq(user))
            .order_by_asc(scene_member::Column::SceneId)
            .all(self.reader())
            .await
            .map_err(db_err)?;
        if members.is_empty() {
            return Ok(Vec::new());
        }
        let owned: HashMap<i64, bool> = members.iter().map(|m| (m.scene_id, m.owned)).collect();
        let scenes = scene::Entity::find()
            .filter(scene::Column::ProjectId.eq(project))
            .filter(scene::Column::Id.is_in(owned.keys().copied()))
            .order_by_asc(scene::Column::Id)
            .all(self.reader())
            .await
            .map_err(db_err)?;
        scenes
            .into_iter()
            .map(|s| {
                Ok(SceneView {
                    id: s.id,
                    actions: serde_json::from_str(&s.actions)
                        .map_err(|e| StoreError::Backend(format!("scenes.actions: {e}")))?,
                    owned: owned.get(&s.id).copied().unwrap_or(false),
                    name: s.name,
                    created_at: time(s.created_at)?,
                })
            })
            .collect()
    }

    pub(crate) async fn living_delete_scene(
        &self,
        project: ProjectId,
        scene_id: SceneId,
    ) -> StoreResult<bool> {
        let txn = self.begin().await?;
        scene_member::Entity::delete_many()
            .filter(scene_member::Column::ProjectId.eq(project))
            .filter(scene_member::Column::SceneId.eq(scene_id))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        let res = scene::Entity::delete_many()
            .filter(scene::Column::ProjectId.eq(project))
            .filter(scene::Column::Id.eq(scene_id))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        txn.commit().await.map_err(db_err)?;
        Ok(res.rows_affected > 0)
    }

    pub(crate) async fn living_leave_scene(
        &self,
        project: ProjectId,
        user: UserId,
        scene_id: SceneId,
    ) -> StoreResult<bool> {
        let res = scene_member::Entity::delete_many()
            .filter(scene_member::Column::ProjectId.eq(project))
            .filter(scene_member::Column::SceneId.eq(scene_id))
            .filter(scene_member::Column::UserId.eq(user))
            .filter(scene_member::Column::Owned.eq(false))
            .exec(self.writer())
            .await
            .map_err(db_err)?;
        Ok(res.rows_affected > 0)
    }
}
