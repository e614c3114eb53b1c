//! `drplan export` as operators run it: every bundled scenario exports and
//! lints clean; the files say what the scenario says (retention, compression,
//! schedule, hooks, passive node); no secrets; a second export changes
//! nothing; hand edits are refused without --force; --dry-run writes nothing;
//! a scenario Barman would silently mishandle is refused.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn drplan() -> Command {
    Command::cargo_bin("drplan").unwrap()
}

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn export(scenario: &str, out: &Path) {
    drplan()
        .args(["export", scenario, "--out"])
        .arg(out)
        .assert()
        .success()
        .stdout(predicate::str::contains("README.md"));
}

/// The geo layout without its `ha:` section: plain PostgreSQL settings
/// (conf.d, pg_hba lines, the raise script) instead of Patroni's.
const GEO_HA: &str = "    ha:\n      manager: patroni\n      dcs: [pg-1, pg-2, backup-1]\n      synchronous_mode: true\n";

#[test]
fn geo_exports_what_the_scenario_says() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let out = out.as_path();
    let geo = std::fs::read_to_string("scenarios/geo.yaml").unwrap();
    assert!(geo.contains(GEO_HA));
    let plain = tmp.path().join("geo.yaml");
    std::fs::write(&plain, geo.replace(GEO_HA, "")).unwrap();
    export(plain.to_str().unwrap(), out);
    let s = drplan::model::load_file(&plain).unwrap();
    let b = &s.barman_servers[0];
    let p = &s.passive_nodes[0];
    let cloud = &s.cloud_tiers[0];

    let server = read(out, "backup-1/etc/barman.d/main.conf");
    assert!(server.contains("[main]\n"));
    assert!(server.contains(&format!("\nretention_policy = {}\n", b.retention)));
    assert!(server.contains(&format!("\ncompression = {}\n", b.compression)));
    assert!(server.contains(&format!(
        "\nminimum_redundancy = {}\n",
        b.minimum_redundancy
    )));
    assert!(server.contains("\nbackup_method = postgres\n"));
    assert!(server.contains("\nstreaming_archiver = on\n"));
    assert!(server.contains("\npath_prefix = /usr/lib/postgresql/15/bin\n"));
    assert!(server.contains("host=pg-1.par1.example.net port=5432 user=barman"));
    // WAL reaches the bucket through the wrapper, which never blocks local archiving.
    assert!(
        server.contains("\npre_archive_retry_script = /usr/local/sbin/drplan-cloud-wal-main\n")
    );
    let hook = read(out, "backup-1/usr/local/sbin/drplan-cloud-wal-main");
    assert!(
        hook.contains(&format!(
            "timeout -k 5 30 barman-cloud-wal-archive --cloud-provider aws-s3 --zstd s3://{}/main main \"$1\"",
            cloud.bucket
        )),
        "{hook}"
    );
    assert!(hook.contains("\n    exit 62\n"), "{hook}");
    assert!(
        hook.contains("QUEUE=/var/lib/barman/drplan-cloud-queue/main\n"),
        "{hook}"
    );
    assert!(server.contains(
        "\npost_backup_retry_script = barman-cloud-backup --cloud-provider aws-s3 --gzip "
    ));

    let passive = read(out, "backup-2/etc/barman.d/main.conf");
    assert!(passive.contains("\nprimary_ssh_command = ssh barman@backup-1.par1.example.net\n"));
    assert!(passive.contains(&format!("\nretention_policy = {}\n", p.retention)));
    assert!(passive.contains(&format!("\ncompression = {}\n", b.compression)));
    assert!(
        !passive.contains("conninfo"),
        "a passive node never connects to PostgreSQL"
    );

    let cron = read(out, "backup-1/etc/cron.d/drplan-barman");
    assert!(
        cron.contains(
            "\n0 1 * * * barman barman -q -c /etc/barman.conf backup --wait --wait-timeout 21600 main\n"
        ),
        "{cron}"
    );
    // `barman cron` replaces the Debian package's /etc/cron.d/barman
    // rather than running a second time beside it.
    assert!(!cron.contains(" cron\n"), "{cron}");
    let own = read(out, "backup-1/etc/cron.d/barman");
    assert!(
        own.contains("\n* * * * * barman barman -q -c /etc/barman.conf cron\n"),
        "{own}"
    );
    assert!(own.contains("Replaces the file of the same name"), "{own}");
    assert!(
        cron.contains("\n*/5 * * * * barman /usr/local/sbin/drplan-cloud-wal-main --catch-up\n"),
        "{cron}"
    );
    assert!(cron.contains(&format!(
        "-r '{}' s3://{}/main main",
        cloud.retention, cloud.bucket
    )));
    assert!(cron.contains("drplan-restore-drill-main"));
    // On the passive node, only through the guard.
    let passive_cron = read(out, "backup-2/etc/cron.d/barman");
    assert!(
        passive_cron.contains("\n* * * * * barman /usr/local/sbin/drplan-passive-cron\n"),
        "{passive_cron}"
    );
    assert!(
        !passive_cron
            .lines()
            .any(|l| !l.starts_with('#') && l.contains("barman -q")),
        "{passive_cron}"
    );

    let pg = read(out, "pg-1/etc/postgresql/15/main/conf.d/drplan-barman.conf");
    // Counts and wal_level are minimums raised by a script, never fixed values
    // in a file read last (tests/pg_minimums_real.rs runs the script).
    for key in ["wal_level", "max_wal_senders", "max_replication_slots"] {
        assert!(!pg.lines().any(|l| l.starts_with(key)), "{key} in {pg}");
    }
    let raise = read(out, "pg-1/usr/local/sbin/drplan-raise-settings-main");
    assert!(
        raise.contains("raise max_replication_slots 10\n"),
        "{raise}"
    );
    assert!(pg.contains("\narchive_timeout = '60s'\n"));
    // The disk model's slot cap: below the 200 GiB of free pg_wal space.
    let cap: u64 = pg
        .lines()
        .find_map(|l| l.strip_prefix("max_slot_wal_keep_size = '"))
        .and_then(|v| v.strip_suffix("MB'"))
        .and_then(|v| v.parse().ok())
        .expect("max_slot_wal_keep_size set");
    assert!(cap > 0 && cap < 200 * 1024, "cap {cap} MB");
    assert_eq!(
        pg,
        read(out, "pg-2/etc/postgresql/15/main/conf.d/drplan-barman.conf"),
        "standby gets the same settings"
    );
    // pg-2 is `mode: sync`: commits wait for it, on whichever node leads.
    assert!(
        pg.contains("\nsynchronous_standby_names = 'FIRST 1 (\"pg-1\", \"pg-2\")'\n")
            && pg.contains("\nsynchronous_commit = on\n"),
        "{pg}"
    );

    let hba = read(out, "pg-1/etc/postgresql/15/main/pg_hba.conf.drplan");
    assert!(hba.contains("host    replication  streaming_barman   backup-1.par1.example.net"));
    let roles = read(out, "pg-1/var/lib/postgresql/drplan/barman-roles-main.sql");
    assert!(roles.contains("GRANT pg_checkpoint TO barman;"));
    assert!(roles.contains("GRANT EXECUTE ON FUNCTION pg_backup_start(text, boolean) TO barman;"));
    assert!(
        roles.contains("CREATE ROLE barman LOGIN;"),
        "barman is not a superuser"
    );
    assert!(roles.contains("CREATE ROLE streaming_barman LOGIN REPLICATION;"));

    let drill = read(out, "backup-1/usr/local/sbin/drplan-restore-drill-main");
    assert!(drill.starts_with("#!/usr/bin/env bash\n"));
    assert!(drill.contains("ssh -o BatchMode=yes postgres@drill-1.fra1.example.net"));
    assert!(drill.contains("RTO_TARGET_SECONDS=${RTO_TARGET_SECONDS:-14400}"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(out.join("backup-1/usr/local/sbin/drplan-restore-drill-main"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o111, 0o111, "scripts are executable");
    }
    let readme = read(out, "README.md");
    for f in [
        "backup-1/etc/barman.conf",
        "backup-2/usr/local/sbin/drplan-passive-cron",
        ".pgpass",
        "twice",
    ] {
        assert!(readme.contains(f), "README lacks {f}");
    }
}

#[test]
fn exported_scripts_are_valid_bash() {
    let tmp = tempfile::tempdir().unwrap();
    export("scenarios/geo.yaml", tmp.path());
    for rel in [
        "backup-1/usr/local/sbin/drplan-restore-drill-main",
        "backup-2/usr/local/sbin/drplan-passive-cron",
    ] {
        let st = std::process::Command::new("bash")
            .arg("-n")
            .arg(tmp.path().join(rel))
            .status()
            .expect("bash runs");
        assert!(st.success(), "bash -n {rel}");
    }
}

#[test]
fn every_bundled_scenario_exports_without_secrets() {
    for name in ["same-dc", "metro", "geo"] {
        let tmp = tempfile::tempdir().unwrap();
        export(&format!("scenarios/{name}.yaml"), tmp.path());
        for entry in walk(tmp.path()) {
            let text = std::fs::read_to_string(&entry).unwrap().to_lowercase();
            for secret in ["password=", "password '", "aws_secret_access_key"] {
                assert!(
                    !text.contains(secret),
                    "{name}: {} contains {secret}",
                    entry.display()
                );
            }
        }
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn re_export_is_idempotent_and_hand_edits_need_force() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    export("scenarios/metro.yaml", out);
    let conf = walk(out)
        .into_iter()
        .find(|p| p.ends_with("etc/barman.d/main.conf"))
        .expect("a server file");
    let before = std::fs::read_to_string(&conf).unwrap();

    drplan()
        .args(["export", "scenarios/metro.yaml", "--out"])
        .arg(out)
        .assert()
        .success()
        .stdout(predicate::str::contains("0 created, 0 updated, 0 removed"));

    std::fs::write(&conf, format!("{before}; a hand edit\n")).unwrap();
    drplan()
        .args(["export", "scenarios/metro.yaml", "--dry-run", "--out"])
        .arg(out)
        .assert()
        .success()
        .stdout(
            predicate::str::contains("! edited").and(predicate::str::contains("-; a hand edit")),
        );
    drplan()
        .args(["export", "scenarios/metro.yaml", "--out"])
        .arg(out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--force"));
    assert!(
        std::fs::read_to_string(&conf)
            .unwrap()
            .ends_with("; a hand edit\n"),
        "nothing overwritten"
    );
    drplan()
        .args(["export", "scenarios/metro.yaml", "--force", "--out"])
        .arg(out)
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(&conf).unwrap(), before);
}

#[test]
fn dry_run_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("new");
    drplan()
        .args(["export", "scenarios/same-dc.yaml", "--dry-run", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout(
            predicate::str::contains("+ create ").and(predicate::str::contains("nothing written")),
        );
    assert!(!out.exists());
}

#[test]
fn a_scenario_that_cannot_be_deployed_safely_is_refused() {
    let geo = std::fs::read_to_string("scenarios/geo.yaml").unwrap();
    let cases = [
        // Native cloud paths need Barman 3.18.
        (
            geo.replace("barman_version: \"3.19\"", "barman_version: \"3.17\"")
                .replace("    via: hooks\n", "    via: native\n"),
            "3.18",
        ),
        // cron cannot run something every 7 hours.
        (
            geo.replace("schedule: \"daily at 01:00\"", "schedule: \"every 7 h\""),
            "`every 7 h` cannot be written",
        ),
    ];
    for (text, want) in cases {
        assert_ne!(text, geo);
        let tmp = tempfile::tempdir().unwrap();
        let scenario = tmp.path().join("bad.yaml");
        std::fs::write(&scenario, text).unwrap();
        let out = tmp.path().join("out");
        drplan()
            .arg("export")
            .arg(&scenario)
            .arg("--out")
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(want));
        assert!(!out.exists(), "nothing is written");
    }
}
