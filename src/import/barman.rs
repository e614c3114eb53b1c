//! What Barman reports, read from its JSON the way every supported version
//! writes it: `barman diagnose` (servers, their configuration, PostgreSQL
//! status and backups), `barman -f json list-backups SERVER` (sizes with
//! WAL) and `barman -f json show-backup SERVER ID` (throughput, WAL
//! statistics). Fields are looked up by name and may be missing or `null`
//! (older versions lack some); a value of the wrong type is an error at its
//! place in the file.

use std::collections::BTreeMap;

use miette::{NamedSource, SourceSpan};
use serde_json::Value;

/// Barman output that is not JSON, located.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{name} is not valid JSON: {message}")]
#[diagnostic(
    code(drplan::import::json),
    help(
        "save the output of `barman diagnose` (or `barman -f json …`) unchanged, without log lines"
    )
)]
pub struct SyntaxError {
    /// File name.
    pub name: String,
    /// serde_json's message.
    pub message: String,
    /// The file.
    #[source_code]
    pub src: NamedSource<String>,
    /// Where.
    #[label("here")]
    pub at: SourceSpan,
}

/// A Barman JSON file that cannot be used.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum JsonError {
    /// Not JSON at all.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Syntax(Box<SyntaxError>),
    /// JSON, but not what Barman writes.
    #[error("{name}: {message}")]
    #[diagnostic(code(drplan::import::shape))]
    Shape {
        /// File name.
        name: String,
        /// What is wrong.
        message: String,
        /// How to fix it.
        #[help]
        hint: String,
    },
}

/// Parse a JSON file, with a located error on bad syntax.
pub fn parse(name: &str, text: &str) -> Result<Value, JsonError> {
    serde_json::from_str(text).map_err(|e| {
        let offset = offset_of(text, e.line(), e.column());
        JsonError::Syntax(Box::new(SyntaxError {
            name: name.to_string(),
            message: e.to_string(),
            src: NamedSource::new(name, text.to_string()),
            at: (offset.min(text.len().saturating_sub(1)), 1).into(),
        }))
    })
}

fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    start + column.saturating_sub(1)
}

/// One backup, as `barman diagnose` lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct Backup {
    /// Backup ID.
    pub id: String,
    /// `DONE`, `FAILED`, …
    pub status: String,
    /// Start, seconds since the epoch.
    pub begin_time: Option<f64>,
    /// End, seconds since the epoch.
    pub end_time: Option<f64>,
    /// LSN at the start, in bytes.
    pub begin_lsn: Option<u64>,
    /// First WAL segment name.
    pub begin_wal: Option<String>,
    /// Bytes of the backup as stored (without WAL).
    pub size: Option<u64>,
    /// Database size when it was taken (`cluster_size`, Barman ≥ 3.11).
    pub cluster_size: Option<u64>,
    /// Seconds spent copying.
    pub copy_time: Option<f64>,
}

/// One Barman server of `barman diagnose`.
#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    /// Section name.
    pub name: String,
    /// Its configuration, option → value (`null`s dropped; scalars as text).
    pub config: BTreeMap<String, String>,
    /// PostgreSQL's status as Barman sees it.
    pub status: BTreeMap<String, Value>,
    /// Backups, oldest first.
    pub backups: Vec<Backup>,
    /// The newest archived WAL: (name, stored bytes, compression).
    pub last_wal: Option<(String, u64, Option<String>)>,
}

/// Everything `barman diagnose` says that the import uses.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Diagnose {
    /// Barman's version.
    pub barman_version: Option<String>,
    /// The Barman host's name (from `uname -a`), when reported.
    pub hostname: Option<String>,
    /// When diagnose ran, seconds since the epoch.
    pub timestamp: Option<f64>,
    /// The servers.
    pub servers: Vec<Server>,
}

fn shape(name: &str, message: String) -> JsonError {
    JsonError::Shape {
        name: name.to_string(),
        message,
        hint: "give the output of `barman diagnose` (Barman 2.10 or later)".into(),
    }
}

