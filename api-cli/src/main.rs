//! `rongcloud`: the operator's command line for the RongCloud IM Server API.
//!
//! `rongcloud --help` lists the commands, the account flags (each also a
//! `RONGCLOUD_*` variable, as `api_core::Client::from_env` reads them) and
//! the exit codes; the workspace README has an operator's section with a
//! campaign transcript.

#![warn(missing_docs)]

mod cli;
mod commands;
mod connect;
mod content;
mod exit;
mod limits;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use cli::{Cli, Command};
use exit::{Exit, Failure};

fn main() -> ExitCode {
    // clap exits with 2 on a usage error and 0 for --help and --version.
    let cli = Cli::parse();
    if let Command::Completions { shell } = &cli.command {
        clap_complete::generate(
            *shell,
            &mut Cli::command(),
            "rongcloud",
            &mut std::io::stdout(),
        );
        return ExitCode::SUCCESS;
    }
    // The library's own log (pacing, retries, chunks not delivered) when
    // asked for: RUST_LOG=warn, RUST_LOG=api_core=debug, ...
    if std::env::var_os("RUST_LOG").is_some() {
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_target(false)
            .with_writer(std::io::stderr)
            .init();
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("rongcloud: cannot start: {error}");
            return Exit::Failed.into();
        }
    };
    match runtime.block_on(run(&cli)) {
        Ok(()) => Exit::Done.into(),
        Err(failure) => {
            if !failure.message.is_empty() {
                eprintln!("rongcloud: {}", failure.message);
            }
            failure.exit.into()
        }
    }
}

async fn run(cli: &Cli) -> Result<(), Failure> {
    match &cli.command {
        Command::Send(command) => commands::send::run(&cli.global, command).await,
        Command::User(command) => commands::user::run(&cli.global, command).await,
        Command::Group(command) => commands::group::run(&cli.global, command).await,
        Command::Campaign(command) => commands::campaign::run(&cli.global, command).await,
        Command::Callback(command) => commands::callback::run(&cli.global, command),
        Command::Completions { .. } => Ok(()),
    }
}
