//! `thingstead project app …`: a project's API apps.

use clap::{Args, Subcommand};
use serde_json::{Value, json};
use thingstead_core::project::access::ApiApp;

use super::{CliError, Console, InProject};
use crate::cli::Flags;

/// `thingstead project app <command>`.
#[derive(Debug, Clone, Subcommand)]
pub enum AppCommand {
    /// Create an API app and print its secret key (shown only this once).
    Create(CreateApp),
    /// List the project's API apps (without secret keys).
    List(InProject),
    /// Delete an API app; its access tokens stop working.
    Delete(DeleteApp),
}

/// `thingstead project app create`.
#[derive(Debug, Clone, Args)]
pub struct CreateApp {
    /// The app's name [default: API app]
    #[arg(long)]
    pub name: Option<String>,
    #[command(flatten)]
    pub target: InProject,
}

/// `thingstead project app delete`.
#[derive(Debug, Clone, Args)]
pub struct DeleteApp {
    /// The app's AppID (`app_id`)
    pub app_id: String,
    #[command(flatten)]
    pub target: InProject,
}

impl AppCommand {
    /// The configuration flags given to the command.
    pub fn flags(&self) -> &Flags {
        match self {
            AppCommand::Create(a) => &a.target.flags,
            AppCommand::List(t) => &t.flags,
            AppCommand::Delete(a) => &a.target.flags,
        }
    }
}

fn app_json(app: ApiApp) -> Value {
    json!({
        "id": app.id.to_string(),
        "app_id": app.app_id,
        "name": app.name,
        "access_key": app.access_key,
        "create_time": app.created_at.timestamp_millis(),
    })
}

/// Runs the command.
pub(super) async fn run(console: &Console, command: &AppCommand) -> Result<Value, CliError> {
    let projects = console.projects();
    match command {
        AppCommand::Create(args) => {
            let project = console.project(args.target.project).await?;
            let created = projects
                .create_api_app(project, args.name.as_deref())
                .await
                .map_err(|e| CliError::refused("create the app", e))?;
            let mut out = app_json(created.app);
            out["secret_key"] = Value::String(created.secret_key);
            Ok(out)
        }
        AppCommand::List(target) => {
            let project = console.project(target.project).await?;
            let apps = projects
                .api_apps(project)
                .await
                .map_err(|e| CliError::refused("list the apps", e))?;
            Ok(json!({ "items": apps.into_iter().map(app_json).collect::<Vec<_>>() }))
        }
        AppCommand::Delete(args) => {
            let project = console.project(args.target.project).await?;
            projects
                .delete_api_app(project, &args.app_id)
                .await
                .map_err(|e| CliError::refused(format!("delete the app {}", args.app_id), e))?;
            Ok(json!({ "deleted": args.app_id }))
        }
    }
}
