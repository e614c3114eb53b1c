//! Passive nodes and barman-cloud hooks found in a server's configuration,
//! turned into `passive:` and `cloud:` tiers of the imported scenario.
//!
//! Only the location is taken from a hook's command line: the provider
//! (`--cloud-provider`), the destination URL's bucket (or Azure container and
//! account URL) and prefix, and the compression flags. Nothing else of the
//! command line is copied — no environment assignment, profile, credential
//! option or URL user part — so no secret reaches the scenario.

use std::collections::BTreeMap;

/// One bucket location that barman-cloud hooks upload to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloudTarget {
    /// `aws-s3`, `azure-blob-storage` or `google-cloud-storage`.
    pub provider: &'static str,
    /// Bucket (Azure: container).
    pub bucket: String,
    /// Key prefix inside the bucket.
    pub prefix: Option<String>,
    /// Azure account URL (scheme and host only).
    pub endpoint_url: Option<String>,
    /// Compression of the WAL hook (`barman-cloud-wal-archive`).
    pub wal_compression: Option<&'static str>,
    /// Compression of the backup hook (`barman-cloud-backup`).
    pub backup_compression: Option<&'static str>,
    /// Retention of `barman-cloud-backup-delete -r "…"`, in drplan's syntax.
    pub retention: Option<String>,
    /// The hook options that use it (key names).
    pub hooks: Vec<String>,
}

/// The quoted policy after `-r` / `--retention-policy` of barman-cloud-backup-delete.
fn delete_retention(cmd: &str) -> Option<String> {
    let rest = cmd
        .split_once("--retention-policy")
        .or_else(|| cmd.split_once(" -r "))?
        .1
        .trim_start_matches([' ', '=']);
    let quote = rest.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let policy = rest[1..].split(quote).next()?;
    super::measure::retention(policy)
}

const COMPRESSIONS: [(&str, &str); 9] = [
    ("-z", "gzip"),
    ("--gzip", "gzip"),
    ("-j", "bzip2"),
    ("--bzip2", "bzip2"),
    ("--snappy", "snappy"),
    ("--lz4", "lz4"),
    ("--xz", "xz"),
    ("--zstd", "zstd"),
    ("--compression", ""),
];

fn bucket_ok(b: &str) -> bool {
    (3..=63).contains(&b.len())
        && b.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
        && !b.starts_with(['-', '.'])
}

fn prefix_ok(p: &str) -> bool {
    p.len() <= 512
        && p.split('/').all(|s| !s.is_empty() && s != "." && s != "..")
        && p.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
}

/// Where one hook command line uploads, if it runs barman-cloud-backup or
/// barman-cloud-wal-archive with a destination drplan can model.
fn parse_hook(cmd: &str) -> Option<(CloudTarget, bool)> {
    let words: Vec<&str> = cmd.split_whitespace().collect();
    let tool = words.iter().position(|w| {
        let base = w.rsplit('/').next().unwrap_or(w);
        matches!(
            base,
            "barman-cloud-backup" | "barman-cloud-wal-archive" | "barman-cloud-backup-delete"
        )
    })?;
    let delete = words[tool].ends_with("-delete");
    let wal = words[tool].ends_with("wal-archive");
    let args = &words[tool + 1..];
    let mut provider = "aws-s3";
    let mut compression = None;
    let mut url = None;
    let mut i = 0;
    while i < args.len() {
        let a = args[i];
        if let Some(p) = a.strip_prefix("--cloud-provider=") {
            provider = match p {
                "azure-blob-storage" => "azure-blob-storage",
                "google-cloud-storage" => "google-cloud-storage",
                _ => "aws-s3",
            };
        } else if a == "--cloud-provider" {
            i += 1;
            provider = match args.get(i).copied() {
                Some("azure-blob-storage") => "azure-blob-storage",
                Some("google-cloud-storage") => "google-cloud-storage",
                _ => "aws-s3",
            };
        } else if let Some((_, c)) = COMPRESSIONS.iter().find(|(f, _)| *f == a) {
            if c.is_empty() {
                i += 1;
                compression = COMPRESSIONS
                    .iter()
                    .map(|(_, c)| *c)
                    .find(|c| !c.is_empty() && args.get(i) == Some(c));
            } else {
                compression = Some(*c);
            }
        } else if matches!(a, "--endpoint-url" | "-P" | "--profile" | "--credential") {
            // an option's value, not the destination (and never copied)
            i += 1;
        } else if url.is_none() && a.contains("://") {
            url = Some(a);
        }
        i += 1;
    }
    let url = url?;
    let (scheme, rest) = url.split_once("://")?;
    let mut parts = rest.splitn(2, '/');
    let authority = parts.next()?;
    let path = parts.next().unwrap_or("").trim_matches('/');
    if authority.contains(['@', '?', ':']) {
        return None;
    }
    let (bucket, prefix, endpoint) = match scheme {
        "s3" | "gs" => (authority.to_string(), path.to_string(), None),
        "https" if authority.ends_with(".blob.core.windows.net") => {
            provider = "azure-blob-storage";
            let (container, prefix) = path.split_once('/').unwrap_or((path, ""));
            (
                container.to_string(),
                prefix.to_string(),
                Some(format!("https://{authority}")),
            )
        }
        _ => return None,
    };
    if scheme == "gs" {
        provider = "google-cloud-storage";
    }
    if !bucket_ok(&bucket) || !(prefix.is_empty() || prefix_ok(&prefix)) {
        return None;
    }
    let t = CloudTarget {
        provider,
        bucket,
        prefix: (!prefix.is_empty()).then_some(prefix),
        endpoint_url: endpoint,
        wal_compression: if wal { compression } else { None },
        backup_compression: if wal { None } else { compression },
        retention: if delete { delete_retention(cmd) } else { None },
        hooks: Vec::new(),
    };
    Some((t, wal))
}

