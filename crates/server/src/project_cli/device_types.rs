//! `thingstead project device-type …`: a project's device types and their
//! custom extend-info definitions.

use clap::{Args, Subcommand};
use serde_json::{Value, json};
use thingstead_core::project::Tags;
use thingstead_core::project::devices::{DeviceType, DeviceTypeInput, InfoDef, InfoDefInput};

use super::{CliError, Console, InProject};
use crate::cli::Flags;

/// `thingstead project device-type <command>`.
#[derive(Debug, Clone, Subcommand)]
pub enum DeviceTypeCommand {
    /// Create a device type (with the standard extend infos).
    Create(TypeFields),
    /// List the project's device types with their device counts.
    List(InProject),
    /// Change a device type's fields.
    Update(UpdateType),
    /// Delete a device type that no device has.
    Delete(TypeId),
    /// List a device type's extend-info definitions.
    Infos(TypeId),
    /// Define a custom extend info on a device type.
    DefineInfo(DefineInfo),
    /// Delete a custom extend info and every device's value for it.
    DeleteInfo(DeleteInfo),
}

/// The fields of a device type.
#[derive(Debug, Clone, Args)]
pub struct TypeFields {
    /// The type's name (1 to 128 characters)
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub descr: Option<String>,
    /// mqtt, tcp or http [default on create: mqtt]
    #[arg(long)]
    pub conn_type: Option<String>,
    /// [default on create: thingscloud]
    #[arg(long)]
    pub conn_protocol: Option<String>,
    /// Whether devices of the type are gateways [default on create: false]
    #[arg(long)]
    pub gateway: Option<bool>,
    /// Whether users may share devices of the type [default on create: true]
    #[arg(long)]
    pub allow_share: Option<bool>,
    /// A tag `key=value`; repeat for more (replaces every tag on update)
    #[arg(long = "tag", value_name = "KEY=VALUE", value_parser = parse_tag)]
    pub tags: Vec<(String, String)>,
    #[command(flatten)]
    pub target: InProject,
}

/// `thingstead project device-type update`.
#[derive(Debug, Clone, Args)]
pub struct UpdateType {
    /// The device type's id
    pub type_id: String,
    #[command(flatten)]
    pub fields: TypeFields,
}

/// A device type's id.
#[derive(Debug, Clone, Args)]
pub struct TypeId {
    /// The device type's id
    pub type_id: String,
    #[command(flatten)]
    pub target: InProject,
}

/// `thingstead project device-type define-info`.
#[derive(Debug, Clone, Args)]
pub struct DefineInfo {
    /// The device type's id
    pub type_id: String,
    /// string, number, boolean or object
    #[arg(long)]
    pub info_type: String,
    #[arg(long)]
    pub name: String,
    #[arg(long)]
    pub descr: Option<String>,
    /// A JSON object [default: {}]
    #[arg(long)]
    pub options: Option<String>,
    #[command(flatten)]
    pub target: InProject,
}

/// `thingstead project device-type delete-info`.
#[derive(Debug, Clone, Args)]
pub struct DeleteInfo {
    /// The device type's id
    pub type_id: String,
    /// The extend info's id
    pub info_id: String,
    #[command(flatten)]
    pub target: InProject,
}

impl DeviceTypeCommand {
    /// The configuration flags given to the command.
    pub fn flags(&self) -> &Flags {
        match self {
            DeviceTypeCommand::Create(a) => &a.target.flags,
            DeviceTypeCommand::List(t) => &t.flags,
            DeviceTypeCommand::Update(a) => &a.fields.target.flags,
            DeviceTypeCommand::Delete(a) | DeviceTypeCommand::Infos(a) => &a.target.flags,
            DeviceTypeCommand::DefineInfo(a) => &a.target.flags,
            DeviceTypeCommand::DeleteInfo(a) => &a.target.flags,
        }
    }
}

/// `key=value`.
pub(super) fn parse_tag(raw: &str) -> Result<(String, String), String> {
    raw.split_once('=')
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .ok_or_else(|| format!("a tag is KEY=VALUE, not {raw:?}"))
}

/// The tags given, or `None` when none were.
pub(super) fn tags(given: &[(String, String)]) -> Option<Tags> {
    (!given.is_empty()).then(|| given.iter().cloned().collect())
}

