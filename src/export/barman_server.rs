//! One server file per local Barman tier: streaming backups
//! (`backup_method = postgres`, `streaming_archiver`, a replication slot) or
//! rsync, retention, compression, and the cloud tier when it rides on this
//! server (hook scripts, or Barman ≥ 3.18 native cloud paths).

use super::ini::Section;
use super::{Artifact, ExportContext, ExportError, Renderer, Result, cloud, cloud_wal, quote};
use crate::model::{BackupMethod, BarmanServer, CloudVia, Compression, ReuseBackup};

/// Renders `/etc/barman.d/<cluster>.conf` for every local Barman server.
pub struct BarmanServers;

impl Renderer for BarmanServers {
    fn render(&self, ctx: &ExportContext, out: &mut Vec<Artifact>) -> Result<()> {
        for (i, b) in ctx.scenario.barman_servers.iter().enumerate() {
            let section = server_section(ctx, i, b)?;
            let contents = format!("{}\n{}", ctx.banner(";"), section.render()?);
            out.push(Artifact::on_host(
                &ctx.host(b.host).name,
                &ctx.layout.server_conf(&ctx.cluster_of(b).name),
                &format!(
                    "Barman server `{}` (tier {})",
                    ctx.cluster_of(b).name,
                    b.name
                ),
                contents,
            ));
        }
        Ok(())
    }
}

/// The libpq connection Barman uses to reach a cluster as `user`.
pub fn conninfo(address: &str, port: u16, user: &str) -> String {
    quote::conninfo(&[
        ("host", address),
        ("port", &port.to_string()),
        ("user", user),
        ("dbname", "postgres"),
    ])
}

/// A connection to whichever node of a Patroni cluster leads: every node's
/// address and port, libpq picking the one that accepts writes.
pub fn leader_conninfo(ctx: &ExportContext, c: &crate::model::Cluster, user: &str) -> String {
    let hosts: Vec<&str> = c.hosts().map(|h| ctx.host(h).address.as_str()).collect();
    let ports: Vec<String> = c.hosts().map(|_| c.port.to_string()).collect();
    quote::conninfo(&[
        ("host", &hosts.join(",")),
        ("port", &ports.join(",")),
        ("user", user),
        ("dbname", "postgres"),
        ("target_session_attrs", "read-write"),
    ])
}

/// The `compression` value, or an error for what cannot be exported.
pub fn compression_value(c: Compression, tier: &str) -> Result<Option<&'static str>> {
    match c {
        Compression::None => Ok(None),
        Compression::Custom => Err(ExportError::Unsupported {
            what: format!(
                "tier `{tier}` uses `compression: custom`, which needs filter commands the scenario does not give"
            ),
            hint: "choose gzip, bzip2, lz4, zstd, snappy, xz or pigz".into(),
        }),
        other => Ok(Some(other.as_str())),
    }
}

