//! barman-cloud command lines: the same destination, provider and endpoint
//! options on every call (a missing `--endpoint-url` anywhere silently means
//! real AWS), and the compression flags each tool accepts. Every word is
//! shell-quoted: Barman runs hooks through a shell, and so does cron.

use super::quote::shell_words;
use crate::model::{CloudProvider, CloudTier, Cluster};

/// `s3://bucket/prefix`, `gs://bucket/prefix`, or for Azure
/// `https://<account>.blob.core.windows.net/<container>/<prefix>` (the
/// account comes from `endpoint_url`; barman-cloud reads any other Azure URL
/// as an emulator's).
pub fn destination(t: &CloudTier) -> String {
    let base = match (t.provider, &t.endpoint_url) {
        (CloudProvider::AzureBlob, Some(account)) => {
            format!("{}/{}", account.trim_end_matches('/'), t.bucket)
        }
        _ => format!("{}://{}", t.provider.scheme(), t.bucket),
    };
    match &t.prefix {
        Some(p) if !p.trim_matches('/').is_empty() => format!("{base}/{}", p.trim_matches('/')),
        _ => base,
    }
}

fn common(tool: &str, t: &CloudTier) -> Vec<String> {
    let mut v = vec![
        tool.to_string(),
        "--cloud-provider".into(),
        t.provider.barman_name().into(),
    ];
    // Azure's endpoint is part of the destination URL.
    if let Some(url) = t
        .endpoint_url
        .as_ref()
        .filter(|_| t.provider != CloudProvider::AzureBlob)
    {
        v.push("--endpoint-url".into());
        v.push(url.clone());
    }
    v
}

/// The provider and endpoint options every barman-cloud tool takes for this
/// tier (each word unquoted).
pub fn options(t: &CloudTier) -> Vec<String> {
    common("", t).split_off(1)
}

/// `barman-cloud-wal-archive … DEST SERVER` (append ` %p` for `archive_command`).
pub fn wal_archive(t: &CloudTier, c: &Cluster) -> String {
    let mut v = common("barman-cloud-wal-archive", t);
    v.extend(t.wal_compression.flag().map(str::to_string));
    v.push(destination(t));
    v.push(c.name.clone());
    shell_words(&v)
}

/// `barman-cloud-backup … DEST SERVER` (as a Barman hook: uploads the backup
/// Barman just took).
pub fn backup_hook(t: &CloudTier, c: &Cluster) -> String {
    let mut v = common("barman-cloud-backup", t);
    v.extend(t.backup_compression.flag().map(str::to_string));
    v.push(destination(t));
    v.push(c.name.clone());
    shell_words(&v)
}

/// `barman-cloud-backup` run on the PostgreSQL host itself (no Barman server).
pub fn backup_from_pg_host(t: &CloudTier, c: &Cluster, socket_dir: &str) -> String {
    let mut v = common("barman-cloud-backup", t);
    v.extend(t.backup_compression.flag().map(str::to_string));
    v.extend([
        "--immediate-checkpoint".to_string(),
        "-h".into(),
        socket_dir.to_string(),
        "-p".into(),
        c.port.to_string(),
        destination(t),
        c.name.clone(),
    ]);
    shell_words(&v)
}

/// `barman-cloud-backup-delete -r 'POLICY' DEST SERVER`: the bucket's own
/// retention (Barman's retention never touches it).
pub fn delete(t: &CloudTier, c: &Cluster) -> String {
    let mut v = common("barman-cloud-backup-delete", t);
    v.push("-r".into());
    v.push(t.retention.to_string());
    v.push(destination(t));
    v.push(c.name.clone());
    shell_words(&v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::load_str;

    #[test]
    fn every_call_names_provider_endpoint_and_destination() {
        let s = load_str(
            include_str!("../../scenarios/geo.yaml"),
            std::path::Path::new("geo.yaml"),
        )
        .unwrap();
        let mut t = s.cloud_tiers[0].clone();
        t.endpoint_url = Some("http://127.0.0.1:9000".into());
        let c = &s.clusters[0];
        for cmd in [
            wal_archive(&t, c),
            backup_hook(&t, c),
            delete(&t, c),
            backup_from_pg_host(&t, c, "/run/pg"),
        ] {
            assert!(cmd.contains("--cloud-provider aws-s3"), "{cmd}");
            assert!(
                cmd.contains("--endpoint-url http://127.0.0.1:9000"),
                "{cmd}"
            );
            assert!(cmd.contains("s3://acme-pg-backups/main main"), "{cmd}");
        }
        assert!(wal_archive(&t, c).contains("--zstd"));
        assert!(backup_hook(&t, c).contains("--gzip"));
        assert!(delete(&t, c).contains("-r 'RECOVERY WINDOW OF 60 DAYS'"));
    }

    #[test]
    fn azure_destinations_carry_the_storage_account() {
        let s = load_str(
            include_str!("../../scenarios/geo.yaml"),
            std::path::Path::new("geo.yaml"),
        )
        .unwrap();
        let mut t = s.cloud_tiers[0].clone();
        t.provider = CloudProvider::AzureBlob;
        t.endpoint_url = Some("https://acme.blob.core.windows.net".into());
        let cmd = wal_archive(&t, &s.clusters[0]);
        assert!(
            cmd.contains(" https://acme.blob.core.windows.net/acme-pg-backups/main main"),
            "{cmd}"
        );
        assert!(!cmd.contains("--endpoint-url"), "{cmd}");
        assert!(!cmd.contains("azure://"), "{cmd}");
    }
}
