//! `drplan completions <shell>`: shell completion scripts.

use clap::CommandFactory;
use clap_complete::Shell;

use super::{Cli, CliError, Outcome, out};

/// Arguments of `drplan completions`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// bash, zsh, fish, elvish or powershell.
    pub shell: Shell,
}

/// Run `drplan completions`.
pub fn run(args: Args) -> Result<Outcome, CliError> {
    let mut cmd = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "drplan", &mut script);
    out::print(String::from_utf8_lossy(&script))?;
    Ok(Outcome::Ok)
}
