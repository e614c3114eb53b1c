//! `drplan export <scenario> --out <dir>`: write the deployable Barman and
//! PostgreSQL configuration of a scenario. `--dry-run` prints what would
//! change (with diffs) and writes nothing; files edited since the last
//! export are only overwritten with `--force`. Exit 1 when the generated
//! files fail the lint (nothing is written), 2 on input errors.

use std::fmt::Write as _;
use std::path::PathBuf;

use super::{CliError, Outcome, out};
use crate::analysis::disk::{self, DiskOptions};
use crate::export::plan::{self, Action, WriteError};
use crate::export::{self as ex, ExportContext, ExportError, Severity};
use crate::model::load_file;

/// Arguments of `drplan export`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario file.
    pub scenario: PathBuf,
    /// Output folder (one sub-folder per host).
    #[arg(long, short, default_value = "export")]
    pub out: PathBuf,
    /// Show what would be created, changed or removed, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Overwrite files edited since the last export.
    #[arg(long)]
    pub force: bool,
}

fn symbol(a: Action) -> &'static str {
    match a {
        Action::Create => "+ create ",
        Action::Update => "~ update ",
        Action::Unchanged => "= same   ",
        Action::Conflict => "! edited ",
        Action::Remove => "- remove ",
        Action::KeepEdited => "? keep   ",
    }
}

/// Run `drplan export`.
pub fn run(args: Args) -> Result<Outcome, CliError> {
    let s = load_file(&args.scenario)?;
    let d = disk::project(&s, DiskOptions::default());
    let ctx = ExportContext::new(&s, Some(&d));
    let files = match ex::export(&ctx) {
        Ok(f) => f,
        Err(ExportError::Unsupported { what, hint }) => {
            return Err(CliError::usage(
                format!("{}: {what}", args.scenario.display()),
                hint,
            ));
        }
        Err(ExportError::Lint(findings)) => {
            for f in &findings {
                eprintln!("{f}");
            }
            let n = findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .count();
            eprintln!(
                "drplan export: {n} error(s): Barman would silently misbehave with these files; nothing was written"
            );
            return Ok(Outcome::Breached);
        }
    };
    let write_err = |e: WriteError| match e {
        WriteError::Io { path, source } => CliError::Write { path, source },
        e @ WriteError::Unsafe { .. } => CliError::usage(
            format!("refusing to write the export: {e}"),
            "--out must be a folder drplan owns: no symbolic links inside it, and a manifest naming only paths inside it",
        ),
        WriteError::Conflicts(paths) => CliError::usage(
            format!(
                "{} file(s) in {} were edited since the last export: {}",
                paths.len(),
                args.out.display(),
                paths.join(", ")
            ),
            "see the changes with --dry-run; re-run with --force to overwrite them",
        ),
    };
    let p = plan::plan(&args.out, &files).map_err(write_err)?;
    let mut text = String::new();
    for st in &p.steps {
        if st.action == Action::Unchanged && !args.dry_run {
            continue;
        }
        let _ = writeln!(text, "{}{}", symbol(st.action), st.path);
        if let (true, Some(diff)) = (args.dry_run, &st.diff) {
            for line in diff.lines() {
                let _ = writeln!(text, "    {line}");
            }
        }
    }
    let count = |a: Action| p.steps.iter().filter(|s| s.action == a).count();
    if args.dry_run {
        let _ = writeln!(
            text,
            "plan for {}: {} to create, {} to update, {} edited (need --force), {} to remove, {} unchanged; nothing written",
            args.out.display(),
            count(Action::Create),
            count(Action::Update),
            count(Action::Conflict),
            count(Action::Remove),
            count(Action::Unchanged)
        );
        out::print(text)?;
        return Ok(Outcome::Ok);
    }
    plan::apply(&args.out, &s.name, &files, &p, args.force).map_err(write_err)?;
    let _ = writeln!(
        text,
        "exported scenario `{}` to {}: {} created, {} updated, {} removed, {} unchanged; read {}/README.md next",
        s.name,
        args.out.display(),
        count(Action::Create),
        count(Action::Update)
            + if args.force {
                count(Action::Conflict)
            } else {
                0
            },
        count(Action::Remove),
        count(Action::Unchanged),
        args.out.display()
    );
    out::print(text)?;
    Ok(Outcome::Ok)
}
