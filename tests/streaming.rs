//! The bounded-memory path of `riskflow ingest`: parts spilled to the output
//! folder and every writer streaming them give the same files as the
//! whole catalog in memory.

use riskflow::ingest::{self, Options};
use riskflow::write::{Formats, OutputDir};
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[path = "support/files.rs"]
mod files;
use files::listing;

fn scratch(name: &str) -> PathBuf {
    files::scratch("streaming", name)
}

/// Every fixture, spilled part by part (a budget of 0 bytes) and streamed
/// into every output, gives byte for byte the files written from the
/// in-memory catalog of the same inputs; catalog.json is also what
/// serialising that catalog whole gives. The spill files are gone after.
#[test]
fn spilled_parts_write_the_same_bytes_as_the_catalog_in_memory() {
    let opts = Options::default();
    let files = ingest::discover(&[root().join("fixtures")]).unwrap();
    assert!(files.len() > 20, "{} fixtures", files.len());

    let streamed = scratch("spilled");
    let out = OutputDir::open(&streamed).unwrap();
    let store = ingest::ingest_store(&files, &opts, &|_| {}, Some(out.path()), 0)
        .unwrap()
        .unwrap();
    assert!(store.spilled(), "a budget of 0 spills every part");
    assert!(
        listing(&streamed).iter().any(|n| n.contains(".spill.tmp-")),
        "the spill is in the output folder: {:?}",
        listing(&streamed)
    );
    let report = out.write_parts(&store, Formats::ALL);
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    drop(store);
    drop(out);

    let cat = riskflow::ingest(&[root().join("fixtures")], &opts).unwrap();
    let whole = scratch("whole");
    let out = OutputDir::open(&whole).unwrap();
    let report = out.write(&cat, Formats::ALL);
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    drop(out);

    let names = listing(&whole);
    assert_eq!(listing(&streamed), names, "same files, no spill left");
    assert_eq!(names.len(), 14, "13 outputs and the lock: {names:?}");
    for name in &names {
        assert_eq!(
            std::fs::read(streamed.join(name)).unwrap(),
            std::fs::read(whole.join(name)).unwrap(),
            "{name}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(streamed.join("catalog.json")).unwrap(),
        riskflow::write::json::to_string(&cat)
    );
}

/// Results reach the assembler in path order whatever the threads: with
/// more threads than the window's slack, the order is still the files'.
#[test]
fn results_arrive_in_path_order() {
    let files = ingest::discover(&[root().join("fixtures")]).unwrap();
    for jobs in [1, 3, 8] {
        let opts = Options {
            jobs: Some(jobs),
            ..Options::default()
        };
        let mut seen = Vec::new();
        ingest::read_each(&files, &opts, &|_| {}, &mut |r| seen.push(r.path)).unwrap();
        let expected: Vec<String> = files.iter().map(|(_, s)| s.clone()).collect();
        assert_eq!(seen, expected, "jobs {jobs}");
    }
}
