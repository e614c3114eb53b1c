//! Standard output for every subcommand. Everything a subcommand prints goes
//! through here, so that a reader that stops early (`drplan … | head`) ends
//! the run quietly with exit 0, as `cat` and `rg` do, instead of a panic.
//! Progress bars and diagnostics go to standard error and are not handled here.

use std::io::{ErrorKind, Write};

use super::CliError;

/// Write `text` to standard output and flush it.
pub fn print(text: impl AsRef<str>) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_ref().as_bytes())
        .and_then(|()| out.flush())
        .map_err(stdout_error)
}

/// Write `text` and a newline to standard output.
pub fn println(text: impl AsRef<str>) -> Result<(), CliError> {
    let mut s = text.as_ref().to_owned();
    s.push('\n');
    print(s)
}

/// Write `value` as pretty-printed JSON and a newline to standard output.
pub fn json<T: serde::Serialize + ?Sized>(value: &T) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| CliError::usage(e.to_string(), "report a bug"))?;
    println(text)
}

/// A closed pipe is the reader's choice, not a failure; anything else is.
fn stdout_error(e: std::io::Error) -> CliError {
    if e.kind() == ErrorKind::BrokenPipe {
        CliError::ClosedOutput
    } else {
        CliError::Write {
            path: "standard output".into(),
            source: e,
        }
    }
}
