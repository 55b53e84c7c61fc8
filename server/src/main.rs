//! The `mentorkit-server` binary: see `mentorkit-server --help`.

use clap::Parser;

fn main() -> std::process::ExitCode {
    mentorkit_server::main_with(mentorkit_server::config::Cli::parse())
}