/// Seconds since the epoch of an ISO 8601 time (`2026-12-02T16:49:53.5+00:00`).
pub fn epoch(s: &str) -> Option<f64> {
    let s = s.trim().replace(' ', "T");
    let (date, rest) = s.split_once('T')?;
    let mut d = date.split('-').map(|x| x.parse::<i64>().ok());
    let (y, m, day) = (d.next()??, d.next()??, d.next()??);
    let split = rest
        .char_indices()
        .skip(1)
        .find(|(_, c)| matches!(c, '+' | '-' | 'Z'))
        .map_or(rest.len(), |(i, _)| i);
    let (time, zone) = rest.split_at(split);
    let mut t = time.split(':');
    let hh: f64 = t.next()?.parse().ok()?;
    let mm: f64 = t.next()?.parse().ok()?;
    let ss: f64 = t.next().unwrap_or("0").parse().ok()?;
    let offset = match zone {
        "" | "Z" => 0.0,
        z => {
            let sign = if z.starts_with('-') { -1.0 } else { 1.0 };
            let z = &z[1..];
            let (h, m) = z
                .split_once(':')
                .unwrap_or((z.get(..2)?, z.get(2..).unwrap_or("0")));
            sign * (h.parse::<f64>().ok()? * 3600.0 + m.parse::<f64>().unwrap_or(0.0) * 60.0)
        }
    };
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days as f64 * 86_400.0 + hh * 3600.0 + mm * 60.0 + ss - offset)
}

/// Bytes of an LSN such as `0/7000028`.
pub fn lsn(s: &str) -> Option<u64> {
    let (hi, lo) = s.trim().split_once('/')?;
    Some((u64::from_str_radix(hi, 16).ok()? << 32) | u64::from_str_radix(lo, 16).ok()?)
}

/// The number of a WAL segment (`00000001000000000000000D` → 13 for 16 MiB segments).
pub fn segment_number(name: &str, segment_size: u64) -> Option<u64> {
    if name.len() < 24 || segment_size == 0 {
        return None;
    }
    let log = u64::from_str_radix(name.get(8..16)?, 16).ok()?;
    let seg = u64::from_str_radix(name.get(16..24)?, 16).ok()?;
    log.checked_mul(0x1_0000_0000 / segment_size)?
        .checked_add(seg)
}

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(a) => Some(a.iter().filter_map(text_of).collect::<Vec<_>>().join(",")),
        Value::Object(_) => None,
    }
}

