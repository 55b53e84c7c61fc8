//! The demo server: `mentorkit-server` in demo mode. It serves `www/` at `/`
//! and the built package `pkg/` at `/pkg/`, on http://127.0.0.1:8080 unless
//! `--addr HOST:PORT` says otherwise, and receives records at `/api/records`
//! into a SQLite file (`target/demo/records.sqlite`), with the failure
//! switches at `/api/fail` and the listing at `/received`.
//!
//! The demo receiver has no authentication: it is only for trying the
//! widgets out. Run from the repository root (the `./dev demo` command does).

use clap::Parser;
use std::process::ExitCode;

/// mentorkit-demo: the demo pages and an open demo receiver (no
/// authentication; only for trying the widgets out).
#[derive(Debug, Parser)]
#[command(name = "mentorkit-demo")]
struct Demo {
    /// The address and port to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: String,
    /// The folder holding www/ and pkg/ (the repository root).
    #[arg(long, default_value = ".")]
    root: String,
    /// The SQLite file the records go to.
    #[arg(long, default_value = "target/demo/records.sqlite")]
    db: String,
    /// An origin whose pages may post records (CORS); repeatable.
    #[arg(long = "allow-origin")]
    allow_origins: Vec<String>,
    /// The least severe log level written.
    #[arg(long, default_value = "warn")]
    log_level: String,
}

fn main() -> ExitCode {
    let demo = Demo::parse();
    let mut args = vec!["mentorkit-server".to_owned(), "--demo".into(), "--addr".into(), demo.addr, "--static-root".into(), demo.root];
    args.extend(["--database-url".into(), demo.db, "--log-level".into(), demo.log_level]);
    for origin in demo.allow_origins {
        args.extend(["--allow-origin".into(), origin]);
    }
    match mentorkit_server::config::Cli::try_parse_from(args) {
        Ok(cli) => mentorkit_server::main_with(cli),
        Err(e) => e.exit(),
    }
}
