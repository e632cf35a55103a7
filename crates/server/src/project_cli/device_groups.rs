//! `thingstead project device-group …`: a project's device groups.

use clap::{Args, Subcommand};
use serde_json::{Value, json};
use thingstead_core::project::devices::{DeviceGroup, GroupInput, GroupNode};

use super::device_types::{parse_tag, tags};
use super::{CliError, Console, InProject};
use crate::cli::Flags;

/// `thingstead project device-group <command>`.
#[derive(Debug, Clone, Subcommand)]
pub enum DeviceGroupCommand {
    /// Create a group, at the top level or under --parent.
    Create(GroupFields),
    /// Print the project's groups as a tree.
    List(InProject),
    /// Change a group's fields; `--parent ""` moves it to the top level.
    Update(UpdateGroup),
    /// Delete a group without sub-groups; its devices leave it.
    Delete(GroupId),
}

/// The fields of a group.
#[derive(Debug, Clone, Args)]
pub struct GroupFields {
    /// The group's name (1 to 128 characters)
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub descr: Option<String>,
    /// The parent group's id
    #[arg(long)]
    pub parent: Option<String>,
    /// A tag `key=value`; repeat for more (replaces every tag on update)
    #[arg(long = "tag", value_name = "KEY=VALUE", value_parser = parse_tag)]
    pub tags: Vec<(String, String)>,
    #[command(flatten)]
    pub target: InProject,
}

/// `thingstead project device-group update`.
#[derive(Debug, Clone, Args)]
pub struct UpdateGroup {
    /// The group's id
    pub group_id: String,
    #[command(flatten)]
    pub fields: GroupFields,
}

/// A group's id.
#[derive(Debug, Clone, Args)]
pub struct GroupId {
    /// The group's id
    pub group_id: String,
    #[command(flatten)]
    pub target: InProject,
}

impl DeviceGroupCommand {
    /// The configuration flags given to the command.
    pub fn flags(&self) -> &Flags {
        match self {
            DeviceGroupCommand::Create(a) => &a.target.flags,
            DeviceGroupCommand::List(t) => &t.flags,
            DeviceGroupCommand::Update(a) => &a.fields.target.flags,
            DeviceGroupCommand::Delete(a) => &a.target.flags,
        }
    }
}

fn input(f: &GroupFields) -> GroupInput {
    GroupInput {
        name: f.name.clone(),
        descr: f.descr.clone(),
        tags: tags(&f.tags),
        parent: f.parent.clone(),
    }
}

fn group_json(g: DeviceGroup) -> Value {
    json!({
        "id": g.id.to_string(),
        "name": g.name,
        "descr": g.descr,
        "tags": g.tags,
        "parent": g.parent_id.map(|p| p.to_string()).unwrap_or_default(),
        "create_time": g.created_at.timestamp_millis(),
    })
}

fn node_json(n: GroupNode) -> Value {
    let mut out = group_json(n.group);
    out["children"] = Value::Array(n.children.into_iter().map(node_json).collect());
    out
}

/// Runs the command.
pub(super) async fn run(
    console: &Console,
    command: &DeviceGroupCommand,
) -> Result<Value, CliError> {
    let projects = console.projects();
    match command {
        DeviceGroupCommand::Create(f) => {
            let project = console.project(f.target.project).await?;
            let g = projects
                .create_device_group(project, input(f))
                .await
                .map_err(|e| CliError::refused("create the device group", e))?;
            Ok(group_json(g))
        }
        DeviceGroupCommand::List(target) => {
            let project = console.project(target.project).await?;
            let forest = projects
                .device_group_tree(project)
                .await
                .map_err(|e| CliError::refused("list the device groups", e))?;
            Ok(json!({ "items": forest.into_iter().map(node_json).collect::<Vec<_>>() }))
        }
        DeviceGroupCommand::Update(a) => {
            let project = console.project(a.fields.target.project).await?;
            projects
                .update_device_group(project, &a.group_id, input(&a.fields))
                .await
                .map_err(|e| CliError::refused(format!("update device group {}", a.group_id), e))?;
            Ok(json!({ "updated": a.group_id }))
        }
        DeviceGroupCommand::Delete(a) => {
            let project = console.project(a.target.project).await?;
            projects
                .delete_device_group(project, &a.group_id)
                .await
                .map_err(|e| CliError::refused(format!("delete device group {}", a.group_id), e))?;
            Ok(json!({ "deleted": a.group_id }))
        }
    }
}
