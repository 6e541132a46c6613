//! Tests that need `../shared` (the corpus and the seed files, which live
//! beside the repository, not in it). Without it such a test cannot run,
//! and must not pass silently: it prints one `SKIPPED` line straight to
//! the terminal (past the test harness's capture, so it shows without
//! `--nocapture`), and under CI (env `CI` set) it fails instead.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};

/// `../shared/<sub>` as seen from the repository (or from a worktree one
/// level deeper), if it is there.
pub fn shared(sub: &str) -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    [root.join("../shared"), root.join("../../shared")]
        .into_iter()
        .map(|p| p.join(sub))
        .find(|p| p.is_dir())
}

/// Report that `what` is missing: a SKIPPED line naming the test, or, under
/// CI, a panic.
pub fn missing(what: &Path) {
    let test = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    if std::env::var_os("CI").is_some() {
        panic!(
            "{} is missing and CI is set: {test} cannot be skipped",
            what.display()
        );
    }
    // Straight to the process's stderr: `eprintln!` would be captured.
    let _ = writeln!(
        std::io::stderr().lock(),
        "SKIPPED {test}: {} not found (it lives beside the repository)",
        what.display()
    );
}

/// The folder `dir`, or None after [`missing`] when it is not there.
pub fn require(dir: &Path) -> Option<&Path> {
    if dir.is_dir() {
        Some(dir)
    } else {
        missing(dir);
        None
    }
}
