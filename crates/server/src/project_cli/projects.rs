//! `thingstead project create` and `thingstead project list`.

use clap::Args;
use serde_json::{Value, json};

use super::{CliError, Console, Database};

/// `thingstead project create`.
#[derive(Debug, Clone, Args)]
pub struct CreateArgs {
    /// The project's name (1 to 64 characters)
    #[arg(long)]
    pub name: String,
    #[command(flatten)]
    pub database: Database,
}

/// Creates the project and returns its credentials.
pub(super) async fn create(console: &Console, args: &CreateArgs) -> Result<Value, CliError> {
    let credentials = console
        .projects()
        .create_project(&args.name)
        .await
        .map_err(|e| CliError::refused("create the project", e))?;
    Ok(super::json(&credentials))
}

/// Every project, without secrets.
pub(super) async fn list(console: &Console) -> Result<Value, CliError> {
    let projects = console
        .projects()
        .list_projects()
        .await
        .map_err(|e| CliError::refused("list the projects", e))?;
    let items: Vec<Value> = projects
        .into_iter()
        .map(|p| {
            json!({
                "id": p.id.to_string(),
                "name": p.name,
                "descr": p.descr,
                "tags": p.tags,
                "default": p.is_default,
                "create_time": p.created_at.timestamp_millis(),
            })
        })
        .collect();
    Ok(json!({ "items": items }))
}
