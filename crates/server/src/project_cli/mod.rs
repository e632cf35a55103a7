//! `thingstead project …`: set a company up from the command line, on the
//! configured database (same configuration file, environment and flags as
//! `serve`). Every command prints JSON on stdout; a refusal prints one
//! sentence on stderr and exits with status 1.
//!
//! One file per resource, each with its clap subcommand enum and its `run`;
//! a new resource adds a file and one variant of [`ProjectCommand`].

mod admins;
mod alarm_rules;
mod apps;
mod customers;
mod device_groups;
mod device_types;
mod projects;
mod roles;

use std::path::Path;
use std::sync::Arc;

use clap::{Args, Subcommand};
use serde_json::Value;
use thingstead_core::bootstrap::InitialCredentials;
use thingstead_core::model::ProjectId;
use thingstead_core::password::PasswordHasher;
use thingstead_core::{Alarms, DomainError, Projects};

use crate::cli::Flags;
use crate::config::Settings;
use crate::error::StartError;

/// `thingstead project <command>`.
#[derive(Debug, Clone, Subcommand)]
pub enum ProjectCommand {
    /// Create a project with its project key, an API app, a mobile app and an
    /// admin; print their credentials (shown only this once).
    Create(projects::CreateArgs),
    /// List every project.
    List(Database),
    /// Manage a project's API apps.
    #[command(subcommand)]
    App(apps::AppCommand),
    /// Manage a project's admins.
    #[command(subcommand)]
    Admin(admins::AdminCommand),
    /// Manage a project's device types and their extend infos.
    #[command(subcommand)]
    DeviceType(device_types::DeviceTypeCommand),
    /// Manage a project's device groups.
    #[command(subcommand)]
    DeviceGroup(device_groups::DeviceGroupCommand),
    /// Manage a project's customers and give them devices.
    #[command(subcommand)]
    Customer(customers::CustomerCommand),
    /// Manage a project's customer roles.
    #[command(subcommand)]
    Role(roles::RoleCommand),
    /// Manage the alarm rules of a project's device types.
    #[command(subcommand)]
    AlarmRules(alarm_rules::AlarmRuleCommand),
}

impl ProjectCommand {
    /// The configuration flags given to the command.
    pub fn flags(&self) -> &Flags {
        match self {
            ProjectCommand::Create(a) => &a.database.flags,
            ProjectCommand::List(a) => &a.flags,
            ProjectCommand::App(c) => c.flags(),
            ProjectCommand::Admin(c) => c.flags(),
            ProjectCommand::DeviceType(c) => c.flags(),
            ProjectCommand::DeviceGroup(c) => c.flags(),
            ProjectCommand::Customer(c) => c.flags(),
            ProjectCommand::Role(c) => c.flags(),
            ProjectCommand::AlarmRules(c) => c.flags(),
        }
    }
}

/// The database flags of a command that acts on all projects.
#[derive(Debug, Clone, Default, Args)]
pub struct Database {
    #[command(flatten)]
    pub flags: Flags,
}

/// The database flags and the project of a command that acts in one project.
#[derive(Debug, Clone, Default, Args)]
pub struct InProject {
    /// The project's id [default: the default project]
    #[arg(long, value_name = "ID")]
    pub project: Option<i64>,
    #[command(flatten)]
    pub flags: Flags,
}

/// Why a project command failed: one sentence for the operator.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The configuration or the database is not usable.
    #[error(transparent)]
    Start(#[from] StartError),
    /// The request was refused.
    #[error("cannot {action}: {reason}")]
    Refused { action: String, reason: String },
}

impl CliError {
    /// A refusal of `action` for the domain's reason.
    pub fn refused(action: impl Into<String>, e: DomainError) -> Self {
        let reason = match e {
            DomainError::Internal => "the database failed; see the log above".to_owned(),
            other => other.to_string(),
        };
        CliError::Refused {
            action: action.into(),
            reason,
        }
    }
}

/// The project service on the configured database.
pub struct Console {
    projects: Projects,
    db: thingstead_store::Db,
}

impl Console {
    /// Opens (and migrates) the configured database.
    pub async fn open(settings: &Settings) -> Result<Console, CliError> {
        settings.validate()?;
        let policy = settings.policy()?;
        let (memory_kib, iterations) = settings.argon2()?;
        let db = crate::start::open_database(&settings.database_url()).await?;
        let hasher = PasswordHasher::new(
            memory_kib,
            iterations,
            crate::start::ARGON2_PARALLELISM,
            settings.hash_concurrency(),
        )
        .map_err(|e| StartError::Config(format!("the Argon2 parameters are not usable ({e})")))?;
        Ok(Console {
            // A command-line process serves no sessions: its cache stays empty.
            projects: Projects::new(
                std::sync::Arc::new(db.clone()),
                hasher,
                policy,
                Default::default(),
            ),
            db,
        })
    }

    /// The project service.
    pub fn projects(&self) -> &Projects {
        &self.projects
    }

    /// The alarm service on the database, for managing rules: it evaluates
    /// nothing and sends no notifications (the server does).
    pub fn alarms(&self) -> Alarms {
        Alarms::manage(Arc::new(self.db.clone()))
    }

    /// The project asked for, or the default project.
    pub async fn project(&self, requested: Option<i64>) -> Result<ProjectId, CliError> {
        match requested {
            Some(id) => self
                .projects
                .project_by_id(id)
                .await
                .map(|p| p.id)
                .map_err(|e| CliError::refused(format!("use project {id}"), e)),
            None => self.projects.default_project_id().await.map_err(|e| match e {
                DomainError::NotFound(_) => CliError::Refused {
                    action: "use the default project".into(),
                    reason: "there is none yet; create one with `thingstead project create --name <NAME>` or pass --project".into(),
                },
                other => CliError::refused("use the default project", other),
            }),
        }
    }
}

/// Creates a project on the database `settings` name and returns its
/// credentials: what `thingstead project create` prints. The first project
/// of an empty database becomes the default project.
pub async fn create_project(
    settings: &Settings,
    name: &str,
) -> Result<InitialCredentials, CliError> {
    Console::open(settings)
        .await?
        .projects()
        .create_project(name)
        .await
        .map_err(|e| CliError::refused("create the project", e))
}

/// Runs a project command; returns what to print.
pub async fn run(config: Option<&Path>, command: &ProjectCommand) -> Result<Value, CliError> {
    let mut settings = crate::cli::load(config, command.flags())?;
    // The output is the answer: no "applying migrations" lines around it.
    settings.log_level = format!("{},sea_orm_migration=warn", settings.log_level.trim());
    crate::logging::init(&settings)?;
    let console = Console::open(&settings).await?;
    match command {
        ProjectCommand::Create(args) => projects::create(&console, args).await,
        ProjectCommand::List(_) => projects::list(&console).await,
        ProjectCommand::App(c) => apps::run(&console, c).await,
        ProjectCommand::Admin(c) => admins::run(&console, c).await,
        ProjectCommand::DeviceType(c) => device_types::run(&console, c).await,
        ProjectCommand::DeviceGroup(c) => device_groups::run(&console, c).await,
        ProjectCommand::Customer(c) => customers::run(&console, c).await,
        ProjectCommand::Role(c) => roles::run(&console, c).await,
        ProjectCommand::AlarmRules(c) => alarm_rules::run(&console, c).await,
    }
}

/// JSON of a value that always serialises.
fn json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}
