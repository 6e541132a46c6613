//! Regressions for the defects an outside attack found (issue 14), each
//! through the `riskflow` binary as a user runs it. Every test here failed
//! on the main branch the issue was filed against.

use serde_json::Value;
use std::collections::BTreeMap;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The binary under test; `RISKFLOW_TEST_EXE` runs these tests against
/// another build (to show that they fail on an older one).
fn exe() -> String {
    std::env::var("RISKFLOW_TEST_EXE").unwrap_or_else(|_| env!("CARGO_BIN_EXE_riskflow").into())
}

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("riskflow-robust-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn catalog(out: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(out.join("catalog.json")).unwrap()).unwrap()
}

/// Wait for `child` at most `limit`; a child still running then is killed
/// and the test fails (the defect was a hang).
fn wait_within(mut child: Child, limit: Duration, what: &str) -> Output {
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn ingest(args: &[&std::ffi::OsStr]) -> Command {
    let mut c = Command::new(exe());
    c.arg("ingest")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

/// (path, status, error code) of every source.
fn statuses(cat: &Value) -> Vec<(String, String, String)> {
    cat["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["path"].as_str().unwrap().to_string(),
                s["status"].as_str().unwrap().to_string(),
                s["error"]["code"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn by_code(cat: &Value) -> BTreeMap<String, u64> {
    cat["summary"]["findings_by_code"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
        .collect()
}

/// The per-code bound of rules/limits.toml.
fn per_code() -> u64 {
    riskflow::rules::Rules::builtin().limits.findings.per_code as u64
}

/// Defect 1: a FIFO named on the command line hung the run for ever, and
/// a device grew the parent without limit. Only regular files are read;
/// anything else gets a status at once.
#[test]
fn d1_fifo_and_device_get_a_status_at_once() {
    let dir = temp("fifo");
    let fifo = dir.join("pipe.docx");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let out = dir.join("out");
    let child = ingest(&[
        fifo.as_os_str(),
        "/dev/urandom".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
        "--timeout".as_ref(),
        "600".as_ref(),
        "--quiet".as_ref(),
    ])
    .spawn()
    .unwrap();
    let run = wait_within(
        child,
        Duration::from_secs(120),
        "ingest of a FIFO and /dev/urandom",
    );
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let cat = catalog(&out);
    let mut got = statuses(&cat);
    got.sort();
    assert_eq!(
        got,
        vec![
            (
                "/dev/urandom".into(),
                "skipped".into(),
                "source.unsupported".into()
            ),
            (
                fifo.to_str().unwrap().into(),
                "skipped".into(),
                "source.unsupported".into()
            ),
        ]
    );
    let sources = cat["sources"].as_array().unwrap();
    assert!(sources.iter().all(|s| s["bytes"] == 0));
    assert!(
        sources
            .iter()
            .any(|s| s["error"]["message"].as_str().unwrap().contains("命名管道"))
    );
}

/// Defect 2 (structure, not time): 100,000 `N.` lines and a 20,000-line
/// `风险点N（B级）` list finish with every output written and the findings
/// bounded. Wall time is measured in the README, not here.
#[test]
fn d2_long_lists_finish_with_bounded_findings() {
    let dir = temp("long");
    let a = dir.join("numbers.txt");
    let b = dir.join("list.txt");
    let mut text = String::new();
    for i in 1..=100_000 {
        text.push_str(&format!("{i}.\n"));
    }
    std::fs::write(&a, text).unwrap();
    let mut text = String::from("某某局廉政风险防控图\n");
    for i in 1..=20_000 {
        text.push_str(&format!("风险点{i}（B级） 某某环节未按规定办理\n"));
    }
    std::fs::write(&b, text).unwrap();
    let out = dir.join("out");
    let run = ingest(&[
        a.as_os_str(),
        b.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--in-process".as_ref(),
        "--quiet".as_ref(),
    ])
    .output()
    .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    for f in [
        "catalog.json",
        "catalog.xlsx",
        "catalog.sqlite",
        "report.html",
        "findings.csv",
    ] {
        assert!(out.join(f).is_file(), "{f} not written");
    }
    let cat = catalog(&out);
    // One chart holds at most 2,000 steps and 2,000 risk points
    // (rules/limits.toml); what was cut is said in one finding each.
    assert_eq!(cat["summary"]["risk_points"], 2_000);
    assert_eq!(cat["summary"]["steps"], 2_000);
    let cut: Vec<&str> = cat["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["message"].as_str())
        .filter(|m| m.starts_with("图表过大"))
        .collect();
    assert_eq!(cut.len(), 2, "{cut:?}");
    assert!(
        cut.iter().any(|m| m.contains("共 100000 个流程环节")),
        "{cut:?}"
    );
    assert!(
        cut.iter().any(|m| m.contains("18000 个风险点未收录")),
        "{cut:?}"
    );
    let codes = by_code(&cat);
    assert!(codes.values().all(|n| *n <= 2 * per_code()), "{codes:?}");
    assert_eq!(codes.get("source.too_many_findings"), Some(&2), "{codes:?}");
    // The bound is per code per source: no source lists more than N of one code.
    let mut per: BTreeMap<(String, String), u64> = BTreeMap::new();
    for f in cat["findings"].as_array().unwrap() {
        *per.entry((f["source"].to_string(), f["code"].to_string()))
            .or_default() += 1;
    }
    assert!(per.values().all(|n| *n <= per_code()), "{per:?}");
    // What was not listed is counted.
    let too_many: Vec<&Value> = cat["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "source.too_many_findings")
        .collect();
    assert!(
        too_many.iter().any(|f| f["evidence"]
            .as_str()
            .unwrap()
            .contains("step.no_risk_point 另有 1800 条")),
        "{too_many:?}"
    );
}

/// Defect 3: one output failing stopped the rest. Here catalog.xlsx cannot
/// be put in place (a folder holds its name): the others are written, the
/// failure is named, and the exit code is 3.
#[test]
fn d3_a_failing_output_leaves_the_others_written() {
    let dir = temp("onefails");
    let input = dir.join("a.txt");
    std::fs::write(
        &input,
        "干部任免廉政风险点监管工作流程图\n风险点1（B级）   不如实向党组报告推荐情况。\n",
    )
    .unwrap();
    let out = dir.join("out");
    std::fs::create_dir_all(out.join("catalog.xlsx").join("blocker")).unwrap();
    let run = ingest(&[
        input.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--in-process".as_ref(),
    ])
    .output()
    .unwrap();
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(3), "{err}");
    assert!(err.contains("output xlsx not written"), "{err}");
    for f in [
        "catalog.json",
        "catalog.sqlite",
        "report.html",
        "sources.csv",
        "findings.csv",
    ] {
        assert!(out.join(f).is_file(), "{f} not written");
    }
    assert_eq!(catalog(&out)["summary"]["sources"], 1);
    // No temporary file is left behind.
    let left: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// Defect 4: the output set is whole. Outputs not asked for are removed
/// (an old report.html described other sources), a dead run's temporary
/// files are removed, and a second run into a folder in use is refused.
#[test]
fn d4_the_output_folder_holds_one_run() {
    let dir = temp("whole");
    let input = dir.join("a.txt");
    std::fs::write(
        &input,
        "干部任免廉政风险点监管工作流程图\n风险点1（B级）   不如实向党组报告推荐情况。\n",
    )
    .unwrap();
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("report.html"), "<p>an old run</p>").unwrap();
    std::fs::write(out.join("catalog.xlsx"), "old").unwrap();
    // A temporary file of a run that died (no process has this pid).
    let stale = out.join(".catalog.xlsx.tmp-2147483646");
    std::fs::write(&stale, "half").unwrap();
    let mine = out.join("notes.txt");
    std::fs::write(&mine, "the user's own file").unwrap();
    let run = ingest(&[
        input.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
        "--in-process".as_ref(),
    ])
    .output()
    .unwrap();
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{err}");
    assert!(out.join("catalog.json").is_file());
    assert!(
        !out.join("report.html").exists(),
        "an old report.html is left"
    );
    assert!(
        !out.join("catalog.xlsx").exists(),
        "an old catalog.xlsx is left"
    );
    assert!(
        err.contains("report.html") && err.contains("removed"),
        "{err}"
    );
    assert!(!stale.exists(), "a dead run's temporary file is left");
    assert!(mine.is_file(), "a file that is no output was removed");

    // A folder in use by another run (it holds the lock) is refused
    // before anything is read: exit 3, nothing replaced.
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(out.join(".riskflow.lock"))
        .unwrap();
    use std::os::fd::AsRawFd;
    assert_eq!(
        unsafe { libc::flock(lock.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) },
        0
    );
    let before = std::fs::read(out.join("catalog.json")).unwrap();
    let run = ingest(&[
        input.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--format".as_ref(),
        "json,csv".as_ref(),
        "--in-process".as_ref(),
    ])
    .output()
    .unwrap();
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(3), "{err}");
    assert!(err.contains("in use by another riskflow run"), "{err}");
    assert_eq!(std::fs::read(out.join("catalog.json")).unwrap(), before);
    assert!(!out.join("sources.csv").exists());
    drop(lock);
}

/// Defect 5: files whose names are GBK bytes (from Windows archives) were
/// merged on their lossy display name. Each is its own source, its path
/// showing the bytes escaped.
#[test]
fn d5_gbk_named_files_each_get_a_source() {
    use std::ffi::OsStr;
    let dir = temp("gbk");
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    // 风险.txt, 流程.txt, 审批.txt in GBK, and 风险 in UTF-8: the first three
    // all show as "����.txt" when decoded lossily.
    let names: [&[u8]; 4] = [
        b"\xb7\xe7\xcf\xd5.txt",
        b"\xc1\xf7\xb3\xcc.txt",
        b"\xc9\xf3\xc5\xfa.txt",
        "风险.txt".as_bytes(),
    ];
    for (i, n) in names.iter().enumerate() {
        std::fs::write(
            input.join(OsStr::from_bytes(n)),
            format!("第{i}个文件的内容，各不相同。\n"),
        )
        .unwrap();
    }
    for order in [[0usize, 1], [1, 0]] {
        let out = dir.join(format!("out{}", order[0]));
        // Each file named on the command line, in two orders, and the folder.
        let mut args: Vec<PathBuf> = order
            .iter()
            .map(|&i| input.join(OsStr::from_bytes(names[i])))
            .collect();
        args.push(input.clone());
        let run = Command::new(exe())
            .arg("ingest")
            .args(&args)
            .args(["--in-process", "--quiet", "--format", "json", "--out"])
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(
            run.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let paths: Vec<String> = statuses(&catalog(&out)).into_iter().map(|s| s.0).collect();
        let shown = |n: &str| format!("{}/{n}", input.display());
        assert_eq!(
            paths,
            vec![
                shown("\\xB7\\xE7\\xCF\\xD5.txt"),
                shown("\\xC1\\xF7\\xB3\\xCC.txt"),
                shown("\\xC9\\xF3\\xC5\\xFA.txt"),
                shown("风险.txt"),
            ]
        );
    }
}

/// Defect 6: a folder walk dropped symlinked files and folders, and
/// anything it could not examine, without a status. Links are followed, a
/// link loop and a dangling link are sources that fail with the reason,
/// and a path past the system's limit too.
#[test]
fn d6_links_loops_and_long_paths_get_a_status() {
    let dir = temp("links");
    let real = dir.join("real");
    let top = dir.join("top");
    std::fs::create_dir_all(&real).unwrap();
    std::fs::create_dir_all(&top).unwrap();
    std::fs::write(real.join("a.txt"), "甲文件的内容。\n").unwrap();
    std::os::unix::fs::symlink(real.join("a.txt"), top.join("link_file.txt")).unwrap();
    std::os::unix::fs::symlink(&real, top.join("link_dir")).unwrap();
    std::os::unix::fs::symlink(&top, top.join("loop")).unwrap();
    std::os::unix::fs::symlink(dir.join("nowhere.docx"), top.join("dangling.docx")).unwrap();
    // A folder nested past PATH_MAX (4096 bytes), made one step at a time
    // relative to the last (a path that long cannot be named whole).
    make_deep(&top.join("deep"), 20);
    let out = dir.join("out");
    let run = ingest(&[
        top.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--in-process".as_ref(),
        "--quiet".as_ref(),
    ])
    .output()
    .unwrap();
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "some sources failed: {err}");
    let cat = catalog(&out);
    let got: Vec<(String, String, String)> = statuses(&cat)
        .into_iter()
        .map(|(p, s, c)| (p.replacen(&top.display().to_string(), "top", 1), s, c))
        .collect();
    let deep_reported = got
        .iter()
        .filter(|(p, s, _)| p.starts_with("top/deep/") && s == "failed")
        .count();
    assert_eq!(deep_reported, 1, "{got:?}");
    let rest: Vec<_> = got
        .iter()
        .filter(|(p, _, _)| !p.starts_with("top/deep/"))
        .cloned()
        .collect();
    let t = |p: &str, s: &str, c: &str| (p.to_string(), s.to_string(), c.to_string());
    assert_eq!(
        rest,
        vec![
            t("top/dangling.docx", "failed", "source.unreadable"),
            t("top/link_dir/a.txt", "ok", ""),
            t("top/link_file.txt", "ok", ""),
            t("top/loop", "failed", "source.unreadable"),
        ]
    );
    let messages: Vec<&str> = cat["sources"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["error"]["message"].as_str())
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("符号链接循环")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("指向的文件不存在")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("路径过长")),
        "{messages:?}"
    );
}

/// `dir`, and `levels` folders of 250 characters below it, the last
/// holding `far.txt`.
fn make_deep(dir: &Path, levels: usize) {
    use std::ffi::CString;
    std::fs::create_dir_all(dir).unwrap();
    let name = CString::new("d".repeat(250)).unwrap();
    let c = |p: &Path| CString::new(p.as_os_str().as_bytes()).unwrap();
    // SAFETY: plain system calls on descriptors owned here, checked.
    unsafe {
        let mut fd = libc::open(c(dir).as_ptr(), libc::O_DIRECTORY | libc::O_RDONLY);
        assert!(fd >= 0);
        for _ in 0..levels {
            assert_eq!(libc::mkdirat(fd, name.as_ptr(), 0o755), 0);
            let next = libc::openat(fd, name.as_ptr(), libc::O_DIRECTORY | libc::O_RDONLY);
            assert!(next >= 0);
            libc::close(fd);
            fd = next;
        }
        let file = CString::new("far.txt").unwrap();
        let f = libc::openat(fd, file.as_ptr(), libc::O_CREAT | libc::O_WRONLY, 0o644);
        assert!(f >= 0);
        let text = "乙。\n".as_bytes();
        assert_eq!(
            libc::write(f, text.as_ptr().cast(), text.len()),
            text.len() as isize
        );
        libc::close(f);
        libc::close(fd);
    }
}

/// Defect 6: an unreadable sub-folder aborted the whole batch (exit 2, no
/// outputs). It is a failed source now. Root reads every folder, so this
/// needs an ordinary user.
#[test]
fn d6_an_unreadable_folder_is_a_failed_source() {
    if unsafe { libc::geteuid() } == 0 {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED d6_an_unreadable_folder_is_a_failed_source: running as root, who can read any folder"
        );
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let dir = temp("unreadable");
    let input = dir.join("in");
    std::fs::create_dir_all(input.join("closed")).unwrap();
    std::fs::write(input.join("a.txt"), "甲。\n").unwrap();
    std::fs::set_permissions(input.join("closed"), std::fs::Permissions::from_mode(0o000)).unwrap();
    let out = dir.join("out");
    let run = ingest(&[
        input.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--in-process".as_ref(),
    ])
    .output()
    .unwrap();
    std::fs::set_permissions(input.join("closed"), std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(run.status.code(), Some(1));
    let got = statuses(&catalog(&out));
    assert_eq!(got.len(), 2);
    assert_eq!(got[1].1, "failed");
    assert!(got[1].0.ends_with("in/closed"));
}

/// Defect 7: after SIGKILL to the parent, a worker kept running. Workers
/// must die with the parent.
#[test]
fn d7_workers_die_with_the_parent() {
    let dir = temp("orphans");
    let hang = dir.join("hang.txt");
    std::fs::write(&hang, "RISKFLOW-TEST-HANG").unwrap();
    let out = dir.join("out");
    let parent = Command::new(exe())
        .args(["ingest", "--quiet", "--timeout", "600", "--out"])
        .arg(&out)
        .arg(&hang)
        .env(riskflow::isolate::TEST_HOOKS_ENV, "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // The pool's workers take their paths on stdin: find them as the
    // parent's `read-worker` children.
    let parent_pid = parent.id();
    let workers = || -> Vec<u32> {
        std::fs::read_dir("/proc")
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
            .filter(|pid| {
                let cmd = std::fs::read(format!("/proc/{pid}/cmdline"))
                    .is_ok_and(|c| String::from_utf8_lossy(&c).contains("read-worker"));
                // /proc/PID/stat: `pid (comm) state ppid …`
                let ppid = std::fs::read_to_string(format!("/proc/{pid}/stat"))
                    .ok()
                    .and_then(|st| {
                        let after = &st[st.rfind(')')? + 2..];
                        after.split_whitespace().nth(1)?.parse::<u32>().ok()
                    });
                cmd && ppid == Some(parent_pid)
            })
            .collect()
    };
    // Alive and not a zombie.
    let alive = |pid: u32| {
        std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|st| {
            st.rfind(')')
                .and_then(|i| st[i + 2..].chars().next())
                .is_some_and(|state| state != 'Z' && state != 'X')
        })
    };
    let start = Instant::now();
    let mine = loop {
        let w = workers();
        if !w.is_empty() {
            break w;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no worker started"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut parent = parent;
    parent.kill().unwrap();
    parent.wait().unwrap();
    let start = Instant::now();
    while mine.iter().any(|&pid| alive(pid)) {
        if start.elapsed() > Duration::from_secs(10) {
            for &pid in &mine {
                unsafe { libc::kill(pid as i32, libc::SIGKILL) };
            }
            panic!("a worker outlived its parent by 10 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Defect 8: what one source can produce is capped. A .docx of 20,000
/// auto-numbered paragraphs (a few KB zipped) gives bounded findings and a
/// catalog.json that stays small.
#[test]
fn d8_numbering_amplification_is_capped() {
    use std::io::Write;
    let dir = temp("amplify");
    let docx = dir.join("amplified.docx");
    let para = r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>审核</w:t></w:r></w:p>"#;
    let body = para.repeat(20_000);
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    let numbering = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#;
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.to_string(),
        ),
        (
            "word/_rels/document.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/></Relationships>"#.to_string(),
        ),
        ("word/document.xml", document),
        ("word/numbering.xml", numbering.to_string()),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in parts {
        zip.start_file(name, opts).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    let bytes = zip.finish().unwrap().into_inner();
    assert!(bytes.len() < 64 << 10, "{} bytes", bytes.len());
    std::fs::write(&docx, &bytes).unwrap();
    let out = dir.join("out");
    let run = ingest(&[
        docx.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
        "--quiet".as_ref(),
    ])
    .output()
    .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let cat = catalog(&out);
    assert_eq!(cat["sources"][0]["status"], "ok");
    let codes = by_code(&cat);
    assert!(codes.values().all(|n| *n <= per_code()), "{codes:?}");
    assert_eq!(codes.get("source.too_many_findings"), Some(&1), "{codes:?}");
}

/// Defect 9: CSV cells that start like a formula went raw into files meant
/// for Excel and WPS. They get a leading `'` (OWASP).
#[test]
fn d9_csv_cells_never_start_a_formula() {
    let dir = temp("formula");
    std::fs::write(
        dir.join("=HYPERLINK(1).txt"),
        "=HYPERLINK(\"http://example.com\",\"点击\")\n-资源格式:DOCX\n+86 电话\n@SUM(A1)\n",
    )
    .unwrap();
    let run = Command::new(exe())
        .current_dir(&dir)
        .args([
            "ingest",
            "=HYPERLINK(1).txt",
            "--out",
            "out",
            "--format",
            "csv,json",
            "--in-process",
            "--quiet",
        ])
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let mut cells = 0;
    let mut quoted = 0;
    for table in riskflow::write::CSV_TABLES {
        let bytes = std::fs::read(dir.join("out").join(format!("{table}.csv"))).unwrap();
        let mut r = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(&bytes[3..]);
        for rec in r.records() {
            for cell in rec.unwrap().iter() {
                cells += 1;
                assert!(
                    !(cell.starts_with(['=', '+', '@', '\t', '\r'])
                        || cell.starts_with('-') && cell.parse::<f64>().is_err()),
                    "{table}.csv: {cell:?}"
                );
                quoted += usize::from(cell.starts_with("'=") || cell.starts_with("'-"));
            }
        }
    }
    assert!(
        cells > 0 && quoted >= 2,
        "{cells} cells, {quoted} neutralised"
    );
    // The JSON keeps the text as written.
    let cat = catalog(&dir.join("out"));
    assert_eq!(cat["sources"][0]["path"], "=HYPERLINK(1).txt");
}

/// Defect 10: the small ones.
#[test]
fn d10_rules_folder_must_exist_and_hold_only_rule_files() {
    let dir = temp("rules");
    let input = dir.join("a.txt");
    std::fs::write(&input, "甲。\n").unwrap();
    let run = |rules: &Path| {
        ingest(&[
            input.as_os_str(),
            "--rules".as_ref(),
            rules.as_os_str(),
            "--out".as_ref(),
            dir.join("out").as_os_str(),
        ])
        .output()
        .unwrap()
    };
    let missing = run(&dir.join("no-such-rules"));
    assert_eq!(missing.status.code(), Some(2));
    let rules = dir.join("rules");
    std::fs::create_dir_all(&rules).unwrap();
    std::fs::write(rules.join("grade.toml"), "").unwrap();
    let misnamed = run(&rules);
    assert_eq!(misnamed.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&misnamed.stderr).contains("grade.toml: not a rule file"));
    assert!(
        !dir.join("out").exists(),
        "nothing is written after bad rules"
    );
}

#[test]
fn d10_a_closed_pipe_ends_quietly() {
    let mut child = Command::new(exe())
        // The exit status should say only how the pipe was handled, not
        // whether the fixtures have error findings.
        .args(["check", "--in-process", "--quiet", "--fail-on", "never"])
        .arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Like `| head -0`: the reader goes away before the output comes.
    drop(child.stdout.take());
    let run = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_ne!(run.status.code(), Some(101), "{err}");
    assert_eq!(run.status.code(), Some(0), "{err}");
}

#[test]
fn d10_an_unwritable_out_is_found_before_reading() {
    let dir = temp("unwritable");
    // A file where the output folder should be; and an input that would
    // take the whole --timeout to read.
    let out = dir.join("out");
    std::fs::write(&out, "a file").unwrap();
    let hang = dir.join("hang.txt");
    std::fs::write(&hang, "RISKFLOW-TEST-HANG").unwrap();
    let child = ingest(&[
        hang.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--timeout".as_ref(),
        "600".as_ref(),
    ])
    .env(riskflow::isolate::TEST_HOOKS_ENV, "1")
    .spawn()
    .unwrap();
    let run = wait_within(
        child,
        Duration::from_secs(120),
        "ingest into an unwritable --out",
    );
    assert_eq!(
        run.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

#[test]
fn d10_empty_format_and_zero_memory_are_usage_errors() {
    let dir = temp("usage");
    let input = dir.join("a.txt");
    std::fs::write(&input, "甲。\n").unwrap();
    let out = dir.join("out");
    for args in [["--format", ""], ["--memory", "0"]] {
        let run = ingest(&[
            input.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
            args[0].as_ref(),
            args[1].as_ref(),
        ])
        .output()
        .unwrap();
        assert_eq!(run.status.code(), Some(2), "{args:?}");
    }
    assert!(!out.exists());
    // --help lists the values of every enumerated option.
    let help = Command::new(exe())
        .args(["check", "--help"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&help.stdout).contains("possible values: info, warning, error")
    );
    let help = Command::new(exe())
        .args(["ingest", "--help"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&help.stdout).contains("json, csv, xlsx, sqlite, html"));
}

#[test]
fn d10_html5_named_entities_are_decoded() {
    let dir = temp("entities");
    let page = dir.join("page.html");
    std::fs::write(
        &page,
        "<html><head><meta charset=\"utf-8\"></head><body><p>职权名称：面积10m&sup2;以下&frac12;审批&Omega;</p></body></html>",
    )
    .unwrap();
    let out = dir.join("out");
    let run = ingest(&[
        page.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
        "--in-process".as_ref(),
    ])
    .output()
    .unwrap();
    assert!(run.status.success());
    let json = std::fs::read_to_string(out.join("catalog.json")).unwrap();
    assert!(json.contains("10m²以下½审批Ω"), "{json}");
    assert!(!json.contains("&sup2;"));
}