fn server_section(ctx: &ExportContext, index: usize, b: &BarmanServer) -> Result<Section> {
    let s = ctx.scenario;
    let l = &ctx.layout;
    let c = ctx.cluster_of(b);
    let pg = ctx.host(c.primary);
    let mut sec = Section::new(&c.name);
    sec.set(
        "description",
        format!(
            "PostgreSQL {} cluster {} on {} (tier {}, scenario {})",
            c.version_string(),
            c.name,
            pg.name,
            b.name,
            s.name
        ),
        "",
    );
    let patroni = c.patroni().is_some();
    let info = |user: &str| {
        if patroni {
            leader_conninfo(ctx, c, user)
        } else {
            conninfo(&pg.address, c.port, user)
        }
    };
    sec.set(
        "conninfo",
        info(&l.barman_role),
        if patroni {
            "Every node of the Patroni cluster, the leader chosen by libpq (target_session_attrs):\nafter a failover Barman follows the new leader at the next `barman cron`, and its slot is\nthere (a Patroni permanent slot). The password comes from ~barman/.pgpass, never from here."
        } else {
            "Checks, WAL switches, restore points. The password comes from ~barman/.pgpass, never from here."
        },
    );
    if b.uses_replication() {
        sec.set(
            "streaming_conninfo",
            info(&l.streaming_role),
            "Replication connection for pg_basebackup and pg_receivewal.",
        );
    }
    match b.backup_method {
        BackupMethod::Postgres => {
            sec.set(
                "backup_method",
                "postgres",
                "Base backups with pg_basebackup: no ssh to the PostgreSQL host.",
            );
        }
        BackupMethod::Rsync => {}
    }
    match b.backup_method {
        // Patroni keeps the configuration in PGDATA: every backup carries it.
        BackupMethod::Postgres if patroni => {}
        BackupMethod::Postgres => {
            sec.set(
                "backup_options",
                "external_configuration",
                &format!(
                    "postgresql-common keeps the configuration in {}, outside PGDATA, where\npg_basebackup does not look: drplan's cron copies it to {} every night,\nso each backup carries it; this option silences Barman's warning about it.",
                    l.pg_conf_dir(c),
                    l.pg_conf_copy(c)
                ),
            );
        }
        BackupMethod::Rsync => {
            sec.set(
                "backup_method",
                "rsync",
                "Base backups with rsync over ssh.",
            );
            sec.set(
                "backup_options",
                "concurrent_backup",
                "Without a strategy Barman warns \"No backup strategy set\" on every call.",
            );
            sec.set(
                "ssh_command",
                quote::shell_words(&[
                    "ssh".to_string(),
                    format!("{}@{}", l.postgres_user, pg.address),
                ]),
                "",
            );
            let reuse = match b.reuse_backup {
                ReuseBackup::Off => None,
                ReuseBackup::Copy => Some("copy"),
                ReuseBackup::Link => Some("link"),
            };
            if let Some(r) = reuse {
                sec.set("reuse_backup", r, "Unchanged files come from the previous backup (`link`: hard links, deduplicated on disk).");
            }
        }
    }
    if b.wal_archiving.streams() {
        sec.set(
            "streaming_archiver",
            "on",
            "WAL by pg_receivewal: RPO of seconds (a .partial segment is kept).",
        );
        sec.set(
            "slot_name",
            ctx.slot_name(b),
            "The slot keeps WAL on the primary while Barman is down (see max_slot_wal_keep_size).",
        );
        sec.set(
            "create_slot",
            "auto",
            "`barman cron` creates the slot on its first run.",
        );
    }
    if b.wal_archiving.ships_by_archive_command() {
        sec.set(
            "archiver",
            "on",
            "WAL shipped by PostgreSQL's archive_command (barman-wal-archive) into the incoming folder.",
        );
    }
    sec.set(
        "immediate_checkpoint",
        "true",
        "Start backups at once instead of waiting for a spread checkpoint.",
    );
    sec.set(
        "path_prefix",
        l.pg_bin(c),
        "pg_basebackup, pg_receivewal and recovery must match the server's major version.",
    );
    if let Some(comp) = compression_value(b.compression, &b.name)? {
        sec.set(
            "compression",
            comp,
            "WAL compression. A passive node copying this server must use the same value.",
        );
    }
    sec.set("retention_policy", b.retention.to_string(), "");
    sec.set("wal_retention_policy", "main", "");
    sec.set(
        "minimum_redundancy",
        b.minimum_redundancy.to_string(),
        "Never delete below this many backups, whatever the policy says.",
    );
    let th = super::monitoring::thresholds(ctx, b);
    sec.set(
        "last_backup_maximum_age",
        format!("{} hours", th.backup_max_age_h),
        "barman check fails when the newest backup is older: the schedule's longest gap plus a backup's duration, +25 %.",
    );
    sec.set(
        "last_wal_maximum_age",
        format!("{} hours", th.wal_max_age_h),
        "barman check fails when no WAL arrived for this long: three times the expected gap between two segments.",
    );
    sec.set(
        "last_backup_minimum_size",
        format!("{} Mi", th.backup_min_size_mib),
        "barman check fails when the newest backup is smaller than half of the planned data size.",
    );
    for t in s
        .cloud_tiers
        .iter()
        .filter(|t| t.via.barman().map(|id| id.0) == Some(index))
    {
        match t.via {
            CloudVia::Hooks(_) => {
                sec.set(
                    "pre_archive_retry_script",
                    quote::shell(&cloud_wal::script_path(ctx, c)),
                    &format!("Cloud tier {}: uploads each WAL before Barman archives it. A retry hook: Barman re-runs it\nuntil it exits 0, 62 or 63, so the wrapper gives the upload {} s, then queues the segment\nfor its cron catch-up and exits 62: local archiving never waits for the bucket.", t.name, cloud_wal::UPLOAD_TIMEOUT_S),
                );
                sec.set(
                    "post_backup_retry_script",
                    cloud::backup_hook(t, c),
                    "Uploads each backup after it is DONE: only `barman backup --wait` waits for it\n(without --wait the hook aborts with exit 63 and nothing is uploaded).",
                );
            }
            CloudVia::Native(_) => {
                let dest = cloud::destination(t);
                sec.set(
                    "basebackups_directory",
                    &dest,
                    &format!(
                        "Cloud tier {}: Barman ≥ 3.18 streams backups straight to object storage.",
                        t.name
                    ),
                );
                sec.set("wals_directory", &dest, "");
            }
            CloudVia::ArchiveCommand => {}
        }
    }
    Ok(sec)
}
