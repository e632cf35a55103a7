//! A device's extend infos: custom values keyed by definition, standard
//! ones keyed by info type.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use super::StandardInfo;
use super::values;
use super::{InfoId, InfoWithValue, parse_id};
use crate::error::{DomainError, Result};
use crate::model::ProjectId;
use crate::now;
use crate::project::Projects;

/// Most values one `extend_infos` write may set.
const VALUES_MAX: usize = 100;

impl Projects {
    /// `GET /device/{id}/extend_infos`: the definitions of the device's
    /// type, each with this device's value (`None` when never set).
    pub async fn device_extend_infos(
        &self,
        project: ProjectId,
        id: &str,
    ) -> Result<Vec<InfoWithValue>> {
        let device = self.find_device(project, id).await?.view.device;
        let Some(type_id) = device.type_id else {
            return Ok(Vec::new());
        };
        let defs = self.store().type_infos(project, type_id).await?;
        let mut custom: HashMap<InfoId, _> = self
            .store()
            .device_info_values(device.id)
            .await?
            .into_iter()
            .map(|v| (v.key, (v.value, v.updated_at)))
            .collect();
        let mut standard: HashMap<String, _> = self
            .store()
            .device_standard_infos(device.id)
            .await?
            .into_iter()
            .map(|v| (v.key, (v.value, v.updated_at)))
            .collect();
        Ok(defs
            .into_iter()
            .map(|def| {
                let stored = if def.is_standard {
                    standard.remove(&def.info_type)
                } else {
                    custom.remove(&def.id)
                };
                let (value, value_updated_at) = stored.unzip();
                InfoWithValue {
                    def,
                    value,
                    value_updated_at,
                }
            })
            .collect())
    }

    /// `POST /device/{id}/extend_infos`: sets custom values. Every key must
    /// be a custom definition of the device's type and every value of its
    /// `info_type`; otherwise nothing is written. Returns what was written.
    pub async fn set_device_extend_infos(
        &self,
        project: ProjectId,
        id: &str,
        infos: serde_json::Map<String, Value>,
    ) -> Result<Vec<(InfoId, Value)>> {
        let device = self.find_device(project, id).await?.view.device;
        if infos.is_empty() {
            return Err(DomainError::invalid("infos", "infos must not be empty"));
        }
        if infos.len() > VALUES_MAX {
            return Err(DomainError::invalid(
                "infos",
                format!("infos must have at most {VALUES_MAX} entries"),
            ));
        }
        let defs = match device.type_id {
            Some(t) => self.store().type_infos(project, t).await?,
            None => Vec::new(),
        };
        // Keyed by id: "7" and "07" name the same definition; the last wins.
        let mut writes = BTreeMap::new();
        for (key, value) in infos {
            let info_id = parse_id(&key, "extend info")?;
            let def = defs
                .iter()
                .find(|d| d.id == info_id && !d.is_standard)
                .ok_or(DomainError::NotFound("extend info"))?;
            values::custom_value("infos", &format!("infos.{key}"), &def.info_type, &value)?;
            writes.insert(info_id, value);
        }
        let writes: Vec<(InfoId, Value)> = writes.into_iter().collect();
        self.store()
            .set_device_info_values(device.id, &writes, now())
            .await?;
        Ok(writes)
    }

    /// `POST /device/{id}/standard_infos`: sets one standard info (see
    /// [`StandardInfo`]). Returns the value as stored.
    pub async fn set_device_standard_info(
        &self,
        project: ProjectId,
        id: &str,
        info_type: Option<String>,
        value: Option<Value>,
    ) -> Result<(StandardInfo, Value)> {
        let device = self.find_device(project, id).await?.view.device;
        let raw = info_type.ok_or(DomainError::required("info_type"))?;
        let kind = StandardInfo::parse(&raw).ok_or_else(|| {
            DomainError::invalid(
                "info_type",
                format!(
                    "info_type must be one of {}",
                    StandardInfo::ALL.map(StandardInfo::as_str).join(", ")
                ),
            )
        })?;
        let value = kind.check("value", value.ok_or(DomainError::required("value"))?)?;
        self.store()
            .set_device_standard_info(device.id, kind.as_str(), &value, now())
            .await?;
        Ok((kind, value))
    }
}
