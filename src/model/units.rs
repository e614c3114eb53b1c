//! Typed units parsed once from human strings: `Bytes` ("500 GiB"), `Duration`
//! ("15 min", "30 days"), `ByteRate` ("250 MiB/s", "10 Gbit/s", "40 GiB/day"),
//! `Rate` ("MTBF 5 years", "AFR 1.5%", "0.2/yr"), `Probability` ("99.95%") and
//! yearly growth ("20%/yr").
//!
//! Parsers return a [`UnitError`] that says what was expected; the validator
//! attaches the source location. A month is 31 days everywhere, as in Barman's
//! retention policies; a year is 365.25 days.

use std::fmt;

/// Seconds in a minute, hour, day, week, month (Barman: 31 days) and year.
pub const MINUTE: f64 = 60.0;
/// Seconds in an hour.
pub const HOUR: f64 = 3600.0;
/// Seconds in a day.
pub const DAY: f64 = 86_400.0;
/// Seconds in a week.
pub const WEEK: f64 = 7.0 * DAY;
/// Seconds in a month as Barman counts it (31 days).
pub const MONTH: f64 = 31.0 * DAY;
/// Seconds in a (Julian) year of 365.25 days.
pub const YEAR: f64 = 365.25 * DAY;

/// Why a unit string could not be parsed: what was expected, with an example.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct UnitError {
    /// What went wrong, in the user's terms.
    pub message: String,
    /// What a correct value looks like.
    pub hint: String,
}

impl UnitError {
    fn new(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            hint: hint.into(),
        }
    }
}

/// An amount of data in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Bytes(pub u64);

/// A length of time in seconds (never negative, always finite).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Duration(f64);

/// A data rate in bytes per second.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct ByteRate(f64);

/// An event rate in events per year.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Rate(f64);

/// A probability in `0..=1`.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Probability(f64);

impl Bytes {
    /// Bytes in a gibibyte.
    pub const GIB: u64 = 1 << 30;
    /// The value in GiB, for display and cost computations.
    pub fn as_gib(self) -> f64 {
        self.0 as f64 / Self::GIB as f64
    }
}

impl Duration {
    /// A duration from seconds; negative or non-finite input becomes zero.
    pub fn from_secs(secs: f64) -> Self {
        Self(if secs.is_finite() && secs > 0.0 {
            secs
        } else {
            0.0
        })
    }
    /// Seconds.
    pub fn as_secs(self) -> f64 {
        self.0
    }
    /// Hours.
    pub fn as_hours(self) -> f64 {
        self.0 / HOUR
    }
    /// Days.
    pub fn as_days(self) -> f64 {
        self.0 / DAY
    }
    /// Years of 365.25 days.
    pub fn as_years(self) -> f64 {
        self.0 / YEAR
    }
}

impl ByteRate {
    /// A rate from bytes per second.
    pub fn from_bytes_per_sec(v: f64) -> Self {
        Self(if v.is_finite() && v > 0.0 { v } else { 0.0 })
    }
    /// Bytes per second.
    pub fn bytes_per_sec(self) -> f64 {
        self.0
    }
    /// Bytes per day.
    pub fn bytes_per_day(self) -> f64 {
        self.0 * DAY
    }
    /// Time to move `bytes` at this rate (infinite when the rate is zero).
    pub fn time_for(self, bytes: Bytes) -> f64 {
        bytes.0 as f64 / self.0
    }
}

impl Rate {
    /// A rate from events per year.
    pub fn per_year(v: f64) -> Self {
        Self(if v.is_finite() && v > 0.0 { v } else { 0.0 })
    }
    /// Events per year.
    pub fn events_per_year(self) -> f64 {
        self.0
    }
    /// Mean time between events in seconds (infinite when the rate is zero).
    pub fn mean_interval_secs(self) -> f64 {
        YEAR / self.0
    }
    /// Probability of at least one event within a year (Poisson).
    pub fn yearly_probability(self) -> f64 {
        -(-self.0).exp_m1()
    }
}

