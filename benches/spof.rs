//! SPOF analysis on generated topologies of 1 000 to 10 000+ nodes: many
//! regions, metros, sites, racks and hosts, one cluster per site with a
//! standby, a Barman server and a passive node in the next site. Prints the
//! node count of each size so the scaling (time vs nodes) reads directly.

use std::fmt::Write;
use std::path::Path;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use drplan::analysis::spof;
use drplan::analysis::topology::Topology;
use drplan::model::{Scenario, load_str};

/// A scenario with `sites` sites of 4 racks × `hosts_per_rack` hosts.
fn synthetic(sites: usize, hosts_per_rack: usize) -> Scenario {
    let mut y = String::from(
        "name: synthetic\ndefaults:\n  host: { outage: { rate: \"0.1/yr\", repair: \"6 h\" } }\n  disk: { rate: \"AFR 1.5%\", repair: \"12 h\" }\n  site: { outage: { rate: \"AFR 31%\", repair: \"8 h\" }, destruction: { rate: \"1 per 200 years\", repair: \"14 days\" } }\n  link: { outage: { rate: \"2/yr\", repair: \"4 h\" } }\nregions:\n",
    );
    let regions = sites.div_ceil(20);
    for r in 0..regions {
        let _ = writeln!(y, "  - name: r{r}");
    }
    y.push_str("metros:\n");
    for m in 0..sites.div_ceil(4) {
        let _ = writeln!(y, "  - {{ name: m{m}, region: r{} }}", m / 5);
    }
    y.push_str("sites:\n");
    for s in 0..sites {
        let _ = writeln!(
            y,
            "  - name: s{s}\n    metro: m{}\n    racks: [{{name: s{s}r0}}, {{name: s{s}r1}}, {{name: s{s}r2}}, {{name: s{s}r3}}]",
            s / 4
        );
    }
    y.push_str("hosts:\n");
    for s in 0..sites {
        for r in 0..4 {
            for h in 0..hosts_per_rack {
                let role = match (r, h) {
                    (0, 0) => "primary",
                    (1, 0) => "standby",
                    (2, 0) => "barman",
                    (3, 0) => "barman-passive",
                    _ => "recovery",
                };
                let _ = writeln!(
                    y,
                    "  - {{ name: s{s}r{r}h{h}, site: s{s}, rack: s{s}r{r}, role: {role}, disks: {{ count: 2, size: \"4 TB\", raid: raid1 }} }}"
                );
            }
        }
    }
    y.push_str("links:\n");
    for s in 0..sites {
        let _ = writeln!(
            y,
            "  - {{ name: l{s}, between: [s{s}, s{}], bandwidth: \"10 Gbit/s\" }}",
            (s + 1) % sites
        );
    }
    y.push_str("clusters:\n");
    for s in 0..sites {
        let _ = writeln!(
            y,
            "  - {{ name: c{s}, version: 15, primary: s{s}r0h0, standbys: [{{ host: s{s}r1h0 }}], data_size: \"500 GiB\", wal_per_day: \"40 GiB\" }}"
        );
    }
    y.push_str("barman:\n");
    for s in 0..sites {
        let _ = writeln!(
            y,
            "  - {{ name: b{s}, host: s{s}r2h0, cluster: c{s}, schedule: \"daily at 01:00\", retention_policy: \"REDUNDANCY 2\" }}"
        );
    }
    y.push_str("passive:\n");
    for s in 0..sites {
        let _ = writeln!(
            y,
            "  - {{ name: p{s}, host: s{}r3h0, primary: b{s}, retention_policy: \"REDUNDANCY 2\" }}",
            (s + 1) % sites
        );
    }
    match load_str(&y, Path::new("synthetic.yaml")) {
        Ok(s) => s,
        Err(e) => panic!("the generated scenario is invalid: {:?}", e.problems()),
    }
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("spof");
    group.sample_size(10);
    for (sites, hosts) in [(25, 8), (50, 8), (125, 8), (250, 8)] {
        let s = synthetic(sites, hosts);
        let nodes = Topology::build(&s).graph.node_count();
        println!(
            "spof: {sites} sites → {nodes} topology nodes, {} clusters",
            s.clusters.len()
        );
        group.bench_with_input(
            BenchmarkId::new("topology + SPOFs + cut sets ≤ 2", nodes),
            &s,
            |b, s| {
                b.iter(|| spof::analyse(s, &Topology::build(s), 2));
            },
        );
        group.bench_with_input(
            BenchmarkId::new("topology + SPOFs + cut sets ≤ 3", nodes),
            &s,
            |b, s| {
                b.iter(|| spof::analyse(s, &Topology::build(s), 3));
            },
        );
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
