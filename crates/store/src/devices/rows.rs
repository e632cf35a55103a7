//! Devices: insert, read, page, change, delete, groups, certificate.

use std::collections::BTreeSet;

use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect,
};
use thingstead_core::StoreError;
use thingstead_core::model::ProjectId;
use thingstead_core::project::Tags;
use thingstead_core::project::devices::{
    Certificate, Device, DeviceDetail, DeviceId, DeviceInfoUpdate, DeviceTypeId, DeviceView,
    GroupId, GroupsEdit, NewDevice, TagsEdit, TypeChoice,
};
use thingstead_core::store::StoreResult;

use super::convert::{self, dev_err, is_foreign_key, tags_json};
use super::types::{ensure_default, find_default};
use crate::convert::ms;
use crate::entity::{device, device_group, device_group_member, device_type, project};
use crate::{Db, db_err};

pub(super) fn view(d: device::Model, t: Option<device_type::Model>) -> StoreResult<DeviceView> {
    Ok(DeviceView {
        device: convert::device(d)?,
        type_info: t.map(convert::type_brief),
    })
}

/// Inserts the device in one statement, only if the type is the project's.
async fn insert_with_type(
    conn: &impl ConnectionTrait,
    new: &NewDevice,
    type_id: DeviceTypeId,
) -> StoreResult<Option<Device>> {
    use device::Column as C;
    let type_is_the_projects = Query::select()
        .expr(Expr::val(1))
        .from(device_type::Entity)
        .and_where(Expr::col(device_type::Column::Id).eq(type_id))
        .and_where(Expr::col(device_type::Column::ProjectId).eq(new.project_id))
        .take();
    let values = Query::select()
        .exprs([
            Expr::val(new.project_id),
            Expr::val(type_id),
            Expr::val(new.name.as_str()),
            Expr::val(new.descr.as_str()),
            Expr::val(new.device_key.as_str()),
            Expr::val(tags_json(&new.tags)),
            Expr::val(new.access_token.as_str()),
            Expr::val(new.view_token.as_str()),
            Expr::val(new.device_code.as_str()),
            Expr::val(ms(new.created_at)),
        ])
        .and_where(Expr::exists(type_is_the_projects))
        .take();
    let mut insert = Query::insert();
    insert
        .into_table(device::Entity)
        .columns([
            C::ProjectId,
            C::TypeId,
            C::Name,
            C::Descr,
            C::DeviceKey,
            C::Tags,
            C::AccessToken,
            C::ViewToken,
            C::DeviceCode,
            C::CreatedAt,
        ])
        .select_from(values)
        .map_err(|e| StoreError::Backend(e.to_string()))?
        .returning_all();
    let Some(row) = conn.query_one(&insert).await.map_err(dev_err)? else {
        return Ok(None);
    };
    let model = device::Model::from_query_result(&row, "").map_err(db_err)?;
    convert::device(model).map(Some)
}

impl Db {
    /// Inserts one device by itself (see `inserts` for the usual way).
    pub(super) async fn add_device_alone(
        &self,
        new: NewDevice,
        choice: TypeChoice,
    ) -> StoreResult<Option<Device>> {
        let seed = match choice {
            TypeChoice::Given(type_id) => {
                return insert_with_type(self.writer(), &new, type_id).await;
            }
            TypeChoice::Default(seed) => seed,
        };
        // Usually the default type exists: one read, one statement.
        if let Some(t) = find_default(self.reader(), new.project_id).await?
            && let Some(device) = insert_with_type(self.writer(), &new, t.id).await?
        {
            return Ok(Some(device));
        }
        // Otherwise the type and the device go in together, or neither.
        let txn = self.begin().await?;
        let t = ensure_default(&txn, &seed).await?;
        let device = insert_with_type(&txn, &new, t.id).await?;
        txn.commit().await.map_err(db_err)?;
        Ok(device)
    }

    pub(super) async fn find_device(
        &self,
        project: ProjectId,
        id: DeviceId,
    ) -> StoreResult<Option<DeviceDetail>> {
        let Some((d, t)) = device::Entity::find_by_id(id)
            .filter(device::Column::ProjectId.eq(project))
            .find_also_related(device_type::Entity)
            .one(self.reader())
            .await
            .map_err(db_err)?
        else {
            return Ok(None);
        };
        let groups = device_group_member::Entity::find()
            .select_only()
            .column(device_group_member::Column::GroupId)
            .filter(device_group_member::Column::DeviceId.eq(id))
            .order_by_asc(device_group_member::Column::GroupId)
            .into_tuple::<i64>()
            .all(self.reader())
            .await
            .map_err(db_err)?;
        Ok(Some(DeviceDetail {
            view: view(d, t)?,
            groups,
        }))
    }

    pub(super) async fn remove_device(
        &self,
        project: ProjectId,
        id: DeviceId,
    ) -> StoreResult<bool> {
        let res = device::Entity::delete_many()
            .filter(device::Column::Id.eq(id))
            .filter(device::Column::ProjectId.eq(project))
            .exec(self.writer())
            .await
            .map_err(db_err)?;
        Ok(res.rows_affected == 1)
    }