impl Probability {
    /// A probability, clamped to `0..=1`.
    pub fn new(p: f64) -> Self {
        Self(if p.is_finite() {
            p.clamp(0.0, 1.0)
        } else {
            0.0
        })
    }
    /// The value in `0..=1`.
    pub fn value(self) -> f64 {
        self.0
    }
}

/// Split "500 GiB" / "500GiB" / "1.5e3 MB" into a number and the rest.
fn split_number(s: &str) -> Option<(f64, &str)> {
    let s = s.trim();
    let end = s
        .char_indices()
        .find(|&(i, c)| {
            !(c.is_ascii_digit()
                || c == '.'
                || c == '_'
                || ((c == 'e' || c == 'E')
                    && s[i + 1..].starts_with(|d: char| d.is_ascii_digit() || d == '-')
                    && i > 0)
                || ((c == '-' || c == '+') && (i == 0 || s[..i].ends_with(['e', 'E']))))
        })
        .map_or(s.len(), |(i, _)| i);
    let num: f64 = s[..end].replace('_', "").parse().ok()?;
    num.is_finite().then_some((num, s[end..].trim()))
}

fn byte_unit(unit: &str) -> Option<f64> {
    Some(match unit {
        "B" | "byte" | "bytes" => 1.0,
        "kB" | "KB" => 1e3,
        "MB" => 1e6,
        "GB" => 1e9,
        "TB" => 1e12,
        "PB" => 1e15,
        "KiB" => 1024.0,
        "MiB" => 1024f64.powi(2),
        "GiB" => 1024f64.powi(3),
        "TiB" => 1024f64.powi(4),
        "PiB" => 1024f64.powi(5),
        _ => return None,
    })
}

fn bit_unit(unit: &str) -> Option<f64> {
    Some(match unit {
        "bit" | "bits" => 1.0 / 8.0,
        "kbit" | "Kbit" => 1e3 / 8.0,
        "Mbit" => 1e6 / 8.0,
        "Gbit" => 1e9 / 8.0,
        "Tbit" => 1e12 / 8.0,
        _ => return None,
    })
}

fn time_unit(unit: &str) -> Option<f64> {
    Some(match unit {
        "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
        "ms" => 1e-3,
        "min" | "mins" | "minute" | "minutes" => MINUTE,
        "h" | "hr" | "hrs" | "hour" | "hours" => HOUR,
        "d" | "day" | "days" => DAY,
        "w" | "week" | "weeks" => WEEK,
        "month" | "months" => MONTH,
        "y" | "yr" | "yrs" | "year" | "years" => YEAR,
        _ => return None,
    })
}

const BYTES_HINT: &str = "write a number and a unit, e.g. \"500 GiB\", \"1.92 TB\" or \"16 MiB\"";
const DURATION_HINT: &str =
    "write a number and a unit, e.g. \"15 min\", \"4 h\", \"30 days\", \"2 weeks\" or \"10 years\"";
const BYTERATE_HINT: &str =
    "write a size per time, e.g. \"250 MiB/s\", \"10 Gbit/s\" or \"40 GiB/day\"";
const RATE_HINT: &str =
    "write \"MTBF 5 years\", \"AFR 1.5%\", \"0.2/yr\", \"1 per 10 years\" or \"never\"";
const PERCENT_HINT: &str = "write a percentage, e.g. \"99.95%\" or \"0.1%\"";

/// Parse a size such as "500 GiB".
pub fn parse_bytes(s: &str) -> Result<Bytes, UnitError> {
    let (n, unit) = split_number(s)
        .ok_or_else(|| UnitError::new(format!("`{s}` is not a size"), BYTES_HINT))?;
    let mult = byte_unit(unit).ok_or_else(|| {
        let msg = if unit.is_empty() {
            format!("`{s}` has no unit")
        } else {
            format!("unknown size unit `{unit}`")
        };
        UnitError::new(
            msg,
            format!("{BYTES_HINT}; units: B, kB, MB, GB, TB, KiB, MiB, GiB, TiB, PiB"),
        )
    })?;
    if n < 0.0 {
        return Err(UnitError::new(
            format!("`{s}` is negative"),
            "sizes are zero or more",
        ));
    }
    let v = n * mult;
    if v > u64::MAX as f64 / 2.0 {
        return Err(UnitError::new(
            format!("`{s}` is too large"),
            "sizes up to a few exabytes are supported",
        ));
    }
    Ok(Bytes(v.round() as u64))
}

