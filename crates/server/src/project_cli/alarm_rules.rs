//! `thingstead project alarm-rules …`: the alarm rules of a project's
//! device types, in the project API's rule JSON.

use clap::{Args, Subcommand};
use serde_json::{Value, json};
use thingstead_api_project::{RuleBody, RuleItem};
use thingstead_core::Alarms;

use super::{CliError, Console, InProject};
use crate::cli::Flags;

/// `thingstead project alarm-rules <command>`.
#[derive(Debug, Clone, Subcommand)]
pub enum AlarmRuleCommand {
    /// List a device type's alarm rules, oldest first.
    List(TypeArgs),
    /// Add an alarm rule to a device type.
    Add(AddArgs),
    /// Replace an alarm rule (the whole rule).
    Update(UpdateArgs),
    /// Remove an alarm rule and clear its open alarms.
    Remove(RemoveArgs),
}

/// A device type.
#[derive(Debug, Clone, Args)]
pub struct TypeArgs {
    /// The device type's id
    #[arg(long, value_name = "ID")]
    pub type_id: String,
    #[command(flatten)]
    pub target: InProject,
}

/// `thingstead project alarm-rules add`.
#[derive(Debug, Clone, Args)]
pub struct AddArgs {
    /// The device type's id
    #[arg(long, value_name = "ID")]
    pub type_id: String,
    /// The rule, as the project API takes it: '{"identifier": "t", "operator": ">", "threshold": 30, "message": "hot: ${t}"}'
    #[arg(long, value_name = "JSON")]
    pub rule: String,
    #[command(flatten)]
    pub target: InProject,
}

/// `thingstead project alarm-rules update`.
#[derive(Debug, Clone, Args)]
pub struct UpdateArgs {
    /// The device type's id
    #[arg(long, value_name = "ID")]
    pub type_id: String,
    /// The rule's id
    #[arg(long, value_name = "ID")]
    pub rule_id: String,
    /// The whole rule, as the project API takes it
    #[arg(long, value_name = "JSON")]
    pub rule: String,
    #[command(flatten)]
    pub target: InProject,
}

/// `thingstead project alarm-rules remove`.
#[derive(Debug, Clone, Args)]
pub struct RemoveArgs {
    /// The device type's id
    #[arg(long, value_name = "ID")]
    pub type_id: String,
    /// The rule's id
    #[arg(long, value_name = "ID")]
    pub rule_id: String,
    #[command(flatten)]
    pub target: InProject,
}

impl AlarmRuleCommand {
    /// The configuration flags given to the command.
    pub fn flags(&self) -> &Flags {
        match self {
            AlarmRuleCommand::List(a) => &a.target.flags,
            AlarmRuleCommand::Add(a) => &a.target.flags,
            AlarmRuleCommand::Update(a) => &a.target.flags,
            AlarmRuleCommand::Remove(a) => &a.target.flags,
        }
    }
}

/// Reads `--rule` into the domain's input, refusing `action` when it is
/// not a JSON object of the rule's fields.
fn rule_input(raw: &str, action: &str) -> Result<thingstead_core::alarms::RuleInput, CliError> {
    let body: RuleBody = serde_json::from_str(raw).map_err(|e| CliError::Refused {
        action: action.to_owned(),
        reason: format!("--rule is not a JSON object of rule fields ({e})"),
    })?;
    body.input().map_err(|e| CliError::refused(action, e))
}

/// Runs the command.
pub(super) async fn run(console: &Console, command: &AlarmRuleCommand) -> Result<Value, CliError> {
    execute(console, &console.alarms(), command).await
}

async fn execute(
    console: &Console,
    alarms: &Alarms,
    command: &AlarmRuleCommand,
) -> Result<Value, CliError> {
    match command {
        AlarmRuleCommand::List(a) => {
            let project = console.project(a.target.project).await?;
            let rules = alarms.rules(project, &a.type_id).await.map_err(|e| {
                CliError::refused(
                    format!("list the alarm rules of device type {}", a.type_id),
                    e,
                )
            })?;
            let items: Vec<Value> = rules.into_iter().map(RuleItem::json).collect();
            Ok(json!({ "items": items }))
        }
        AlarmRuleCommand::Add(a) => {
            let project = console.project(a.target.project).await?;
            let action = format!("add an alarm rule to device type {}", a.type_id);
            let input = rule_input(&a.rule, &action)?;
            let rule = alarms
                .create_rule(project, &a.type_id, input)
                .await
                .map_err(|e| CliError::refused(action, e))?;
            Ok(RuleItem::json(rule))
        }
        AlarmRuleCommand::Update(a) => {
            let project = console.project(a.target.project).await?;
            let action = format!("update alarm rule {}", a.rule_id);
            let input = rule_input(&a.rule, &action)?;
            let rule = alarms
                .update_rule(project, &a.type_id, &a.rule_id, input)
                .await
                .map_err(|e| CliError::refused(action, e))?;
            Ok(RuleItem::json(rule))
        }
        AlarmRuleCommand::Remove(a) => {
            let project = console.project(a.target.project).await?;
            alarms
                .delete_rule(project, &a.type_id, &a.rule_id)
                .await
                .map_err(|e| CliError::refused(format!("remove alarm rule {}", a.rule_id), e))?;
            Ok(json!({ "deleted": a.rule_id }))
        }
    }
}
