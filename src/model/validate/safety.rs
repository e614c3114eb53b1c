//! Values that `drplan export` writes into shells, conninfo strings, ssh
//! commands, cron lines, ini files and `pg_hba.conf`: a scenario may come
//! from a shared repository, so each is held to the narrow syntax its
//! context needs (a host address is a host name or an IP literal; a bucket,
//! key prefix and endpoint follow the provider's rules), and no value — nor
//! any line of the file — may carry a secret.

use std::net::{IpAddr, Ipv4Addr};

use super::super::diagnostics::Problem;
use super::super::raw::Text;
use super::super::tiers::CloudProvider;
use super::ctx::Ctx;

/// Whether `s` is a host name by RFC 1123: dot-separated labels of 1–63
/// letters, digits and `-`, not starting or ending with `-`, 253 characters
/// at most, and not all-numeric (that would be a malformed IP address).
pub fn is_hostname(s: &str) -> bool {
    let labels: Vec<&str> = s.split('.').collect();
    !s.is_empty()
        && s.len() <= 253
        && labels.iter().all(|l| {
            (1..=63).contains(&l.len())
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
        && !labels.iter().all(|l| l.chars().all(|c| c.is_ascii_digit()))
}

/// Words `pg_hba.conf` reads as keywords in its address column.
const HBA_KEYWORDS: [&str; 3] = ["all", "samehost", "samenet"];

/// A host's `address`: a host name or an IP literal, nothing else.
pub(crate) fn address(ctx: &mut Ctx, t: &Text) {
    let a = t.as_str();
    if a.contains('@') {
        ctx.err_label(
            t,
            format!("the address `{}` carries user information (`…@`)", printable(a)),
            "user@ or user:password@",
            "write only the host name or IP address; the export names the OS and database users itself, and passwords belong in ~/.pgpass",
        );
        return;
    }
    if HBA_KEYWORDS.contains(&a.to_ascii_lowercase().as_str()) {
        ctx.err_label(
            t,
            format!("the address `{a}` is a pg_hba.conf keyword: the exported rule would match every address"),
            "keyword, not a host",
            "write the host's DNS name or IP address",
        );
        return;
    }
    if a.parse::<IpAddr>().is_err() && !is_hostname(a) {
        ctx.err_label(
            t,
            format!("the address `{}` is not a host name or an IP address", printable(a)),
            "not a host name or IP",
            "use a DNS name (letters, digits, `-` and `.`) or an IPv4/IPv6 literal without brackets, port, spaces or options; it is written into conninfo, ssh and pg_hba.conf",
        );
    }
}

/// The drill's `check_query`: one read-only query (`SELECT`, `WITH`,
/// `VALUES` or `TABLE`), no `;` but a trailing one, no backslash (psql would
/// run `\!` as a shell command).
pub(crate) fn check_query(ctx: &mut Ctx, t: &Text) {
    let q = t.as_str().trim();
    let q = q.strip_suffix(';').unwrap_or(q);
    let first = q
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let ok = ["select", "with", "values", "table"].contains(&first.as_str())
        && !q.contains([';', '\\', '\0']);
    if !ok {
        ctx.err_label(
            t,
            "the check query must be one SELECT, WITH, VALUES or TABLE query",
            "not a single query",
            "write one query returning true when the restored data is right, e.g. `SELECT count(*) > 0 FROM orders`, without `;`-separated statements or psql backslash commands",
        );
    }
}

/// A value shown in a message with control characters escaped.
fn printable(s: &str) -> String {
    s.chars().flat_map(char::escape_default).collect()
}

/// A bucket (S3, Google Cloud Storage) or container (Azure) name.
pub(crate) fn bucket(ctx: &mut Ctx, t: &Text, provider: CloudProvider) {
    let b = t.as_str();
    let common = (3..=63).contains(&b.len())
        && b.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && b.ends_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit());
    let (ok, rule) = match provider {
        CloudProvider::S3 => (
            common
                && b.chars().all(|c| {
                    c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '.')
                })
                && !b.contains("..")
                && b.parse::<Ipv4Addr>().is_err(),
            "S3 bucket names have 3–63 lowercase letters, digits, `-` or `.`, start and end with a letter or digit, and are not IP addresses",
        ),
        CloudProvider::AzureBlob => (
            common
                && b.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && !b.contains("--"),
            "Azure container names have 3–63 lowercase letters, digits or single `-`, starting and ending with a letter or digit",
        ),
        CloudProvider::Gcs => (
            common
                && b.chars().all(|c| {
                    c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.')
                })
                && !b.contains("..")
                && !b.starts_with("goog"),
            "Google Cloud Storage bucket names have 3–63 lowercase letters, digits, `-`, `_` or `.`, start and end with a letter or digit, and do not start with `goog`",
        ),
    };
    if !ok {
        ctx.err_label(
            t,
            format!("`{}` is not a valid bucket name", printable(b)),
            "invalid bucket",
            rule,
        );
    }
}