fn num(v: Option<&Value>) -> Option<f64> {
    match v? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn backup(id: &str, v: &Value) -> Backup {
    let get = |k: &str| v.get(k);
    let s = |k: &str| get(k).and_then(text_of);
    let copy_time = get("copy_stats")
        .and_then(|c| num(c.get("copy_time")).or_else(|| num(c.get("total_time"))));
    Backup {
        id: id.to_string(),
        status: s("status").unwrap_or_default(),
        begin_time: s("begin_time").as_deref().and_then(epoch),
        end_time: s("end_time").as_deref().and_then(epoch),
        begin_lsn: s("begin_xlog").as_deref().and_then(lsn),
        begin_wal: s("begin_wal"),
        size: num(get("size")).map(|x| x as u64),
        cluster_size: num(get("cluster_size")).map(|x| x as u64),
        copy_time,
    }
}

/// Read `barman diagnose` output.
pub fn diagnose(name: &str, text: &str) -> Result<Diagnose, JsonError> {
    let v = parse(name, text)?;
    let root = v
        .as_object()
        .ok_or_else(|| shape(name, "the top level is not an object".into()))?;
    let servers = root
        .get("servers")
        .and_then(Value::as_object)
        .ok_or_else(|| {
            shape(
                name,
                "no `servers` object: this is not `barman diagnose` output".into(),
            )
        })?;
    let sys = v.pointer("/global/system_info");
    let hostname = sys
        .and_then(|s| s.get("kernel_ver"))
        .and_then(Value::as_str)
        .and_then(|k| k.split_whitespace().nth(1))
        .map(str::to_string);
    let mut out = Vec::new();
    for (sname, s) in servers {
        let config: BTreeMap<String, String> = s
            .get("config")
            .and_then(Value::as_object)
            .map(|c| {
                c.iter()
                    .filter_map(|(k, v)| {
                        // `barman diagnose --show-config-source`: {"value": …, "source": …}
                        let v = v.get("value").unwrap_or(v);
                        text_of(v).map(|t| (k.clone(), t))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let status: BTreeMap<String, Value> = s
            .get("status")
            .and_then(Value::as_object)
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default();
        let mut backups: Vec<Backup> = s
            .get("backups")
            .and_then(Value::as_object)
            .map(|b| b.iter().map(|(id, v)| backup(id, v)).collect())
            .unwrap_or_default();
        backups.sort_by(|a, b| a.id.cmp(&b.id));
        let last_wal = s
            .pointer("/wals/last_archived_wal_per_timeline")
            .and_then(Value::as_object)
            .and_then(|t| {
                t.values()
                    .filter_map(|w| {
                        Some((
                            w.get("name")?.as_str()?.to_string(),
                            num(w.get("size"))? as u64,
                            w.get("compression").and_then(text_of),
                        ))
                    })
                    .max_by(|a, b| a.0.cmp(&b.0))
            });
        out.push(Server {
            name: sname.clone(),
            config,
            status,
            backups,
            last_wal,
        });
    }
    Ok(Diagnose {
        barman_version: sys
            .and_then(|s| s.get("barman_ver"))
            .and_then(Value::as_str)
            .map(str::to_string),
        hostname,
        timestamp: sys
            .and_then(|s| s.get("timestamp"))
            .and_then(Value::as_str)
            .and_then(epoch),
        servers: out,
    })
}

/// From `barman -f json list-backups`: per server, per backup ID, the bytes
/// of the backup with its own WAL and of the WAL up to the next backup.
pub type Listed = BTreeMap<String, BTreeMap<String, (u64, u64)>>;

/// Read `barman -f json list-backups SERVER` (or `all`) output.
pub fn list_backups(name: &str, text: &str) -> Result<Listed, JsonError> {
    let v = parse(name, text)?;
    let root = v
        .as_object()
        .ok_or_else(|| shape(name, "the top level is not an object".into()))?;
    let mut out = Listed::new();
    for (server, list) in root.iter().filter(|(k, _)| !k.starts_with('_')) {
        let Some(list) = list.as_array() else {
            return Err(shape(
                name,
                format!(
                    "`{server}` is not a list of backups: this is not `barman -f json list-backups` output"
                ),
            ));
        };
        let m = out.entry(server.clone()).or_default();
        for b in list {
            let (Some(id), Some(size), Some(wal)) = (
                b.get("backup_id").and_then(Value::as_str),
                num(b.get("size_bytes")),
                num(b.get("wal_size_bytes")),
            ) else {
                continue;
            };
            m.insert(id.to_string(), (size as u64, wal as u64));
        }
    }
    Ok(out)
}

/// From `barman -f json show-backup`: server → (backup ID, throughput in
/// bytes per second).
pub fn show_backup(name: &str, text: &str) -> Result<BTreeMap<String, (String, f64)>, JsonError> {
    let v = parse(name, text)?;
    let root = v
        .as_object()
        .ok_or_else(|| shape(name, "the top level is not an object".into()))?;
    let mut out = BTreeMap::new();
    for (server, b) in root.iter().filter(|(k, _)| !k.starts_with('_')) {
        let id = b.get("backup_id").and_then(Value::as_str).ok_or_else(|| {
            shape(
                name,
                format!(
                    "`{server}` has no backup_id: this is not `barman -f json show-backup` output"
                ),
            )
        })?;
        if let Some(t) = num(b.pointer("/base_backup_information/throughput_bytes")) {
            out.insert(server.clone(), (id.to_string(), t));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_lsns_and_segments() {
        assert_eq!(epoch("1970-01-02T00:00:00+00:00"), Some(86_400.0));
        assert_eq!(
            epoch("2026-12-02 16:46:35.5+01:00"),
            epoch("2026-12-02T15:46:35.5Z")
        );
        assert_eq!(lsn("0/7000028"), Some(0x700_0028));
        assert_eq!(lsn("1/0"), Some(1 << 32));
        assert_eq!(
            segment_number("00000001000000010000000D", 16 << 20),
            Some(256 + 13)
        );
    }

    #[test]
    fn bad_json_is_located() {
        let text = "{\n  \"servers\": {,}\n}";
        let e = parse("d.json", text).unwrap_err();
        let JsonError::Syntax(syntax) = &e else {
            panic!("{e:?}")
        };
        let at = syntax.at.offset();
        assert_eq!(&text[at..=at], ",");
    }
}
