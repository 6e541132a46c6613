//! The worker pool through the binary: no orphans when the parent is
//! killed, no more workers than files, a failed file named by the hash its
//! worker reported, and a pool that goes on after a worker dies.
#![cfg(target_os = "linux")]

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn exe() -> &'static str {
    env!("CARGO_BIN_EXE_riskflow")
}

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("riskflow-pool-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Live (not zombie) processes whose parent is `pid`.
fn children(pid: u32) -> Vec<u32> {
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(p) = e.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        if let Some((ppid, state)) = stat(p)
            && ppid == pid
            && state != 'Z'
        {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// (parent pid, state) from /proc/PID/stat; None when the process is gone.
fn stat(pid: u32) -> Option<(u32, char)> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name is in parentheses and may hold spaces.
    let rest = &s[s.rfind(')')? + 2..];
    let mut f = rest.split(' ');
    let state = f.next()?.chars().next()?;
    let ppid = f.next()?.parse().ok()?;
    Some((ppid, state))
}

fn alive(pid: u32) -> bool {
    matches!(stat(pid), Some((_, s)) if s != 'Z')
}

fn wait_for(what: &str, secs: u64, mut f: impl FnMut() -> bool) {
    let end = Instant::now() + Duration::from_secs(secs);
    while !f() {
        assert!(Instant::now() < end, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn hanging_run(dir: &std::path::Path, files: usize, jobs: usize) -> Child {
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    for i in 0..files {
        std::fs::write(input.join(format!("h{i}.txt")), "RISKFLOW-TEST-HANG").unwrap();
    }
    Command::new(exe())
        .env(riskflow::isolate::TEST_HOOKS_ENV, "1")
        .args(["ingest", "--quiet", "--timeout", "600", "--format", "json"])
        .arg("--jobs")
        .arg(jobs.to_string())
        .arg("--out")
        .arg(dir.join("out"))
        .arg(&input)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn no_orphans_after(signal: i32, name: &str) {
    let dir = temp(name);
    let mut parent = hanging_run(&dir, 2, 2);
    let pid = parent.id();
    wait_for("two workers", 60, || children(pid).len() == 2);
    let workers = children(pid);
    // SAFETY: kill(2) on our own child's pid.
    assert_eq!(unsafe { libc::kill(pid as i32, signal) }, 0);
    parent.wait().unwrap();
    wait_for("the workers to die with their parent", 10, || {
        workers.iter().all(|&w| !alive(w))
    });
}

#[test]
fn workers_die_when_the_parent_is_killed() {
    no_orphans_after(libc::SIGKILL, "sigkill");
}

#[test]
fn workers_die_when_the_parent_is_terminated() {
    no_orphans_after(libc::SIGTERM, "sigterm");
}

#[test]
fn jobs_beyond_the_file_count_start_one_worker_per_file() {
    let dir = temp("jobs");
    let mut parent = hanging_run(&dir, 1, 5000);
    let pid = parent.id();
    wait_for("a worker", 60, || !children(pid).is_empty());
    // Give any further workers time to appear.
    std::thread::sleep(Duration::from_millis(500));
    let n = children(pid).len();
    parent.kill().unwrap();
    parent.wait().unwrap();
    assert_eq!(n, 1, "one file, one worker");
}

#[test]
fn failed_files_keep_their_hash_and_the_pool_goes_on() {
    use sha2::{Digest, Sha256};
    let dir = temp("hash");
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    // One job: the abort kills the only worker; the hang is then read by a
    // fresh one, and the chart after both by a third.
    let abort = b"RISKFLOW-TEST-ABORT and some bytes";
    std::fs::write(input.join("a.txt"), abort).unwrap();
    std::fs::write(input.join("b.txt"), "RISKFLOW-TEST-HANG").unwrap();
    std::fs::write(
        input.join("c.txt"),
        "干部任免廉政风险点监管工作流程图\n风险点1（B级）   不如实向党组报告推荐情况。\n",
    )
    .unwrap();
    let out = dir.join("out");
    let st = Command::new(exe())
        .env(riskflow::isolate::TEST_HOOKS_ENV, "1")
        .args(["ingest", "--quiet", "--jobs", "1", "--timeout", "2"])
        .args(["--format", "json", "--out"])
        .arg(&out)
        .arg(&input)
        .status()
        .unwrap();
    assert_eq!(st.code(), Some(1));
    let cat: Value =
        serde_json::from_slice(&std::fs::read(out.join("catalog.json")).unwrap()).unwrap();
    let s = &cat["sources"];
    let sha = riskflow::rules::hex(&Sha256::digest(abort));
    assert_eq!(s[0]["sha256"], sha.as_str());
    assert_eq!(s[0]["bytes"], abort.len());
    assert_eq!(s[0]["id"], format!("src-{}", &sha[..12]).as_str());
    assert!(
        s[0]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("异常终止（信号 6）")
    );
    assert!(
        s[1]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("读取超时")
    );
    assert_eq!(s[2]["status"], "ok");
    assert_eq!(s[2]["charts"].as_array().unwrap().len(), 1);
}