/// The bucket locations a server's `*_script` options upload to, one per
/// location, with the hooks that use it.
pub fn cloud_targets(config: &BTreeMap<String, String>) -> Vec<CloudTarget> {
    let mut out: Vec<CloudTarget> = Vec::new();
    for (key, cmd) in config.iter().filter(|(k, _)| k.ends_with("_script")) {
        let Some((t, wal)) = parse_hook(cmd) else {
            continue;
        };
        let same = |o: &&mut CloudTarget| {
            o.provider == t.provider && o.bucket == t.bucket && o.prefix == t.prefix
        };
        match out.iter_mut().find(|o| same(o)) {
            Some(o) => {
                if wal {
                    o.wal_compression = o.wal_compression.or(t.wal_compression);
                } else {
                    o.backup_compression = o.backup_compression.or(t.backup_compression);
                }
                o.retention = o.retention.take().or(t.retention.clone());
                o.hooks.push(key.clone());
            }
            None => out.push(CloudTarget {
                hooks: vec![key.clone()],
                ..t
            }),
        }
    }
    out
}

/// The host part of a `primary_ssh_command` (`ssh [options] [user@]host`).
pub fn passive_primary(cmd: &str) -> Option<String> {
    let w = cmd
        .split_whitespace()
        .rfind(|w| !w.starts_with('-') && *w != "ssh")?;
    let host = w.rsplit('@').next().unwrap_or(w);
    (!host.is_empty()).then(|| host.to_string())
}

/// A `passive:` entry: this Barman host copies `primary` (a `barman:` tier).
pub(super) fn passive_tier(
    name: &str,
    host: &str,
    primary: &str,
    m: &super::measure::Measured,
) -> String {
    let mut o = format!(
        "  # MEASURED: a passive node (primary_ssh_command); retention from its configuration\n  - name: {}\n    host: {}\n    primary: {}\n",
        super::q(name),
        super::q(host),
        super::q(primary)
    );
    match &m.retention_policy {
        Some(r) => o.push_str(&format!("    retention_policy: {}\n", super::q(r))),
        None => o.push_str(
            "    # PLACEHOLDER: no retention_policy\n    retention_policy: \"REDUNDANCY 2\"\n",
        ),
    }
    if let Some(r) = m.minimum_redundancy {
        o.push_str(&format!("    minimum_redundancy: {r}\n"));
    }
    o.push_str("    # PLACEHOLDER: barman cron runs every minute by default\n    sync_interval: \"1 min\"\n");
    o
}

