//! `thingstead project role …`: a project's customer roles.

use clap::{Args, Subcommand};
use serde_json::{Value, json};
use thingstead_core::project::customers::{CustomerRole, Descr, NewRole, RoleName};
use thingstead_core::project::devices::parse_id;

use super::customers::console_caller;
use super::{CliError, Console, InProject};
use crate::cli::Flags;

/// `thingstead project role <command>`.
#[derive(Debug, Clone, Subcommand)]
pub enum RoleCommand {
    /// Create a customer role.
    Create(CreateRole),
    /// List the project's customer roles with how many customers hold each.
    List(InProject),
    /// Delete a role that no customer holds.
    Delete(RoleId),
}

/// `thingstead project role create`.
#[derive(Debug, Clone, Args)]
pub struct CreateRole {
    /// The role's name (1 to 64 characters)
    #[arg(long)]
    pub name: String,
    #[arg(long)]
    pub descr: Option<String>,
    /// Customers with the role may operate devices
    #[arg(long)]
    pub allow_operate_device: bool,
    /// Customers with the role may handle alarm messages
    #[arg(long)]
    pub allow_alarm_msg_maintain: bool,
    /// Customers with the role may add devices
    #[arg(long)]
    pub allow_add_device: bool,
    #[command(flatten)]
    pub target: InProject,
}

/// A role's id.
#[derive(Debug, Clone, Args)]
pub struct RoleId {
    /// The role's id
    pub role_id: String,
    #[command(flatten)]
    pub target: InProject,
}

impl RoleCommand {
    /// The configuration flags given to the command.
    pub fn flags(&self) -> &Flags {
        match self {
            RoleCommand::Create(a) => &a.target.flags,
            RoleCommand::List(t) => &t.flags,
            RoleCommand::Delete(a) => &a.target.flags,
        }
    }
}

fn role_json(r: CustomerRole, customer_count: u64) -> Value {
    json!({
        "id": r.id.to_string(),
        "name": r.name,
        "descr": r.descr,
        "allow_operate_device": r.allow_operate_device,
        "allow_alarm_msg_maintain": r.allow_alarm_msg_maintain,
        "allow_add_device": r.allow_add_device,
        "create_time": r.created_at.timestamp_millis(),
        "customer_count": customer_count,
    })
}

/// Runs the command.
pub(super) async fn run(console: &Console, command: &RoleCommand) -> Result<Value, CliError> {
    let projects = console.projects();
    match command {
        RoleCommand::Create(a) => {
            let caller = console_caller(console.project(a.target.project).await?);
            let refused = |e| CliError::refused("create the role", e);
            let new = NewRole {
                name: RoleName::parse("name", &a.name).map_err(refused)?,
                descr: Descr::parse("descr", a.descr.as_deref().unwrap_or_default())
                    .map_err(refused)?,
                allow_operate_device: a.allow_operate_device,
                allow_alarm_msg_maintain: a.allow_alarm_msg_maintain,
                allow_add_device: a.allow_add_device,
            };
            let role = projects
                .create_customer_role(&caller, new)
                .await
                .map_err(refused)?;
            Ok(role_json(role, 0))
        }
        RoleCommand::List(target) => {
            let caller = console_caller(console.project(target.project).await?);
            let roles = projects
                .customer_roles(&caller)
                .await
                .map_err(|e| CliError::refused("list the roles", e))?;
            let items: Vec<Value> = roles.into_iter().map(|(r, n)| role_json(r, n)).collect();
            Ok(json!({ "items": items }))
        }
        RoleCommand::Delete(a) => {
            let caller = console_caller(console.project(a.target.project).await?);
            let action = format!("delete role {}", a.role_id);
            let id = parse_id(&a.role_id, "customer role")
                .map_err(|e| CliError::refused(action.clone(), e))?;
            projects
                .delete_customer_role(&caller, id)
                .await
                .map_err(|e| CliError::refused(action, e))?;
            Ok(json!({ "deleted": a.role_id }))
        }
    }
}
