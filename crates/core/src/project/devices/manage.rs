//! Devices: create, read, list, change, delete, certificate, statistics.

use super::types::new_type;
use super::values;
use super::{
    Certificate, Device, DeviceDetail, DeviceFilter, DeviceInfoUpdate, DevicePage, DeviceStats,
    DeviceTypeUpdate, GroupsEdit, NewDevice, PAGE_SIZE, TagsEdit, TypeChoice, parse_id,
};
use crate::error::{DomainError, Result};
use crate::model::ProjectId;
use crate::project::{Projects, Tags};
use crate::{now, secret};

/// Length of a device access token (about 190 bits).
const ACCESS_TOKEN_LEN: usize = 32;
/// Length of a view token.
const VIEW_TOKEN_LEN: usize = 24;
/// Length of a generated device key.
const DEVICE_KEY_LEN: usize = 16;
/// Digits of a device code.
const DEVICE_CODE_LEN: usize = 10;
/// Most groups a device may be in.
const GROUPS_MAX: usize = 100;

/// A new device as a client sends it: `name` required, the rest optional.
#[derive(Debug, Clone, Default)]
pub struct DeviceInput {
    pub name: Option<String>,
    pub descr: Option<String>,
    /// A device type id; the project's default type when absent.
    pub type_id: Option<String>,
    pub tags: Option<Tags>,
    /// Generated when absent.
    pub device_key: Option<String>,
}

/// `PUT /device/{id}/info`: at least one field.
#[derive(Debug, Clone, Default)]
pub struct DeviceInfoInput {
    pub name: Option<String>,
    pub descr: Option<String>,
    pub device_key: Option<String>,
}

/// A fresh access token.
fn access_token() -> String {
    secret::alphanumeric(ACCESS_TOKEN_LEN)
}

/// The project's default type, created with its standard definitions if
/// missing (also for devices that certify themselves).
pub(crate) fn default_type_choice(project: ProjectId) -> TypeChoice {
    TypeChoice::Default(Box::new(new_type(
        project,
        DeviceTypeUpdate::default(),
        true,
    )))
}

/// A device record with fresh tokens, from checked fields.
pub(crate) fn new_device_record(
    project: ProjectId,
    name: String,
    descr: String,
    device_key: String,
    tags: Tags,
) -> NewDevice {
    NewDevice {
        project_id: project,
        name,
        descr,
        device_key,
        tags,
        access_token: access_token(),
        view_token: secret::alphanumeric(VIEW_TOKEN_LEN),
        device_code: secret::digits(DEVICE_CODE_LEN),
        created_at: now(),
    }
}

impl Projects {
    /// The project's device with this id.
    pub(super) async fn find_device(&self, project: ProjectId, id: &str) -> Result<DeviceDetail> {
        let id = parse_id(id, "device")?;
        self.store()
            .device(project, id)
            .await?
            .ok_or(DomainError::NotFound("device"))
    }

    /// `POST /device`: a new device with a fresh access token. Without a
    /// type it gets the project's default type; without a key a generated one.
    pub async fn create_device(&self, project: ProjectId, input: DeviceInput) -> Result<Device> {
        let name = values::name("name", &input.name.unwrap_or_default())?;
        let descr = values::descr("descr", &input.descr.unwrap_or_default())?;
        let tags = values::tags("tags", input.tags.unwrap_or_default())?;
        let device_key = match input.device_key {
            Some(k) => values::device_key("device_key", &k)?,
            None => secret::alphanumeric(DEVICE_KEY_LEN),
        };
        let choice = match input.type_id.as_deref() {
            Some(raw) => TypeChoice::Given(parse_id(raw, "device type")?),
            None => default_type_choice(project),
        };
        let new = new_device_record(project, name, descr, device_key, tags);
        self.store()
            .insert_device(new, choice)
            .await?
            .ok_or(DomainError::NotFound("device type"))
    }

    /// `GET /device/{id}`: the device with its type and groups.
    pub async fn device(&self, project: ProjectId, id: &str) -> Result<DeviceDetail> {
        self.find_device(project, id).await
    }

    /// `GET /devices`: page `page` (from 1) of [`PAGE_SIZE`] devices, by id,
    /// of one type and/or group. A page past the end is empty.
    pub async fn devices(
        &self,
        project: ProjectId,
        page: Option<i64>,
        type_id: Option<&str>,
        group_id: Option<&str>,
    ) -> Result<DevicePage> {
        let page = page.unwrap_or(1);
        if page < 1 {
            return Err(DomainError::invalid(
                "page",
                "page must be a positive integer",
            ));
        }
        let mut filter = DeviceFilter::default();
        if let Some(raw) = type_id {
            filter.type_id = Some(self.find_device_type(project, raw).await?.id);
        }
        if let Some(raw) = group_id {
            filter.group_id = Some(self.find_device_group(project, raw).await?.id);
        }
        // Past the end of any real project: answer empty, do not overflow
        // (databases take offsets as signed 64-bit numbers).
        let offset = (page as u64 - 1)
            .saturating_mul(PAGE_SIZE)
            .min(i64::MAX as u64);
        let (total, items) = self
            .store()
            .devices(project, filter, offset, PAGE_SIZE)
            .await?;
        Ok(DevicePage {
            items,
            total,
            page_total: total.div_ceil(PAGE_SIZE),
        })
    }