/// Parse a duration such as "15 min" or "30 days".
pub fn parse_duration(s: &str) -> Result<Duration, UnitError> {
    let (n, unit) = split_number(s)
        .ok_or_else(|| UnitError::new(format!("`{s}` is not a duration"), DURATION_HINT))?;
    let mult = time_unit(unit).ok_or_else(|| {
        let msg = if unit.is_empty() {
            format!("`{s}` has no unit")
        } else {
            format!("unknown time unit `{unit}`")
        };
        UnitError::new(
            msg,
            format!("{DURATION_HINT}; units: s, min, h, days, weeks, months (31 days), years"),
        )
    })?;
    if n < 0.0 {
        return Err(UnitError::new(
            format!("`{s}` is negative"),
            "durations are zero or more",
        ));
    }
    Ok(Duration::from_secs(n * mult))
}

/// Parse a data rate such as "250 MiB/s", "10 Gbit/s", "1 Gbps" or "40 GiB/day".
pub fn parse_byte_rate(s: &str) -> Result<ByteRate, UnitError> {
    let bad = || UnitError::new(format!("`{s}` is not a data rate"), BYTERATE_HINT);
    let t = s.trim();
    let (n, unit) = split_number(t).ok_or_else(bad)?;
    if n < 0.0 {
        return Err(UnitError::new(
            format!("`{s}` is negative"),
            "rates are zero or more",
        ));
    }
    if let Some(per_sec) = match unit {
        "bps" => Some(1.0 / 8.0),
        "kbps" | "Kbps" => Some(1e3 / 8.0),
        "Mbps" => Some(1e6 / 8.0),
        "Gbps" => Some(1e9 / 8.0),
        _ => None,
    } {
        return Ok(ByteRate::from_bytes_per_sec(n * per_sec));
    }
    let (size, per) = unit
        .split_once('/')
        .or_else(|| unit.split_once(" per "))
        .ok_or_else(bad)?;
    let size = size.trim();
    let mult = byte_unit(size).or_else(|| bit_unit(size)).ok_or_else(|| {
        UnitError::new(
            format!("unknown size unit `{size}`"),
            format!("{BYTERATE_HINT}; sizes: MiB, GiB, MB, GB, Mbit, Gbit …"),
        )
    })?;
    let per = per.trim();
    let secs = time_unit(per).ok_or_else(|| {
        UnitError::new(
            format!("unknown time unit `{per}`"),
            format!("{BYTERATE_HINT}; per s, min, h, day"),
        )
    })?;
    Ok(ByteRate::from_bytes_per_sec(n * mult / secs))
}

/// Parse a percentage "99.95%" into a probability.
pub fn parse_percent(s: &str) -> Result<Probability, UnitError> {
    let t = s.trim();
    let Some(num) = t.strip_suffix('%') else {
        return Err(UnitError::new(
            format!("`{s}` is not a percentage"),
            PERCENT_HINT,
        ));
    };
    let v: f64 = num
        .trim()
        .parse()
        .map_err(|_| UnitError::new(format!("`{s}` is not a percentage"), PERCENT_HINT))?;
    if !(0.0..=100.0).contains(&v) {
        return Err(UnitError::new(
            format!("`{s}` is outside 0–100 %"),
            PERCENT_HINT,
        ));
    }
    Ok(Probability::new(v / 100.0))
}