/// A `cloud:` entry for one location the hooks of `barman` upload to.
pub(super) fn cloud_tier(
    name: &str,
    cluster: &str,
    barman: &str,
    t: &CloudTarget,
    m: &super::measure::Measured,
) -> String {
    let q = super::q;
    let mut o = format!(
        "  # MEASURED: barman-cloud hooks {} (location only; no credential is copied)\n  - name: {}\n    cluster: {}\n    via: hooks\n    barman: {}\n    provider: {}\n    bucket: {}\n",
        t.hooks.join(", "),
        q(name),
        q(cluster),
        q(barman),
        t.provider,
        q(&t.bucket)
    );
    if let Some(p) = &t.prefix {
        o.push_str(&format!("    prefix: {}\n", q(p)));
    }
    if let Some(e) = &t.endpoint_url {
        o.push_str(&format!("    endpoint_url: {}\n", q(e)));
    }
    if let Some(c) = t.wal_compression {
        o.push_str(&format!("    wal_compression: {c}\n"));
    }
    if let Some(c) = t.backup_compression {
        o.push_str(&format!("    backup_compression: {c}\n"));
    }
    match &t.retention {
        Some(r) => o.push_str(&format!(
            "    # MEASURED: barman-cloud-backup-delete's retention\n    retention_policy: {}\n",
            q(r)
        )),
        None => o.push_str(&format!(
            "    # PLACEHOLDER: no barman-cloud-backup-delete hook: the Barman server's retention\n    retention_policy: {}\n",
            q(m.retention_policy.as_deref().unwrap_or("REDUNDANCY 2"))
        )),
    }
    o.push_str("    # PLACEHOLDER: the bucket's region, storage class and bandwidth\n    region: region-1\n    storage_class: object\n    bandwidth: \"1 Gbit/s\"\n");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn hooks_to_one_bucket_make_one_target_without_credentials() {
        let t = cloud_targets(&cfg(&[
            (
                "post_archive_retry_script",
                "env AWS_SECRET_ACCESS_KEY=x barman-cloud-wal-archive --profile prod --endpoint-url https://s3.example.net --zstd s3://acme-pg/main/ pg",
            ),
            (
                "post_backup_retry_script",
                "/usr/bin/barman-cloud-backup -z s3://acme-pg/main pg",
            ),
            ("pre_backup_script", "/usr/local/bin/notify"),
        ]));
        assert_eq!(t.len(), 1, "{t:?}");
        assert_eq!(t[0].provider, "aws-s3");
        assert_eq!(t[0].bucket, "acme-pg");
        assert_eq!(t[0].prefix.as_deref(), Some("main"));
        assert_eq!(t[0].wal_compression, Some("zstd"));
        assert_eq!(t[0].backup_compression, Some("gzip"));
        assert_eq!(t[0].hooks.len(), 2);
    }

    #[test]
    fn azure_and_gcs_locations_and_unsafe_urls() {
        let t = cloud_targets(&cfg(&[(
            "post_backup_script",
            "barman-cloud-backup --cloud-provider azure-blob-storage https://acct.blob.core.windows.net/backups/pg pg",
        )]));
        assert_eq!(t[0].provider, "azure-blob-storage");
        assert_eq!(t[0].bucket, "backups");
        assert_eq!(
            t[0].endpoint_url.as_deref(),
            Some("https://acct.blob.core.windows.net")
        );
        let g = cloud_targets(&cfg(&[(
            "post_backup_script",
            "barman-cloud-backup gs://gbk pg",
        )]));
        assert_eq!(
            (g[0].provider, g[0].prefix.as_deref()),
            ("google-cloud-storage", None)
        );
        for bad in [
            "barman-cloud-backup s3://user:pw@bucket/p pg",
            "barman-cloud-backup s3://Bad_Bucket/p pg",
            "barman-cloud-backup s3://bucket/../etc pg",
        ] {
            assert!(
                cloud_targets(&cfg(&[("post_backup_script", bad)])).is_empty(),
                "{bad}"
            );
        }
    }

    #[test]
    fn primary_host_without_user_or_options() {
        assert_eq!(
            passive_primary("ssh -p 2222 -o BatchMode=yes barman@backup1.example.net").as_deref(),
            Some("backup1.example.net")
        );
        assert_eq!(passive_primary("ssh"), None);
    }
}