fn input(f: &TypeFields) -> DeviceTypeInput {
    DeviceTypeInput {
        name: f.name.clone(),
        descr: f.descr.clone(),
        tags: tags(&f.tags),
        conn_type: f.conn_type.clone(),
        conn_protocol: f.conn_protocol.clone(),
        is_gateway: f.gateway,
        allow_share: f.allow_share,
    }
}

fn type_json(t: DeviceType, device_count: u64) -> Value {
    json!({
        "id": t.id.to_string(),
        "name": t.name,
        "descr": t.descr,
        "tags": t.tags,
        "conn_type": t.conn_type,
        "conn_protocol": t.conn_protocol,
        "type_key": t.type_key,
        "is_gateway": t.is_gateway,
        "allow_share": t.allow_share,
        "device_count": device_count,
        "create_time": t.created_at.timestamp_millis(),
    })
}

fn info_json(d: InfoDef) -> Value {
    json!({
        "id": d.id.to_string(),
        "info_type": d.info_type,
        "name": d.name,
        "descr": d.descr,
        "enabled": d.enabled,
        "options": d.options,
        "is_standard": d.is_standard,
        "create_time": d.created_at.timestamp_millis(),
    })
}

/// Runs the command.
pub(super) async fn run(console: &Console, command: &DeviceTypeCommand) -> Result<Value, CliError> {
    let projects = console.projects();
    match command {
        DeviceTypeCommand::Create(f) => {
            let project = console.project(f.target.project).await?;
            let t = projects
                .create_device_type(project, input(f))
                .await
                .map_err(|e| CliError::refused("create the device type", e))?;
            Ok(type_json(t, 0))
        }
        DeviceTypeCommand::List(target) => {
            let project = console.project(target.project).await?;
            let types = projects
                .device_types(project)
                .await
                .map_err(|e| CliError::refused("list the device types", e))?;
            let items: Vec<Value> = types
                .into_iter()
                .map(|s| type_json(s.device_type, s.device_count))
                .collect();
            Ok(json!({ "items": items }))
        }
        DeviceTypeCommand::Update(a) => {
            let project = console.project(a.fields.target.project).await?;
            projects
                .update_device_type(project, &a.type_id, input(&a.fields))
                .await
                .map_err(|e| CliError::refused(format!("update device type {}", a.type_id), e))?;
            Ok(json!({ "updated": a.type_id }))
        }
        DeviceTypeCommand::Delete(a) => {
            let project = console.project(a.target.project).await?;
            projects
                .delete_device_type(project, &a.type_id)
                .await
                .map_err(|e| CliError::refused(format!("delete device type {}", a.type_id), e))?;
            Ok(json!({ "deleted": a.type_id }))
        }
        DeviceTypeCommand::Infos(a) => {
            let project = console.project(a.target.project).await?;
            let defs = projects
                .device_type_infos(project, &a.type_id)
                .await
                .map_err(|e| {
                    CliError::refused(
                        format!("list the extend infos of device type {}", a.type_id),
                        e,
                    )
                })?;
            Ok(json!({ "items": defs.into_iter().map(info_json).collect::<Vec<_>>() }))
        }
        DeviceTypeCommand::DefineInfo(a) => {
            let project = console.project(a.target.project).await?;
            let action = format!("define an extend info on device type {}", a.type_id);
            let options = match &a.options {
                Some(raw) => Some(serde_json::from_str(raw).map_err(|e| CliError::Refused {
                    action: action.clone(),
                    reason: format!("--options is not JSON ({e})"),
                })?),
                None => None,
            };
            let input = InfoDefInput {
                info_type: Some(a.info_type.clone()),
                name: Some(a.name.clone()),
                descr: a.descr.clone(),
                options,
                enabled: None,
            };
            let def = projects
                .create_type_info(project, &a.type_id, input)
                .await
                .map_err(|e| CliError::refused(action, e))?;
            Ok(info_json(def))
        }
        DeviceTypeCommand::DeleteInfo(a) => {
            let project = console.project(a.target.project).await?;
            projects
                .delete_type_info(project, &a.type_id, &a.info_id)
                .await
                .map_err(|e| CliError::refused(format!("delete extend info {}", a.info_id), e))?;
            Ok(json!({ "deleted": a.info_id }))
        }
    }
}
