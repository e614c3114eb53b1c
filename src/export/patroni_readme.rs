//! The README's deployment steps for a Patroni cluster: etcd first, then
//! Patroni on the first node, the others, the Barman roles on the leader.

use std::fmt::Write as _;

use super::ExportContext;
use super::patroni::{REPLICATION_ROLE, config_path};
use crate::model::Cluster;

/// Append the numbered steps for cluster `c` (`n` numbers them).
pub fn steps(ctx: &ExportContext, c: &Cluster, t: &mut String, n: &mut dyn FnMut() -> u32) {
    let l = &ctx.layout;
    let members: Vec<String> =
        c.ha.as_ref()
            .map(|h| h.dcs.iter().map(|&m| ctx.host(m).name.clone()).collect())
            .unwrap_or_default();
    let nodes: Vec<String> = c.hosts().map(|h| ctx.host(h).name.clone()).collect();
    let unit = format!("patroni@{}-{}", c.version_string(), c.name);
    let _ = writeln!(
        t,
        "{}. **etcd for `{}`** on {}: install `etcd-server`, copy `etc/default/etcd`, start every member\n   within a minute of the others (`systemctl restart etcd`), check `etcdctl endpoint health --cluster`,\n   then set `ETCD_INITIAL_CLUSTER_STATE=existing` in each file. A majority ({} of {}) must stay up:\n   without it the leader demotes itself and nothing is promoted.",
        n(),
        c.name,
        members.join(", "),
        members.len() / 2 + 1,
        members.len()
    );
    let _ = writeln!(
        t,
        "{}. **Patroni for `{}`** on {}: install `postgresql-{}` and `patroni` (Debian) or `patroni[etcd3]`\n   (PyPI); stop and disable Debian's own cluster (`pg_ctlcluster {} {} stop`; Patroni owns the data\n   folder); copy `{}`; put `PATRONI_SUPERUSER_PASSWORD` and `PATRONI_REPLICATION_PASSWORD` (each set to its password) in\n   an EnvironmentFile of mode 0600 for `{unit}` (the same on every node). Start `{unit}` on\n   {} first, wait until `patronictl -c {} list` shows it as Leader, then start the others\n   (they clone it with pg_basebackup as `{REPLICATION_ROLE}`).",
        n(),
        c.name,
        nodes.join(", "),
        c.version_string(),
        c.version_string(),
        c.name,
        config_path(c).trim_start_matches('/'),
        nodes.first().map_or("", String::as_str),
        config_path(c),
    );
    let _ = writeln!(
        t,
        "{}. **Barman roles on the leader of `{}`**: run `barman-roles-{}.sql` once with psql as a superuser on\n   the node `patronictl list` shows as Leader, then set both passwords with `\\password {}` and\n   `\\password {}`. The pg_hba lines and the settings Barman needs are already in `{}`\n   (`bootstrap.dcs`; after the bootstrap change them with `patronictl edit-config`).",
        n(),
        c.name,
        c.name,
        l.barman_role,
        l.streaming_role,
        config_path(c).trim_start_matches('/'),
    );
}
