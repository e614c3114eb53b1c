//! Command-line interface: argument parsing (clap) and one file per
//! subcommand. Each subcommand returns an [`ExitCode`]-like [`Outcome`] or a
//! [`CliError`]; this module maps them to exit codes 0 (ok), 1 (a policy or
//! target is breached) and 2 (usage or input error) and renders errors with miette.

mod compare;
mod completions;
mod cost;
mod disk;
mod drift;
mod error;
mod export;
mod graph;
mod import;
mod init;
mod lint;
mod out;
mod render;
mod report;
mod schema;
mod simulate;
mod spof;
mod validate;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use error::CliError;
pub use render::{render_diagnostic, render_plain};
pub use validate::load_all;

/// Plan, prove and deploy a Barman-based PostgreSQL disaster-recovery layout.
#[derive(Debug, Parser)]
#[command(name = "drplan", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check scenario files (or folders of them) and report every problem.
    Validate(validate::Args),
    /// Print the JSON Schema of scenario files (for editor completion).
    Schema(schema::Args),
    /// Write a commented starter scenario for a layout.
    Init(init::Args),
    /// Render a scenario's topology as Graphviz DOT or Mermaid.
    Graph(graph::Args),
    /// Project disk, bandwidth and time-to-fill of every backup tier.
    Disk(disk::Args),
    /// Simulate years of failures: availability, RTO, data loss, with confidence intervals.
    Simulate(simulate::Args),
    /// The yearly bill, the expected annual loss and the total cost of ownership of a layout.
    Cost(cost::Args),
    /// Compare layouts: cost, expected loss, targets; ranked by total cost of ownership.
    Compare(compare::Args),
    /// Find single points of failure, minimal cut sets and what to harden first.
    Spof(spof::Args),
    /// Write HTML/PDF reports (one per scenario, plus a comparison).
    Report(report::Args),
    /// Write the Barman and PostgreSQL configuration to deploy, per host.
    Export(export::Args),
    /// Write a commented scenario from what a running Barman reports (barman diagnose JSON).
    Import(import::Args),
    /// Compare a scenario with what a running Barman reports; say what to change.
    Drift(drift::Args),
    /// Check a deployed barman.conf, barman.d/, cron.d/ and PostgreSQL conf.d/ for Barman's silent failure modes.
    Lint(lint::Args),
    /// Print shell completions.
    Completions(completions::Args),
}

/// How a successful run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything is fine: exit 0.
    Ok,
    /// A policy or target is breached: exit 1.
    Breached,
}

/// Exit code for usage and input errors.
pub const EXIT_ERROR: u8 = 2;

/// Parse the command line, run, and return the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(EXIT_ERROR),
            };
        }
    };
    match run(cli) {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::Breached) => ExitCode::from(1),
        Err(CliError::ClosedOutput) => ExitCode::SUCCESS,
        Err(e) => {
            eprint!("{}", render_diagnostic(&e));
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Run a parsed command line.
pub fn run(cli: Cli) -> Result<Outcome, CliError> {
    match cli.command {
        Command::Validate(a) => validate::run(a),
        Command::Schema(a) => schema::run(a),
        Command::Init(a) => init::run(a),
        Command::Graph(a) => graph::run(a),
        Command::Disk(a) => disk::run(a),
        Command::Simulate(a) => simulate::run(a),
        Command::Compare(a) => compare::run(a),
        Command::Cost(a) => cost::run(a),
        Command::Spof(a) => spof::run(a),
        Command::Completions(a) => completions::run(a),
        Command::Report(a) => report::run(a),
        Command::Export(a) => export::run(a),
        Command::Lint(a) => lint::run(a),
        Command::Import(a) => import::run(a),
        Command::Drift(a) => drift::run(a),
    }
}