/// A key prefix inside the bucket: `/`-separated segments of letters,
/// digits, `-`, `_` and `.` (the characters every provider and shell treat
/// as plain), no empty, `.` or `..` segment.
pub(crate) fn prefix(ctx: &mut Ctx, t: &Text) {
    let p = t.as_str().trim_matches('/');
    let ok = p.len() <= 512
        && p.split('/').all(|seg| {
            !seg.is_empty()
                && seg != "."
                && seg != ".."
                && seg
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        });
    if !ok && !p.is_empty() {
        ctx.err_label(
            t,
            format!("the prefix `{}` is not a plain object-key prefix", printable(t.as_str())),
            "unsafe prefix",
            "use `/`-separated segments of letters, digits, `-`, `_` and `.` (no spaces, quotes, `$`, `;` or `..`): the prefix is written into hook commands and cron lines",
        );
    }
}

/// An `endpoint_url`: `http(s)://host[:port][/path]`, where host is a host
/// name or an IP literal (`[…]` for IPv6); no user information, query,
/// fragment, blanks or shell characters.
pub(crate) fn endpoint_url(ctx: &mut Ctx, t: &Text) {
    let u = t.as_str();
    if !endpoint_ok(u) {
        ctx.err_label(
            t,
            format!("`{}` is not a plain http(s) endpoint URL", printable(u)),
            "unsafe endpoint",
            "write `https://host[:port][/path]` with a host name or IP address, without user@, `?`, `#`, spaces or extra options: it is passed to barman-cloud as --endpoint-url",
        );
    }
}

/// An Azure tier without `endpoint_url`: barman-cloud needs the storage
/// account in the destination URL.
pub(crate) fn azure_needs_account(ctx: &mut Ctx, provider: &Text) {
    ctx.err_label(
        provider,
        "an Azure Blob Storage tier needs its storage account",
        "no account",
        "set `endpoint_url: https://<account>.blob.core.windows.net`: barman-cloud's destination is https://<account>.blob.core.windows.net/<container>/<prefix>, and any other form is taken for an emulator",
    );
}

fn endpoint_ok(u: &str) -> bool {
    let Some(rest) = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"))
    else {
        return false;
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let path_ok = path
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.'))
        && !path.split('/').any(|s| s == "..");
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        match v6.split_once(']') {
            Some((h, p)) if h.parse::<std::net::Ipv6Addr>().is_ok() => (None, p),
            _ => return false,
        }
    } else {
        match authority.split_once(':') {
            Some((h, p)) => (Some(h), &authority[h.len()..][..p.len() + 1]),
            None => (Some(authority), ""),
        }
    };
    let host_ok = host.is_none_or(|h| h.parse::<Ipv4Addr>().is_ok() || is_hostname(h));
    let port_ok = port.is_empty()
        || port
            .strip_prefix(':')
            .and_then(|p| p.parse::<u16>().ok())
            .is_some_and(|p| p > 0);
    path_ok && host_ok && port_ok
}

/// Patterns that mean a credential, wherever they are in the file.
const SECRET_MARKERS: [(&str, &str); 7] = [
    ("password=", "a libpq password"),
    ("pgpassword", "a PostgreSQL password variable"),
    ("aws_secret_access_key", "an AWS secret key"),
    ("accountkey=", "an Azure storage account key"),
    ("sharedaccesssignature=", "an Azure SAS token"),
    ("-----begin", "a private key"),
    ("\"private_key\"", "a service-account private key"),
];

