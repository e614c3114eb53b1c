//! Barman's `retention_policy` syntax, parsed exactly as Barman parses it:
//! `REDUNDANCY n` or `RECOVERY WINDOW OF n {DAYS|WEEKS|MONTHS}` (case-insensitive,
//! singular unit accepted, a month is 31 days). See Barman's
//! `retention_policies.py`.

use std::fmt;

use super::units::{DAY, Duration, MONTH, UnitError, WEEK};

/// Unit of a recovery window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowUnit {
    /// Days.
    Days,
    /// Weeks.
    Weeks,
    /// Barman months of 31 days.
    Months,
}

/// A Barman retention policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetentionPolicy {
    /// Keep the newest n DONE backups.
    Redundancy(u32),
    /// Keep what is needed to recover to any point in the last `count` units.
    RecoveryWindow {
        /// How many units.
        count: u32,
        /// Days, weeks or months.
        unit: WindowUnit,
    },
}

impl RetentionPolicy {
    /// The recovery window as a duration, if this is a window policy.
    pub fn window(&self) -> Option<Duration> {
        match *self {
            Self::Redundancy(_) => None,
            Self::RecoveryWindow { count, unit } => {
                let secs = match unit {
                    WindowUnit::Days => DAY,
                    WindowUnit::Weeks => WEEK,
                    WindowUnit::Months => MONTH,
                };
                Some(Duration::from_secs(f64::from(count) * secs))
            }
        }
    }
}

impl fmt::Display for RetentionPolicy {
    /// Barman's canonical spelling.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Redundancy(n) => write!(f, "REDUNDANCY {n}"),
            Self::RecoveryWindow { count, unit } => {
                let u = match unit {
                    WindowUnit::Days => "DAYS",
                    WindowUnit::Weeks => "WEEKS",
                    WindowUnit::Months => "MONTHS",
                };
                write!(f, "RECOVERY WINDOW OF {count} {u}")
            }
        }
    }
}

const HINT: &str =
    "Barman accepts `REDUNDANCY 3` or `RECOVERY WINDOW OF 30 DAYS` (also WEEKS, MONTHS)";

/// Parse a retention policy with Barman's grammar.
pub fn parse_retention(s: &str) -> Result<RetentionPolicy, UnitError> {
    let words: Vec<String> = s.split_whitespace().map(str::to_ascii_lowercase).collect();
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let bad = |m: String| UnitError {
        message: m,
        hint: HINT.into(),
    };
    let positive = |n: &str| -> Result<u32, UnitError> {
        match n.parse::<u32>() {
            Ok(v) if v > 0 => Ok(v),
            _ => Err(bad(format!("`{n}` is not a positive whole number"))),
        }
    };
    match words.as_slice() {
        ["redundancy", n] => Ok(RetentionPolicy::Redundancy(positive(n)?)),
        ["recovery", "window", "of", n, unit] => {
            let count = positive(n)?;
            let unit = match *unit {
                "day" | "days" => WindowUnit::Days,
                "week" | "weeks" => WindowUnit::Weeks,
                "month" | "months" => WindowUnit::Months,
                other => return Err(bad(format!("Barman has no window unit `{other}`"))),
            };
            Ok(RetentionPolicy::RecoveryWindow { count, unit })
        }
        _ => Err(bad(format!("`{s}` is not a Barman retention policy"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn barman_spellings() {
        assert_eq!(
            parse_retention("REDUNDANCY 3").unwrap(),
            RetentionPolicy::Redundancy(3)
        );
        let w = parse_retention("recovery window of 1 month").unwrap();
        assert_eq!(w.window().unwrap().as_days(), 31.0);
        assert_eq!(w.to_string(), "RECOVERY WINDOW OF 1 MONTHS");
        assert_eq!(
            parse_retention("RECOVERY  WINDOW OF 30 DAYS")
                .unwrap()
                .window()
                .unwrap()
                .as_days(),
            30.0
        );
    }

    #[test]
    fn rejects_what_barman_rejects() {
        for bad in [
            "REDUNDANCY 0",
            "REDUNDANCY",
            "KEEP 3",
            "RECOVERY WINDOW 30 DAYS",
            "RECOVERY WINDOW OF 30 YEARS",
            "RECOVERY WINDOW OF -1 DAYS",
            "",
        ] {
            assert!(parse_retention(bad).is_err(), "{bad} should be rejected");
        }
    }
}
