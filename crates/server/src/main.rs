//! `thingstead serve` and `thingstead migrate`.

use std::process::ExitCode;

use clap::Parser as _;
use thingstead_server::cli::{Cli, Command};
use thingstead_server::project_cli::{self, CliError, ProjectCommand};
use thingstead_server::{StartError, logging};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), StartError> {
    if let Some(Command::Project(command)) = &cli.command {
        return run_project(cli.config.as_deref(), command).await;
    }
    let (serve, flags) = cli.command();
    let settings = thingstead_server::cli::load(cli.config.as_deref(), &flags)?;
    logging::init(&settings)?;
    if !serve {
        let migrated = thingstead_server::migrate(&settings).await?;
        println!("{migrated}");
        return Ok(());
    }
    let server = thingstead_server::start(settings).await?;
    let signal = async {
        let name = stop_signal().await;
        tracing::info!(signal = %name, "shutting down: no new connections, finishing requests in flight");
    };
    match server.run_until(signal).await {
        Ok(()) => {
            tracing::info!("stopped");
            Ok(())
        }
        Err(e) => Err(StartError::Serve(e.to_string())),
    }
}

/// `thingstead project …`: prints the answer as JSON on stdout.
async fn run_project(
    config: Option<&std::path::Path>,
    command: &ProjectCommand,
) -> Result<(), StartError> {
    match project_cli::run(config, command).await {
        Ok(out) => {
            println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
            Ok(())
        }
        Err(CliError::Start(e)) => Err(e),
        Err(refused) => Err(StartError::Refused(refused.to_string())),
    }
}

/// Ctrl-C or SIGTERM, whichever comes first.
async fn stop_signal() -> &'static str {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => "interrupt",
        () = term => "terminate",
    }
}
