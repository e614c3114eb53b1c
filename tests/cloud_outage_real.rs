//! The exported cloud WAL hook never stops local archiving (issue 15): the
//! files exported for tests/fixtures/export/lab.yaml are deployed on
//! PostgreSQL 15, Barman from PyPI and the moto S3 emulator by
//! tests/realenv/cloud-outage.sh, which freezes the emulator, checks that
//! new segments still reach Barman's `wals/` within a minute and wait in the
//! queue, then resumes it and checks that the exported catch-up leaves no
//! gap in the bucket. A missing component fails the test; it never skips.

mod common;

#[test]
fn a_bucket_outage_never_stops_local_wal_archiving() {
    let stdout = common::realenv::run_on_exported_lab("tests/realenv/cloud-outage.sh");
    assert!(
        stdout.contains("STAGE cloud-outage: PASS"),
        "stage cloud-outage did not pass:\n{stdout}"
    );
    eprintln!("{stdout}");
}
