//! `drplan init --layout same-dc|metro|geo [name]`: write a commented starter
//! scenario (one of the bundled ones, renamed); never overwrites a file.

use std::path::PathBuf;

use super::{CliError, Outcome, out};

/// A starter layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Layout {
    /// Everything in one datacenter.
    SameDc,
    /// Two datacenters in one metro area, passive Barman node in the second.
    Metro,
    /// Two regions plus object storage in a third.
    Geo,
}

impl Layout {
    fn template(self) -> (&'static str, &'static str) {
        match self {
            Layout::SameDc => ("same-dc", include_str!("../../scenarios/same-dc.yaml")),
            Layout::Metro => ("metro", include_str!("../../scenarios/metro.yaml")),
            Layout::Geo => ("geo", include_str!("../../scenarios/geo.yaml")),
        }
    }
}

/// Arguments of `drplan init`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Which layout to start from.
    #[arg(long, value_enum)]
    pub layout: Layout,
    /// Scenario name (default: the layout's name); the file is `<name>.yaml`.
    pub name: Option<String>,
    /// Folder to write into.
    #[arg(long, default_value = ".")]
    pub dir: PathBuf,
}

/// Run `drplan init`.
pub fn run(args: Args) -> Result<Outcome, CliError> {
    let (default_name, text) = args.layout.template();
    let name = args.name.as_deref().unwrap_or(default_name);
    let safe = !name.is_empty()
        && name.len() <= 63
        && !name.contains("..")
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !safe {
        return Err(CliError::usage(
            format!("`{name}` is not a safe scenario name"),
            "use letters, digits, `-`, `_` and `.`, starting with a letter or digit",
        ));
    }
    let path = args.dir.join(format!("{name}.yaml"));
    let body = text.replacen(
        &format!("\nname: {default_name}\n"),
        &format!("\nname: {name}\n"),
        1,
    );
    match crate::atomic::write_new_atomic(&path, body.as_bytes()) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(CliError::usage(
                format!(
                    "{} already exists; drplan init never overwrites",
                    path.display()
                ),
                "choose another name, or remove the file first",
            ));
        }
        Err(source) => return Err(CliError::Write { path, source }),
    }
    out::println(format!(
        "wrote {}\nnext: edit it, then `drplan validate {}`",
        path.display(),
        path.display()
    ))?;
    Ok(Outcome::Ok)
}