    /// `DELETE /device/{id}`.
    pub async fn delete_device(&self, project: ProjectId, id: &str) -> Result<()> {
        let id = parse_id(id, "device")?;
        if self.store().delete_device(project, id).await? {
            Ok(())
        } else {
            Err(DomainError::NotFound("device"))
        }
    }

    /// `PUT /device/{id}/info`: name, descr and/or device_key.
    pub async fn update_device_info(
        &self,
        project: ProjectId,
        id: &str,
        input: DeviceInfoInput,
    ) -> Result<()> {
        let id = parse_id(id, "device")?;
        let update = DeviceInfoUpdate {
            name: input.name.map(|n| values::name("name", &n)).transpose()?,
            descr: input
                .descr
                .map(|d| values::descr("descr", &d))
                .transpose()?,
            device_key: input
                .device_key
                .map(|k| values::device_key("device_key", &k))
                .transpose()?,
        };
        if update.name.is_none() && update.descr.is_none() && update.device_key.is_none() {
            return Err(DomainError::invalid(
                "name",
                "at least one of name, descr, device_key is required",
            ));
        }
        if self
            .store()
            .update_device_info(project, id, &update)
            .await?
        {
            Ok(())
        } else {
            Err(DomainError::NotFound("device"))
        }
    }

    /// `PUT /device/{id}/tags`: adds or overwrites the keys given.
    pub async fn set_device_tags(&self, project: ProjectId, id: &str, tags: Tags) -> Result<()> {
        let id = parse_id(id, "device")?;
        let tags = values::tags("tags", tags)?;
        self.edit_tags(project, id, &tags, &[]).await
    }

    /// `POST /device/{id}/tags_remove`: removes the keys given.
    pub async fn remove_device_tags(
        &self,
        project: ProjectId,
        id: &str,
        keys: Vec<String>,
    ) -> Result<()> {
        let id = parse_id(id, "device")?;
        if keys.len() > values::TAGS_MAX * 4 {
            return Err(DomainError::invalid("keys", "keys has too many entries"));
        }
        self.edit_tags(project, id, &Tags::new(), &keys).await
    }

    async fn edit_tags(
        &self,
        project: ProjectId,
        id: i64,
        set: &Tags,
        remove: &[String],
    ) -> Result<()> {
        match self
            .store()
            .edit_device_tags(project, id, set, remove, values::TAGS_MAX)
            .await?
        {
            TagsEdit::Done => Ok(()),
            TagsEdit::NotFound => Err(DomainError::NotFound("device")),
            TagsEdit::TooMany => Err(DomainError::invalid(
                "tags",
                format!("a device can have at most {} tags", values::TAGS_MAX),
            )),
        }
    }

    /// `PUT /device/{id}/groups`: the device's groups become exactly these.
    pub async fn set_device_groups(
        &self,
        project: ProjectId,
        id: &str,
        groups: &[String],
    ) -> Result<()> {
        let id = parse_id(id, "device")?;
        if groups.len() > GROUPS_MAX {
            return Err(DomainError::invalid(
                "groups",
                format!("groups must have at most {GROUPS_MAX} entries"),
            ));
        }
        let mut ids = groups
            .iter()
            .map(|g| parse_id(g, "device group"))
            .collect::<Result<Vec<_>>>()?;
        ids.sort_unstable();
        ids.dedup();
        match self.store().set_device_groups(project, id, &ids).await? {
            GroupsEdit::Done => Ok(()),
            GroupsEdit::DeviceNotFound => Err(DomainError::NotFound("device")),
            GroupsEdit::GroupNotFound => Err(DomainError::NotFound("device group")),
        }
    }

    /// `GET /device/{id}/certificate`: the access token and the project key.
    pub async fn device_certificate(&self, project: ProjectId, id: &str) -> Result<Certificate> {
        let id = parse_id(id, "device")?;
        self.store()
            .device_certificate(project, id)
            .await?
            .ok_or(DomainError::NotFound("device"))
    }

    /// `POST /device/{id}/certificate/rotate`: a new access token; the old
    /// one stops working.
    pub async fn rotate_device_token(&self, project: ProjectId, id: &str) -> Result<Certificate> {
        let id = parse_id(id, "device")?;
        if !self
            .store()
            .set_device_access_token(project, id, &access_token())
            .await?
        {
            return Err(DomainError::NotFound("device"));
        }
        self.store()
            .device_certificate(project, id)
            .await?
            .ok_or(DomainError::NotFound("device"))
    }

    /// `GET /devices_stat` and `GET /devices_alarm_stat`.
    pub async fn device_stats(&self, project: ProjectId) -> Result<DeviceStats> {
        Ok(self.store().device_stats(project).await?)
    }
}