/// Every line of the scenario (comments aside) holding something that looks
/// like a secret: markers such as `password=`, an AWS access key id, or
/// `user:password@` in a URL or address.
pub(crate) fn scan_secrets(text: &str) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_start();
        if !body.starts_with('#') {
            let lower = line.to_ascii_lowercase();
            let hit = SECRET_MARKERS
                .iter()
                .find_map(|(m, what)| lower.find(m).map(|at| (at, m.len(), *what)))
                .or_else(|| aws_key_id(line).map(|at| (at, 20, "an AWS access key id")))
                .or_else(|| {
                    user_password(line).map(|(at, len)| (at, len, "a user:password@ pair"))
                });
            if let Some((at, len, what)) = hit {
                out.push(Problem::at(
                    Some((offset + at, len)),
                    format!("this line seems to hold {what}"),
                    "secret",
                    "never put secrets in a scenario: drplan's exported config reads passwords from ~/.pgpass and cloud credentials from the environment or an instance role",
                ));
            }
        }
        offset += line.len();
    }
    out
}

/// Byte offset of `AKIA…`/`ASIA…` followed by 16 upper-case letters or digits.
fn aws_key_id(line: &str) -> Option<usize> {
    let b = line.as_bytes();
    (0..b.len().saturating_sub(19)).find(|&i| {
        (b[i..].starts_with(b"AKIA") || b[i..].starts_with(b"ASIA"))
            && b[i + 4..i + 20]
                .iter()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            && b.get(i + 20).is_none_or(|c| !c.is_ascii_alphanumeric())
            && (i == 0 || !b[i - 1].is_ascii_alphanumeric())
    })
}

/// `user:password@host` (offset and length of `user:password@`).
fn user_password(line: &str) -> Option<(usize, usize)> {
    let at = line.find('@')?;
    let start = line[..at]
        .rfind(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '/'))
        .map_or(0, |i| i + 1);
    let user_info = &line[start..at];
    let (user, pass) = user_info.split_once(':')?;
    (!user.is_empty() && !pass.is_empty()).then_some((start, at + 1 - start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names_and_ips_pass_the_rest_does_not() {
        for ok in ["pg-1.par1.example.net", "localhost", "10.0.0.5", "db1"] {
            assert!(ok.parse::<IpAddr>().is_ok() || is_hostname(ok), "{ok}");
        }
        for bad in [
            "-oProxyCommand=x",
            "a b",
            "pg$(id)",
            "a\nb",
            "999.1.1.1",
            "a..b",
            "",
            "host=pg sslmode=disable",
        ] {
            assert!(!is_hostname(bad), "{bad:?}");
        }
    }

    #[test]
    fn endpoints() {
        for ok in [
            "http://127.0.0.1:9000",
            "https://s3.eu-west-1.amazonaws.com",
            "https://minio.example.net/store",
            "http://[::1]:9000",
        ] {
            assert!(endpoint_ok(ok), "{ok}");
        }
        for bad in [
            "http://127.0.0.1:9000 --profile evil",
            "http://x/$(id)",
            "http://u:p@x",
            "ftp://x",
            "http://x:0",
            "http://x?a=b",
            "http://x;id",
        ] {
            assert!(!endpoint_ok(bad), "{bad}");
        }
    }

    #[test]
    fn secrets_are_found_with_their_place() {
        let text = "name: x\n# password= in a comment is fine\naddress: barman:hunter2@pg-1\nkey: AKIAABCDEFGHIJKLMNOP\n";
        let p = scan_secrets(text);
        assert_eq!(p.len(), 2, "{p:?}");
        let at = p[0].span.unwrap().offset();
        assert_eq!(&text[at..at + 15], "barman:hunter2@");
        assert!(p[1].message.contains("AWS access key"));
        assert!(scan_secrets("endpoint_url: http://127.0.0.1:9000\n").is_empty());
    }
}