    pub(super) async fn change_device_info(
        &self,
        project: ProjectId,
        id: DeviceId,
        update: &DeviceInfoUpdate,
    ) -> StoreResult<bool> {
        use device::Column as C;
        let mut q = device::Entity::update_many()
            .filter(C::Id.eq(id))
            .filter(C::ProjectId.eq(project));
        if let Some(v) = &update.name {
            q = q.col_expr(C::Name, Expr::value(v.clone()));
        }
        if let Some(v) = &update.descr {
            q = q.col_expr(C::Descr, Expr::value(v.clone()));
        }
        if let Some(v) = &update.device_key {
            q = q.col_expr(C::DeviceKey, Expr::value(v.clone()));
        }
        let res = q.exec(self.writer()).await.map_err(dev_err)?;
        Ok(res.rows_affected == 1)
    }

    pub(super) async fn change_device_tags(
        &self,
        project: ProjectId,
        id: DeviceId,
        set: &Tags,
        remove: &[String],
        max: usize,
    ) -> StoreResult<TagsEdit> {
        let txn = self.begin().await?;
        let current = device::Entity::find_by_id(id)
            .select_only()
            .column(device::Column::Tags)
            .filter(device::Column::ProjectId.eq(project))
            .lock_exclusive()
            .into_tuple::<String>()
            .one(&txn)
            .await
            .map_err(db_err)?;
        let Some(current) = current else {
            return Ok(TagsEdit::NotFound);
        };
        let mut tags = convert::tags("devices.tags", &current)?;
        tags.extend(set.iter().map(|(k, v)| (k.clone(), v.clone())));
        for key in remove {
            tags.remove(key);
        }
        if tags.len() > max {
            return Ok(TagsEdit::TooMany);
        }
        device::Entity::update_many()
            .col_expr(device::Column::Tags, Expr::value(tags_json(&tags)))
            .filter(device::Column::Id.eq(id))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        txn.commit().await.map_err(db_err)?;
        Ok(TagsEdit::Done)
    }

    pub(super) async fn replace_device_groups(
        &self,
        project: ProjectId,
        id: DeviceId,
        groups: &[GroupId],
    ) -> StoreResult<GroupsEdit> {
        let txn = self.begin().await?;
        let exists = device::Entity::find_by_id(id)
            .select_only()
            .column(device::Column::Id)
            .filter(device::Column::ProjectId.eq(project))
            .into_tuple::<i64>()
            .one(&txn)
            .await
            .map_err(db_err)?;
        if exists.is_none() {
            return Ok(GroupsEdit::DeviceNotFound);
        }
        let wanted: BTreeSet<GroupId> = groups.iter().copied().collect();
        if !wanted.is_empty() {
            let found = device_group::Entity::find()
                .select_only()
                .column(device_group::Column::Id)
                .filter(device_group::Column::ProjectId.eq(project))
                .filter(device_group::Column::Id.is_in(wanted.iter().copied()))
                .into_tuple::<i64>()
                .all(&txn)
                .await
                .map_err(db_err)?;
            if found.len() != wanted.len() {
                return Ok(GroupsEdit::GroupNotFound);
            }
        }
        device_group_member::Entity::delete_many()
            .filter(device_group_member::Column::DeviceId.eq(id))
            .exec(&txn)
            .await
            .map_err(db_err)?;
        if !wanted.is_empty() {
            let rows = wanted.iter().map(|g| device_group_member::ActiveModel {
                device_id: sea_orm::ActiveValue::Set(id),
                group_id: sea_orm::ActiveValue::Set(*g),
            });
            match device_group_member::Entity::insert_many(rows)
                .exec_without_returning(&txn)
                .await
            {
                Ok(_) => {}
                // A group deleted by a concurrent request.
                Err(e) if is_foreign_key(&e) => return Ok(GroupsEdit::GroupNotFound),
                Err(e) => return Err(db_err(e)),
            }
        }
        txn.commit().await.map_err(db_err)?;
        Ok(GroupsEdit::Done)
    }

    pub(super) async fn certificate(
        &self,
        project: ProjectId,
        id: DeviceId,
    ) -> StoreResult<Option<Certificate>> {
        let Some((device_id, name, access_token)) = device::Entity::find_by_id(id)
            .select_only()
            .columns([
                device::Column::Id,
                device::Column::Name,
                device::Column::AccessToken,
            ])
            .filter(device::Column::ProjectId.eq(project))
            .into_tuple::<(i64, String, String)>()
            .one(self.reader())
            .await
            .map_err(db_err)?
        else {
            return Ok(None);
        };
        let project_key = project::Entity::find_by_id(project)
            .select_only()
            .column(project::Column::ProjectKey)
            .into_tuple::<String>()
            .one(self.reader())
            .await
            .map_err(db_err)?
            .ok_or_else(|| StoreError::Backend("device of a missing project".into()))?;
        Ok(Some(Certificate {
            device_id,
            name,
            access_token,
            project_key,
        }))
    }

    pub(super) async fn change_access_token(
        &self,
        project: ProjectId,
        id: DeviceId,
        token: &str,
    ) -> StoreResult<bool> {
        let res = device::Entity::update_many()
            .col_expr(device::Column::AccessToken, Expr::value(token))
            .filter(device::Column::Id.eq(id))
            .filter(device::Column::ProjectId.eq(project))
            .exec(self.writer())
            .await
            .map_err(dev_err)?;
        Ok(res.rows_affected == 1)
    }
}
