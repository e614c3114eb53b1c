//! A builder for running the `drplan` binary in integration tests, in the
//! style of `just`'s test harness: say what to run and what to expect, then
//! `run()` checks it and hands back the output for further assertions.
//!
//! ```ignore
//! let out = Test::new().args(["spof", "scenarios/geo.yaml"]).status(0).run();
//! assert!(out.stdout.contains("dc-fra1"));
//! ```

use std::ffi::OsString;
use std::path::Path;
use std::process::Command;

/// One invocation of `drplan` and what it must do.
#[must_use = "a Test does nothing until .run()"]
pub struct Test {
    args: Vec<OsString>,
    dir: Option<std::path::PathBuf>,
    status: Option<i32>,
    stdout: Option<String>,
    stdout_contains: Vec<String>,
    stderr_contains: Vec<String>,
}

/// What a finished run printed, with its exit code.
#[derive(Debug, Clone)]
pub struct Ran {
    /// The exit code (`None` when killed by a signal).
    pub status: Option<i32>,
    /// Standard output, lossily decoded.
    pub stdout: String,
    /// Standard error, lossily decoded.
    pub stderr: String,
}

impl Ran {
    /// Standard output parsed as JSON; panics with the output when it is not.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

impl Default for Test {
    fn default() -> Self {
        Self::new()
    }
}

impl Test {
    /// `drplan` with no arguments, expected to exit 0.
    pub fn new() -> Self {
        Self {
            args: Vec::new(),
            dir: None,
            status: Some(0),
            stdout: None,
            stdout_contains: Vec::new(),
            stderr_contains: Vec::new(),
        }
    }

    /// Append one argument.
    pub fn arg(mut self, a: impl Into<OsString>) -> Self {
        self.args.push(a.into());
        self
    }

    /// Append arguments.
    pub fn args<I, A>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = A>,
        A: Into<OsString>,
    {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Run in `dir` instead of the crate root.
    pub fn current_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.dir = Some(dir.as_ref().to_owned());
        self
    }

    /// The exit code expected (0 unless said otherwise).
    pub fn status(mut self, code: i32) -> Self {
        self.status = Some(code);
        self
    }

    /// Accept any exit code (the caller checks `Ran::status` itself).
    pub fn any_status(mut self) -> Self {
        self.status = None;
        self
    }

    /// The exact standard output expected.
    pub fn stdout(mut self, s: impl Into<String>) -> Self {
        self.stdout = Some(s.into());
        self
    }

    /// A piece standard output must contain (may be given several times).
    pub fn stdout_contains(mut self, s: impl Into<String>) -> Self {
        self.stdout_contains.push(s.into());
        self
    }

    /// A piece standard error must contain (may be given several times).
    pub fn stderr_contains(mut self, s: impl Into<String>) -> Self {
        self.stderr_contains.push(s.into());
        self
    }

    /// Run `drplan` and check every expectation; panics with both streams
    /// on the first one that fails.
    pub fn run(self) -> Ran {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_drplan"));
        cmd.args(&self.args);
        if let Some(d) = &self.dir {
            cmd.current_dir(d);
        }
        let out = cmd.output().expect("drplan runs");
        let ran = Ran {
            status: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        let shown = || {
            format!(
                "drplan {:?}\n--- stdout\n{}\n--- stderr\n{}",
                self.args, ran.stdout, ran.stderr
            )
        };
        if let Some(code) = self.status {
            assert_eq!(ran.status, Some(code), "exit code of {}", shown());
        }
        if let Some(want) = &self.stdout {
            assert_eq!(&ran.stdout, want, "stdout of {}", shown());
        }
        for piece in &self.stdout_contains {
            assert!(
                ran.stdout.contains(piece.as_str()),
                "stdout lacks {piece:?}: {}",
                shown()
            );
        }
        for piece in &self.stderr_contains {
            assert!(
                ran.stderr.contains(piece.as_str()),
                "stderr lacks {piece:?}: {}",
                shown()
            );
        }
        ran
    }
}
