//! mentorkit-server: a programme's server for the mentorkit widgets.
//!
//! - [`config`]: the command line and its environment variables;
//! - [`db`]: the data layer (SQLite by default, PostgreSQL by URL) and migrations;
//! - [`programmes`]: programmes, keys, pairs and invitations;
//! - [`records`]: received records, stored once per Idempotency-Key;
//! - [`coordinator`]: the coordinator's view: facts, pair health, reports, wording;
//! - [`sample`]: a fictional programme for the demo and the benchmark;
//! - [`accounts`]: coordinators, sessions and the sign-in throttle;
//! - [`privacy`]: erasure, export and retention; [`audit`]: the audit log;
//! - [`secret`]: tokens, digests and password hashes;
//! - [`http`]: routes, pages and the demo mode; [`listen`]: the connection loop;
//! - [`server`]: start-up, background tasks and shutdown; [`admin`]: the admin subcommands.
//!
//! The record type and its check come from the `mentorkit` crate, shared
//! with the widgets, so both ends agree by construction.

#![deny(missing_docs)]

pub mod accounts;
pub mod admin;
pub mod audit;
pub mod config;
pub mod coordinator;
pub mod db;
pub mod http;
pub mod listen;
pub mod privacy;
pub mod programmes;
pub mod records;
pub mod sample;
pub mod secret;
pub mod server;

use std::process::ExitCode;

/// Sets up logging to standard error in the given format and level.
pub fn init_logs(format: config::LogFormat, level: tracing::Level) {
    let builder = tracing_subscriber::fmt().with_writer(std::io::stderr).with_max_level(level).with_target(false).with_ansi(false);
    let _ = match format {
        config::LogFormat::Json => builder.json().flatten_event(true).try_init(),
        config::LogFormat::Text => builder.try_init(),
    };
}

/// Runs the command line `cli`: serves, or runs an admin command.
pub fn main_with(cli: config::Cli) -> ExitCode {
    init_logs(cli.log_format, cli.log_level);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("mentorkit-server: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let demo = cli.serve.demo;
        let db = match server::open(&cli.database_url, cli.db_max_connections, demo).await {
            Ok(db) => db,
            Err(e) => {
                tracing::error!(error = %e, "cannot open the database");
                eprintln!("mentorkit-server: cannot open the database: {e}");
                return ExitCode::FAILURE;
            }
        };
        match cli.command {
            Some(config::Command::Admin(command)) => {
                let outcome = admin::run(&db, command).await;
                db.close().await;
                match outcome {
                    Ok(text) => {
                        println!("{text}");
                        ExitCode::SUCCESS
                    }
                    Err(why) => {
                        eprintln!("mentorkit-server: {why}");
                        ExitCode::FAILURE
                    }
                }
            }
            None | Some(config::Command::Serve) => match server::run(db, cli.serve).await {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    tracing::error!(error = %e, "cannot serve");
                    eprintln!("mentorkit-server: {e}");
                    ExitCode::FAILURE
                }
            },
        }
    })
}
