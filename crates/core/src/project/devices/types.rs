//! Device types and their extend-info definitions.

use serde_json::{Value, json};

use super::StandardInfo;
use super::values;
use super::{Deletion, DeviceType, DeviceTypeSummary, DeviceTypeUpdate, InfoDef, NewDeviceType};
use super::{NewInfoDef, parse_id};
use crate::error::{DomainError, Result};
use crate::model::ProjectId;
use crate::project::{Projects, Tags};
use crate::{Time, now, secret};

/// Length of a generated `type_key` (about 119 bits).
const TYPE_KEY_LEN: usize = 20;
/// The name of the type devices created without one get.
pub const DEFAULT_TYPE_NAME: &str = "Default type";

/// The fields of a device type as a client sends them. On create `name` is
/// required; on update at least one field is.
#[derive(Debug, Clone, Default)]
pub struct DeviceTypeInput {
    pub name: Option<String>,
    pub descr: Option<String>,
    pub tags: Option<Tags>,
    /// `mqtt` (default), `tcp` or `http`.
    pub conn_type: Option<String>,
    /// `thingscloud` by default.
    pub conn_protocol: Option<String>,
    /// Default false.
    pub is_gateway: Option<bool>,
    /// Default true.
    pub allow_share: Option<bool>,
}

impl DeviceTypeInput {
    fn checked(self) -> Result<DeviceTypeUpdate> {
        Ok(DeviceTypeUpdate {
            name: self.name.map(|n| values::name("name", &n)).transpose()?,
            descr: self.descr.map(|d| values::descr("descr", &d)).transpose()?,
            tags: self.tags.map(|t| values::tags("tags", t)).transpose()?,
            conn_type: self
                .conn_type
                .map(|c| values::conn_type("conn_type", &c))
                .transpose()?,
            conn_protocol: self
                .conn_protocol
                .map(|c| values::conn_protocol("conn_protocol", &c))
                .transpose()?,
            is_gateway: self.is_gateway,
            allow_share: self.allow_share,
        })
    }
}

/// A custom extend-info definition as a client sends it.
#[derive(Debug, Clone, Default)]
pub struct InfoDefInput {
    /// `string`, `number`, `boolean` or `object`; required.
    pub info_type: Option<String>,
    /// Required.
    pub name: Option<String>,
    pub descr: Option<String>,
    /// A JSON object, `{}` by default.
    pub options: Option<Value>,
    /// Default true.
    pub enabled: Option<bool>,
}

/// A new type with its standard definitions.
pub(super) fn new_type(
    project: ProjectId,
    fields: DeviceTypeUpdate,
    is_default: bool,
) -> NewDeviceType {
    let created_at = now();
    NewDeviceType {
        project_id: project,
        name: fields.name.unwrap_or_else(|| DEFAULT_TYPE_NAME.to_owned()),
        descr: fields.descr.unwrap_or_default(),
        tags: fields.tags.unwrap_or_default(),
        conn_type: fields.conn_type.unwrap_or_else(|| "mqtt".to_owned()),
        conn_protocol: fields
            .conn_protocol
            .unwrap_or_else(|| "thingscloud".to_owned()),
        type_key: secret::alphanumeric(TYPE_KEY_LEN),
        is_gateway: fields.is_gateway.unwrap_or(false),
        allow_share: fields.allow_share.unwrap_or(true),
        is_default,
        created_at,
        infos: standard_defs(project, created_at),
    }
}

fn standard_defs(project: ProjectId, at: Time) -> Vec<NewInfoDef> {
    StandardInfo::ALL
        .into_iter()
        .map(|s| NewInfoDef {
            project_id: project,
            type_id: 0,
            info_type: s.as_str().to_owned(),
            name: s.name().to_owned(),
            descr: s.descr().to_owned(),
            enabled: true,
            options: s.options(),
            is_standard: true,
            created_at: at,
        })
        .collect()
}

impl Projects {
    /// `GET /device_types`: the project's types with their device counts.
    pub async fn device_types(&self, project: ProjectId) -> Result<Vec<DeviceTypeSummary>> {
        Ok(self.store().device_types(project).await?)
    }

