//! PostgreSQL settings as minimums, on a real PostgreSQL 15 laid out like
//! Debian's postgresql-common (configuration outside PGDATA, `include_dir =
//! 'conf.d'` read last): a tuned cluster with `wal_level = logical`, a
//! logical replication slot, `max_replication_slots = 12` and
//! `max_connections = 300` gets the exported conf.d snippet and runs the
//! exported raise script; after a restart it still has `wal_level = logical`,
//! 12 slots and its logical slot. A fresh cluster with lower counts is raised
//! to what Barman needs. A missing PostgreSQL fails the test.

use std::path::Path;
use std::process::Command;

const PG_BIN: &str = "/usr/lib/postgresql/15/bin";

/// Run a command as the `postgres` user when we are root (PostgreSQL refuses root).
fn as_pg(prog: &str) -> Command {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout == b"0\n");
    if root.unwrap_or(false) {
        let mut c = Command::new("setpriv");
        c.args([
            "--reuid=postgres",
            "--regid=postgres",
            "--init-groups",
            prog,
        ]);
        c
    } else {
        Command::new(prog)
    }
}

fn ok(c: &mut Command) -> String {
    let o = c.output().unwrap_or_else(|e| panic!("{c:?}: {e}"));
    assert!(
        o.status.success(),
        "{c:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Cluster {
    data: std::path::PathBuf,
    conf: std::path::PathBuf,
    sock: std::path::PathBuf,
    port: u16,
}

impl Cluster {
    fn create(root: &Path, name: &str, extra: &str) -> Self {
        let data = root.join(format!("{name}-data"));
        let conf = root.join(format!("etc-{name}"));
        let sock = root.join(format!("sock-{name}"));
        ok(as_pg("mkdir").arg("-p").arg(&sock));
        ok(as_pg(&format!("{PG_BIN}/initdb"))
            .arg("-D")
            .arg(&data)
            .args(["-U", "postgres", "--auth-local=trust", "--no-instructions"]));
        // postgresql-common's layout: the configuration lives outside PGDATA.
        ok(as_pg("mkdir").arg("-p").arg(conf.join("conf.d")));
        for f in ["postgresql.conf", "pg_hba.conf", "pg_ident.conf"] {
            ok(as_pg("mv").arg(data.join(f)).arg(conf.join(f)));
        }
        let port = free_port();
        let settings = format!(
            "\ndata_directory = '{}'\nhba_file = '{}'\nident_file = '{}'\nport = {port}\nlisten_addresses = ''\nunix_socket_directories = '{}'\n{extra}\ninclude_dir = 'conf.d'\n",
            data.display(),
            conf.join("pg_hba.conf").display(),
            conf.join("pg_ident.conf").display(),
            sock.display()
        );
        let mut text = std::fs::read_to_string(conf.join("postgresql.conf")).unwrap();
        text.push_str(&settings);
        std::fs::write(conf.join("postgresql.conf"), text).unwrap();
        Self {
            data,
            conf,
            sock,
            port,
        }
    }
    fn pg_ctl(&self, action: &str) {
        let log = self.conf.join("log");
        ok(as_pg(&format!("{PG_BIN}/pg_ctl"))
            .arg("-D")
            .arg(&self.conf)
            .arg("-l")
            .arg(&log)
            .args(["-w", "-t", "60", action]));
    }
    fn sql(&self, q: &str) -> String {
        ok(as_pg(&format!("{PG_BIN}/psql"))
            .args(["-X", "-At", "-v", "ON_ERROR_STOP=1", "-d", "postgres", "-h"])
            .arg(&self.sock)
            .args(["-p", &self.port.to_string(), "-c", q]))
        .trim()
        .to_string()
    }
    fn raise(&self, script: &Path) -> String {
        ok(as_pg("bash")
            .arg(script)
            .env("PGHOST", &self.sock)
            .env("PGPORT", self.port.to_string()))
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = as_pg(&format!("{PG_BIN}/pg_ctl"))
            .arg("-D")
            .arg(&self.conf)
            .args(["-m", "immediate", "-w", "stop"])
            .output();
    }
}

#[test]
fn exported_settings_never_lower_a_tuned_debian_cluster() {
    let root = tempfile::Builder::new()
        .prefix("drplan-pgmin")
        .tempdir()
        .unwrap();
    ok(Command::new("chmod").arg("0777").arg(root.path()));
    let out = root.path().join("export");
    ok(Command::new(env!("CARGO_BIN_EXE_drplan"))
        .args(["export", "tests/fixtures/export/lab.yaml", "--out"])
        .arg(&out));
    ok(Command::new("chmod").args(["-R", "a+rX"]).arg(&out));
    let snippet = out.join("pg-1/etc/postgresql/15/main/conf.d/drplan-barman.conf");
    let script = out.join("pg-1/usr/local/sbin/drplan-raise-settings-main");

    let tuned = Cluster::create(
        root.path(),
        "tuned",
        "wal_level = logical\nmax_replication_slots = 12\nmax_wal_senders = 16\nmax_connections = 300\n",
    );
    assert!(
        !tuned.data.join("postgresql.conf").exists(),
        "the configuration lives outside PGDATA"
    );
    ok(as_pg("cp").arg(&snippet).arg(tuned.conf.join("conf.d/")));
    tuned.pg_ctl("start");
    tuned.sql("SELECT pg_create_logical_replication_slot('cdc', 'pgoutput')");
    let said = tuned.raise(&script);
    assert!(said.contains("NOTHING TO CHANGE"), "{said}");
    assert!(said.contains("wal_level: logical (kept"), "{said}");
    tuned.pg_ctl("restart");
    assert_eq!(tuned.sql("SHOW wal_level"), "logical");
    assert_eq!(tuned.sql("SHOW max_replication_slots"), "12");
    assert_eq!(tuned.sql("SHOW max_wal_senders"), "16");
    assert_eq!(tuned.sql("SHOW max_connections"), "300");
    assert_eq!(
        tuned.sql("SELECT slot_type FROM pg_replication_slots WHERE slot_name = 'cdc'"),
        "logical"
    );
    // The snippet's own settings did apply (read from conf.d outside PGDATA).
    assert_eq!(tuned.sql("SHOW archive_timeout"), "1min");

    let small = Cluster::create(
        root.path(),
        "small",
        "wal_level = minimal\nmax_wal_senders = 0\nmax_replication_slots = 2\n",
    );
    ok(as_pg("cp").arg(&snippet).arg(small.conf.join("conf.d/")));
    small.pg_ctl("start");
    let said = small.raise(&script);
    assert!(said.contains("RESTART NEEDED"), "{said}");
    small.pg_ctl("restart");
    assert_eq!(small.sql("SHOW wal_level"), "replica");
    assert_eq!(small.sql("SHOW max_replication_slots"), "10");
    assert_eq!(small.sql("SHOW max_wal_senders"), "10");
    // A second run changes nothing.
    assert!(small.raise(&script).contains("NOTHING TO CHANGE"));
}
