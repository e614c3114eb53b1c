//! Backup schedules: "daily at 01:00", "weekly on sun at 02:30",
//! "weekly on mon,thu at 03:00" or "every 6 h".

use std::fmt;

use super::units::{DAY, Duration, UnitError, WEEK, parse_duration};

/// A day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Weekday {
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
    /// Sunday.
    Sun,
}

impl Weekday {
    const ALL: [(Weekday, &'static str); 7] = [
        (Weekday::Mon, "mon"),
        (Weekday::Tue, "tue"),
        (Weekday::Wed, "wed"),
        (Weekday::Thu, "thu"),
        (Weekday::Fri, "fri"),
        (Weekday::Sat, "sat"),
        (Weekday::Sun, "sun"),
    ];
    /// Three-letter lowercase name, as cron accepts it.
    pub fn as_str(self) -> &'static str {
        Self::ALL[self as usize].1
    }
    /// Days since Monday (0..=6).
    pub fn index(self) -> u32 {
        self as u32
    }
    fn parse(s: &str) -> Option<Self> {
        let s = s.to_ascii_lowercase();
        Self::ALL
            .iter()
            .find(|(_, n)| s.starts_with(n) && (s.len() == 3 || n.len() <= s.len()))
            .map(|(d, _)| *d)
    }
}

/// Time of day, in the scenario's local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct TimeOfDay {
    /// Hour 0..=23.
    pub hour: u8,
    /// Minute 0..=59.
    pub minute: u8,
}

impl TimeOfDay {
    /// Seconds since midnight.
    pub fn secs(self) -> f64 {
        f64::from(self.hour) * 3600.0 + f64::from(self.minute) * 60.0
    }
}

/// When full backups run.
#[derive(Debug, Clone, PartialEq)]
pub enum Schedule {
    /// Every day at a time.
    Daily {
        /// Start time.
        at: TimeOfDay,
    },
    /// On some days of the week at a time.
    Weekly {
        /// Days (sorted, unique).
        days: Vec<Weekday>,
        /// Start time.
        at: TimeOfDay,
    },
    /// At a fixed interval from midnight.
    Every(Duration),
}

impl Schedule {
    /// Mean time between two backups.
    pub fn mean_interval(&self) -> Duration {
        match self {
            Self::Daily { .. } => Duration::from_secs(DAY),
            Self::Weekly { days, .. } => Duration::from_secs(WEEK / days.len().max(1) as f64),
            Self::Every(d) => *d,
        }
    }
    /// Longest time between two backups (what bounds the WAL to replay).
    pub fn max_interval(&self) -> Duration {
        match self {
            Self::Daily { .. } => Duration::from_secs(DAY),
            Self::Weekly { days, .. } => {
                let idx: Vec<u32> = days.iter().map(|d| d.index()).collect();
                let gaps = idx
                    .iter()
                    .zip(idx.iter().cycle().skip(1))
                    .map(|(a, b)| (b + 7 - a) % 7)
                    .map(|g| if g == 0 { 7 } else { g });
                Duration::from_secs(f64::from(gaps.max().unwrap_or(7)) * DAY)
            }
            Self::Every(d) => *d,
        }
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour, self.minute)
    }
}

impl fmt::Display for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Daily { at } => write!(f, "daily at {at}"),
            Self::Weekly { days, at } => {
                let d: Vec<&str> = days.iter().map(|d| d.as_str()).collect();
                write!(f, "weekly on {} at {at}", d.join(","))
            }
            Self::Every(d) => write!(f, "every {d}"),
        }
    }
}

const HINT: &str = "write \"daily at 01:00\", \"weekly on sun at 02:30\", \"weekly on mon,thu at 03:00\" or \"every 6 h\"";

fn parse_time(s: &str) -> Result<TimeOfDay, UnitError> {
    let bad = || UnitError {
        message: format!("`{s}` is not a time of day"),
        hint: "write the time as HH:MM, e.g. 01:30".into(),
    };
    let (h, m) = s.split_once(':').ok_or_else(bad)?;
    let hour: u8 = h.parse().map_err(|_| bad())?;
    let minute: u8 = m.parse().map_err(|_| bad())?;
    if hour > 23 || minute > 59 {
        return Err(bad());
    }
    Ok(TimeOfDay { hour, minute })
}

/// Parse a backup schedule.
pub fn parse_schedule(s: &str) -> Result<Schedule, UnitError> {
    let lower = s.trim().to_ascii_lowercase();
    let bad = || UnitError {
        message: format!("`{s}` is not a schedule"),
        hint: HINT.into(),
    };
    if let Some(rest) = lower.strip_prefix("every ") {
        let d = parse_duration(rest).map_err(|e| UnitError {
            message: e.message,
            hint: HINT.into(),
        })?;
        if d.as_secs() < 3600.0 {
            return Err(UnitError {
                message: format!("`{s}`: full backups more often than hourly are not realistic"),
                hint: HINT.into(),
            });
        }
        return Ok(Schedule::Every(d));
    }
    if let Some(rest) = lower.strip_prefix("daily at ") {
        return Ok(Schedule::Daily {
            at: parse_time(rest.trim())?,
        });
    }
    if let Some(rest) = lower.strip_prefix("weekly on ") {
        let (days, time) = rest.split_once(" at ").ok_or_else(bad)?;
        let mut out = Vec::new();
        for d in days.split(',') {
            let d = d.trim();
            out.push(Weekday::parse(d).ok_or_else(|| UnitError {
                message: format!("`{d}` is not a day of the week"),
                hint: "days are mon, tue, wed, thu, fri, sat, sun".into(),
            })?);
        }
        out.sort();
        out.dedup();
        return Ok(Schedule::Weekly {
            days: out,
            at: parse_time(time.trim())?,
        });
    }
    Err(bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_forms() {
        assert_eq!(
            parse_schedule("daily at 01:30").unwrap(),
            Schedule::Daily {
                at: TimeOfDay {
                    hour: 1,
                    minute: 30
                }
            }
        );
        let w = parse_schedule("weekly on thu,mon at 03:00").unwrap();
        assert_eq!(w.to_string(), "weekly on mon,thu at 03:00");
        assert_eq!(w.max_interval().as_days(), 4.0);
        assert_eq!(w.mean_interval().as_days(), 3.5);
        assert_eq!(
            parse_schedule("every 6 h")
                .unwrap()
                .mean_interval()
                .as_hours(),
            6.0
        );
        assert_eq!(
            parse_schedule("weekly on sunday at 02:00")
                .unwrap()
                .max_interval()
                .as_days(),
            7.0
        );
    }

    #[test]
    fn rejects_nonsense() {
        for bad in [
            "daily",
            "daily at 25:00",
            "weekly on funday at 01:00",
            "every 5 min",
            "hourly",
        ] {
            assert!(parse_schedule(bad).is_err(), "{bad}");
        }
    }
}
