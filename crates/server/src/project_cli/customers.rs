//! `thingstead project customer …`: a project's customers (its app users)
//! and the devices given to them.

use clap::{Args, Subcommand};
use serde_json::{Value, json};
use thingstead_core::DomainError;
use thingstead_core::model::{ProjectId, User};
use thingstead_core::project::customers::{Customer, Descr, NewCustomer};
use thingstead_core::project::devices::parse_id;
use thingstead_core::project::{Caller, CallerKind};
use thingstead_core::values::{Account, Email, Nickname, Password, Phone};

use super::{CliError, Console, InProject};
use crate::cli::Flags;

/// `thingstead project customer <command>`.
#[derive(Debug, Clone, Subcommand)]
pub enum CustomerCommand {
    /// Create a customer that logs in with its account (or mobile) and password.
    Create(CreateCustomer),
    /// List the project's customers with their device counts.
    List(InProject),
    /// Delete a customer with its sessions and bindings; its devices stay.
    Delete(CustomerId),
    /// Give a customer a device: the first customer of a device owns it.
    GiveDevice(GiveDevice),
}

/// `thingstead project customer create`.
#[derive(Debug, Clone, Args)]
pub struct CreateCustomer {
    /// Display name (1 to 32 characters)
    #[arg(long)]
    pub name: String,
    /// Login name
    #[arg(long)]
    pub account: String,
    /// Login password (6 to 128 characters)
    #[arg(long)]
    pub password: String,
    #[arg(long)]
    pub descr: Option<String>,
    #[arg(long)]
    pub email: Option<String>,
    #[arg(long)]
    pub mobile: Option<String>,
    /// A customer role's id
    #[arg(long)]
    pub role: Option<String>,
    #[command(flatten)]
    pub target: InProject,
}

/// A customer's id.
#[derive(Debug, Clone, Args)]
pub struct CustomerId {
    /// The customer's id
    pub customer_id: String,
    #[command(flatten)]
    pub target: InProject,
}

/// `thingstead project customer give-device`.
#[derive(Debug, Clone, Args)]
pub struct GiveDevice {
    /// The customer's id
    pub customer_id: String,
    /// The device's id
    pub device_id: String,
    #[command(flatten)]
    pub target: InProject,
}

impl CustomerCommand {
    /// The configuration flags given to the command.
    pub fn flags(&self) -> &Flags {
        match self {
            CustomerCommand::Create(a) => &a.target.flags,
            CustomerCommand::List(t) => &t.flags,
            CustomerCommand::Delete(a) => &a.target.flags,
            CustomerCommand::GiveDevice(a) => &a.target.flags,
        }
    }
}

/// The command line acting for the project, as its admins do.
pub(super) fn console_caller(project: ProjectId) -> Caller {
    Caller {
        project_id: project,
        // No admin record stands behind the command line.
        kind: CallerKind::Admin { admin_id: 0 },
    }
}

fn user_json(u: User, device_count: u64) -> Value {
    json!({
        "id": u.id.to_string(),
        "account": u.username.or_else(|| u.phone.clone()).unwrap_or_default(),
        "name": u.nickname,
        "descr": u.descr,
        "role_id": u.role_id.map(|r| r.to_string()).unwrap_or_default(),
        "email": u.email.unwrap_or_default(),
        "mobile": u.phone.unwrap_or_default(),
        "create_time": u.created_at.timestamp_millis(),
        "device_count": device_count,
    })
}

fn new_customer(a: &CreateCustomer) -> Result<NewCustomer, DomainError> {
    Ok(NewCustomer {
        account: Account::parse("account", &a.account)?,
        password: Password::parse("password", &a.password)?,
        name: Nickname::parse("name", &a.name)?,
        descr: Descr::parse("descr", a.descr.as_deref().unwrap_or_default())?,
        email: a
            .email
            .as_deref()
            .map(|e| Email::parse("email", e))
            .transpose()?,
        mobile: a
            .mobile
            .as_deref()
            .map(|m| Phone::parse("mobile", m))
            .transpose()?,
        tags: Default::default(),
        role_id: a
            .role
            .as_deref()
            .map(|r| parse_id(r, "customer role"))
            .transpose()?,
    })
}

/// Runs the command.
pub(super) async fn run(console: &Console, command: &CustomerCommand) -> Result<Value, CliError> {
    let projects = console.projects();
    match command {
        CustomerCommand::Create(a) => {
            let caller = console_caller(console.project(a.target.project).await?);
            let refused = |e| CliError::refused("create the customer", e);
            let new = new_customer(a).map_err(refused)?;
            let user = projects
                .create_customer(&caller, new)
                .await
                .map_err(refused)?;
            Ok(user_json(user, 0))
        }
        CustomerCommand::List(target) => {
            let caller = console_caller(console.project(target.project).await?);
            let page = projects
                .customers(&caller, None)
                .await
                .map_err(|e| CliError::refused("list the customers", e))?;
            let items: Vec<Value> = page
                .items
                .into_iter()
                .map(|Customer { user, device_count }| user_json(user, device_count))
                .collect();
            Ok(json!({ "items": items }))
        }
        CustomerCommand::Delete(a) => {
            let caller = console_caller(console.project(a.target.project).await?);
            let action = format!("delete customer {}", a.customer_id);
            let id = parse_id(&a.customer_id, "customer")
                .map_err(|e| CliError::refused(action.clone(), e))?;
            projects
                .delete_customer(&caller, id)
                .await
                .map_err(|e| CliError::refused(action, e))?;
            Ok(json!({ "deleted": a.customer_id }))
        }
        CustomerCommand::GiveDevice(a) => {
            let caller = console_caller(console.project(a.target.project).await?);
            let action = format!("give device {} to customer {}", a.device_id, a.customer_id);
            let id = parse_id(&a.customer_id, "customer")
                .map_err(|e| CliError::refused(action.clone(), e))?;
            projects
                .bind_customer_devices(&caller, id, std::slice::from_ref(&a.device_id))
                .await
                .map_err(|e| CliError::refused(action, e))?;
            Ok(json!({ "customer": a.customer_id, "device": a.device_id }))
        }
    }
}
