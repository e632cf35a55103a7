//! `thingstead project admin …`: a project's admins.

use clap::{Args, Subcommand};
use serde_json::{Value, json};
use thingstead_core::project::access::{Admin, AdminInput};
use thingstead_core::secret;

use super::{CliError, Console, InProject};
use crate::cli::Flags;

/// Length of a generated admin password.
const GENERATED_PASSWORD_LEN: usize = 20;

/// `thingstead project admin <command>`.
#[derive(Debug, Clone, Subcommand)]
pub enum AdminCommand {
    /// Create an admin; without --password one is generated and printed.
    Create(CreateAdmin),
    /// List the project's admins.
    List(InProject),
    /// Delete an admin; its access tokens stop working.
    Delete(AdminId),
    /// Set an admin's password (generated and printed without --password);
    /// its access tokens stop working.
    Password(SetPassword),
}

/// `thingstead project admin create`.
#[derive(Debug, Clone, Args)]
pub struct CreateAdmin {
    /// Login name: 2 to 32 letters, digits, '_', '-' or '.'
    #[arg(long)]
    pub account: String,
    /// 6 to 128 characters [default: 20 random characters, printed]
    #[arg(long)]
    pub password: Option<String>,
    /// Display name [default: the account]
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub email: Option<String>,
    #[command(flatten)]
    pub target: InProject,
}

/// `thingstead project admin delete`.
#[derive(Debug, Clone, Args)]
pub struct AdminId {
    /// The admin's id
    pub admin_id: i64,
    #[command(flatten)]
    pub target: InProject,
}

/// `thingstead project admin password`.
#[derive(Debug, Clone, Args)]
pub struct SetPassword {
    /// The admin's id
    pub admin_id: i64,
    /// 6 to 128 characters [default: 20 random characters, printed]
    #[arg(long)]
    pub password: Option<String>,
    #[command(flatten)]
    pub target: InProject,
}

impl AdminCommand {
    /// The configuration flags given to the command.
    pub fn flags(&self) -> &Flags {
        match self {
            AdminCommand::Create(a) => &a.target.flags,
            AdminCommand::List(t) => &t.flags,
            AdminCommand::Delete(a) => &a.target.flags,
            AdminCommand::Password(a) => &a.target.flags,
        }
    }
}

fn admin_json(admin: Admin) -> Value {
    json!({
        "id": admin.id.to_string(),
        "account": admin.account,
        "name": admin.name,
        "email": admin.email,
        "tags": admin.tags,
        "create_time": admin.created_at.timestamp_millis(),
    })
}

/// The given password, or a generated one.
fn password_or_generated(given: Option<&str>) -> (String, bool) {
    match given {
        Some(p) => (p.to_owned(), false),
        None => (secret::alphanumeric(GENERATED_PASSWORD_LEN), true),
    }
}

/// Runs the command.
pub(super) async fn run(console: &Console, command: &AdminCommand) -> Result<Value, CliError> {
    let projects = console.projects();
    match command {
        AdminCommand::Create(args) => {
            let project = console.project(args.target.project).await?;
            let (password, generated) = password_or_generated(args.password.as_deref());
            let input = AdminInput {
                account: args.account.clone(),
                password: password.clone(),
                name: args.name.clone(),
                email: args.email.clone(),
                tags: None,
            };
            let admin = projects
                .create_admin(project, input)
                .await
                .map_err(|e| CliError::refused("create the admin", e))?;
            let mut out = admin_json(admin);
            if generated {
                out["password"] = Value::String(password);
            }
            Ok(out)
        }
        AdminCommand::List(target) => {
            let project = console.project(target.project).await?;
            let admins = projects
                .admins(project)
                .await
                .map_err(|e| CliError::refused("list the admins", e))?;
            Ok(json!({ "items": admins.into_iter().map(admin_json).collect::<Vec<_>>() }))
        }
        AdminCommand::Delete(args) => {
            let project = console.project(args.target.project).await?;
            projects
                .delete_admin(project, args.admin_id)
                .await
                .map_err(|e| CliError::refused(format!("delete the admin {}", args.admin_id), e))?;
            Ok(json!({ "deleted": args.admin_id.to_string() }))
        }
        AdminCommand::Password(args) => {
            let project = console.project(args.target.project).await?;
            let (password, generated) = password_or_generated(args.password.as_deref());
            projects
                .set_admin_password(project, args.admin_id, &password)
                .await
                .map_err(|e| {
                    CliError::refused(format!("set the password of admin {}", args.admin_id), e)
                })?;
            let mut out = json!({ "id": args.admin_id.to_string() });
            if generated {
                out["password"] = Value::String(password);
            }
            Ok(out)
        }
    }
}