/// Parse a yearly growth such as "20%/yr", "20% per year" or "0%".
pub fn parse_growth(s: &str) -> Result<f64, UnitError> {
    let t = s.trim();
    let pct = ["/yr", "/year", " per year", "/y"]
        .iter()
        .find_map(|suf| t.strip_suffix(suf))
        .unwrap_or(t);
    let hint = "write a yearly growth, e.g. \"20%/yr\" or \"0%\"";
    let num = pct
        .trim()
        .strip_suffix('%')
        .ok_or_else(|| UnitError::new(format!("`{s}` is not a yearly growth"), hint))?;
    let v: f64 = num
        .trim()
        .parse()
        .map_err(|_| UnitError::new(format!("`{s}` is not a yearly growth"), hint))?;
    if !(-100.0..=10_000.0).contains(&v) || !v.is_finite() {
        return Err(UnitError::new(format!("`{s}` is out of range"), hint));
    }
    Ok(v / 100.0)
}

/// Parse an event rate: "MTBF 5 years", "AFR 1.5%", "0.2/yr", "2 per year",
/// "1 per 10 years" or "never".
///
/// An annualised failure rate is the probability of failing within a year;
/// for a constant hazard that is `1 - exp(-λ)`, so `λ = -ln(1 - AFR)`.
pub fn parse_rate(s: &str) -> Result<Rate, UnitError> {
    let t = s.trim();
    let bad = || UnitError::new(format!("`{s}` is not a failure rate"), RATE_HINT);
    if t.eq_ignore_ascii_case("never") || t == "0" {
        return Ok(Rate::per_year(0.0));
    }
    if let Some(rest) = strip_prefix_ci(t, "MTBF") {
        let d = parse_duration(rest).map_err(|e| UnitError::new(e.message, RATE_HINT))?;
        if d.as_secs() <= 0.0 {
            return Err(UnitError::new(
                format!("`{s}`: an MTBF must be positive"),
                RATE_HINT,
            ));
        }
        return Ok(Rate::per_year(YEAR / d.as_secs()));
    }
    if let Some(rest) = strip_prefix_ci(t, "AFR") {
        let p = parse_percent(rest).map_err(|e| UnitError::new(e.message, RATE_HINT))?;
        if p.value() >= 1.0 {
            return Err(UnitError::new(
                format!("`{s}`: an AFR must be below 100 %"),
                RATE_HINT,
            ));
        }
        return Ok(Rate::per_year(-(-p.value()).ln_1p()));
    }
    let (n, unit) = split_number(t).ok_or_else(bad)?;
    if n < 0.0 {
        return Err(UnitError::new(
            format!("`{s}` is negative"),
            "rates are zero or more",
        ));
    }
    let per = unit
        .strip_prefix('/')
        .or_else(|| unit.strip_prefix("per "))
        .ok_or_else(bad)?
        .trim();
    // "per year", "/yr", or "per 10 years"
    let secs = match split_number(per) {
        Some((k, u)) => k * time_unit(u).ok_or_else(bad)?,
        None => time_unit(per).ok_or_else(bad)?,
    };
    if secs <= 0.0 {
        return Err(bad());
    }
    Ok(Rate::per_year(n * YEAR / secs))
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    let rest = &s[prefix.len()..];
    (head.eq_ignore_ascii_case(prefix) && rest.starts_with(char::is_whitespace))
        .then(|| rest.trim())
}

impl fmt::Display for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
        let mut v = self.0 as f64;
        let mut i = 0;
        while v >= 1024.0 && i + 1 < units.len() {
            v /= 1024.0;
            i += 1;
        }
        if i == 0 {
            write!(f, "{} B", self.0)
        } else {
            write!(f, "{v:.1} {}", units[i])
        }
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0;
        let (v, u) = if s < MINUTE {
            (s, "s")
        } else if s < HOUR {
            (s / MINUTE, "min")
        } else if s < 2.0 * DAY {
            (s / HOUR, "h")
        } else if s < YEAR {
            (s / DAY, "days")
        } else {
            (s / YEAR, "years")
        };
        if (v - v.round()).abs() < 1e-9 {
            write!(f, "{} {u}", v.round())
        } else {
            write!(f, "{v:.1} {u}")
        }
    }
}

impl fmt::Display for ByteRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/s", Bytes(self.0.round() as u64))
    }
}

#[cfg(test)]
mod tests;