    /// The project's type with this id.
    pub(super) async fn find_device_type(
        &self,
        project: ProjectId,
        id: &str,
    ) -> Result<DeviceType> {
        let id = parse_id(id, "device type")?;
        self.store()
            .device_type(project, id)
            .await?
            .ok_or(DomainError::NotFound("device type"))
    }

    /// `POST /device_type`: a new type with the standard extend infos.
    pub async fn create_device_type(
        &self,
        project: ProjectId,
        input: DeviceTypeInput,
    ) -> Result<DeviceType> {
        if input.name.is_none() {
            return Err(DomainError::required("name"));
        }
        let fields = input.checked()?;
        let new = new_type(project, fields, false);
        Ok(self.store().insert_device_type(new).await?)
    }

    /// `PUT /device_type/{id}`: changes the fields given.
    pub async fn update_device_type(
        &self,
        project: ProjectId,
        id: &str,
        input: DeviceTypeInput,
    ) -> Result<()> {
        let id = parse_id(id, "device type")?;
        let update = input.checked()?;
        if update.is_empty() {
            return Err(DomainError::invalid(
                "name",
                "at least one of name, descr, tags, conn_type, conn_protocol, is_gateway, allow_share is required",
            ));
        }
        if self
            .store()
            .update_device_type(project, id, &update)
            .await?
        {
            Ok(())
        } else {
            Err(DomainError::NotFound("device type"))
        }
    }

    /// `DELETE /device_type/{id}`: refused while devices have the type.
    pub async fn delete_device_type(&self, project: ProjectId, id: &str) -> Result<()> {
        let id = parse_id(id, "device type")?;
        match self.store().delete_device_type(project, id).await? {
            Deletion::Deleted => Ok(()),
            Deletion::NotFound => Err(DomainError::NotFound("device type")),
            Deletion::InUse => Err(DomainError::InUse("devices")),
        }
    }

    /// `GET /device_type/{id}/extend_infos`: the type's definitions.
    pub async fn device_type_infos(
        &self,
        project: ProjectId,
        type_id: &str,
    ) -> Result<Vec<InfoDef>> {
        let t = self.find_device_type(project, type_id).await?;
        Ok(self.store().type_infos(project, t.id).await?)
    }

    /// `POST /device_type/{id}/extend_info`: a custom definition.
    pub async fn create_type_info(
        &self,
        project: ProjectId,
        type_id: &str,
        input: InfoDefInput,
    ) -> Result<InfoDef> {
        let t = self.find_device_type(project, type_id).await?;
        let info_type = values::custom_info_type(
            "info_type",
            &input.info_type.ok_or(DomainError::required("info_type"))?,
        )?;
        let name = values::name("name", &input.name.unwrap_or_default())?;
        let descr = values::descr("descr", &input.descr.unwrap_or_default())?;
        let options = values::options("options", input.options.unwrap_or_else(|| json!({})))?;
        let new = NewInfoDef {
            project_id: project,
            type_id: t.id,
            info_type,
            name,
            descr,
            enabled: input.enabled.unwrap_or(true),
            options,
            is_standard: false,
            created_at: now(),
        };
        Ok(self.store().insert_type_info(new).await?)
    }

    /// `DELETE /device_type/{id}/extend_info/{info_id}`: a custom
    /// definition and the values devices had for it. Standard ones stay.
    pub async fn delete_type_info(
        &self,
        project: ProjectId,
        type_id: &str,
        info_id: &str,
    ) -> Result<()> {
        let t = self.find_device_type(project, type_id).await?;
        let info_id = parse_id(info_id, "extend info")?;
        let defs = self.store().type_infos(project, t.id).await?;
        let def = defs
            .iter()
            .find(|d| d.id == info_id)
            .ok_or(DomainError::NotFound("extend info"))?;
        if def.is_standard {
            return Err(DomainError::invalid(
                "info_id",
                "standard extend infos cannot be deleted",
            ));
        }
        if self
            .store()
            .delete_type_info(project, t.id, info_id)
            .await?
        {
            Ok(())
        } else {
            Err(DomainError::NotFound("extend info"))
        }
    }
}
