//! Readers in worker processes: the `riskflow` binary re-executes itself
//! (`riskflow read-worker FILE`) for each file, with a memory limit set in
//! the worker and a time limit watched by the parent, so a reader that
//! hangs, aborts or exhausts memory fails that one file (`source.unreadable`
//! with the reason) and the batch goes on. Modelled on Tika's forked parser.

use crate::ingest::{Reading, read_file};
use crate::read::{Format, Limits, ReadError};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// The `riskflow` executable to run as the worker.
    pub exe: PathBuf,
    /// Wall-clock time allowed for one file.
    pub timeout: Duration,
    /// Address-space limit of one worker, in bytes.
    pub memory_bytes: u64,
}

/// The environment variable that turns on the worker's test hooks (files
/// whose bytes start with `RISKFLOW-TEST-HANG`, `-ABORT` or `-OOM`).
pub const TEST_HOOKS_ENV: &str = "RISKFLOW_TEST_HOOKS";

/// Parent side: read `path` in a worker and wait for it within the limits.
pub fn read_in_worker(path: &Path, cfg: &WorkerConfig) -> Reading {
    let failed = |message: String| Reading {
        bytes: std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
        sha256: sha256_of(path),
        format: Format::Unknown,
        read: Err(ReadError::Unreadable(message)),
    };
    let child = Command::new(&cfg.exe)
        .arg("read-worker")
        .arg("--memory-mb")
        .arg((cfg.memory_bytes >> 20).to_string())
        .arg(path)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => return failed(format!("无法启动读取进程（{e}）")),
    };
    // Drain the pipes on threads so a large Document cannot block the worker.
    let mut stdout = child.stdout.take();
    let out = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(s) = stdout.as_mut() {
            let _ = s.read_to_end(&mut buf);
        }
        buf
    });
    let mut stderr = child.stderr.take();
    let err = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(s) = stderr.as_mut() {
            let _ = s.take(64 << 10).read_to_end(&mut buf);
        }
        buf
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if start.elapsed() >= cfg.timeout => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(_) => break None,
        }
    };
    let stdout = out.join().unwrap_or_default();
    let stderr = String::from_utf8_lossy(&err.join().unwrap_or_default()).into_owned();
    let Some(status) = status else {
        return failed(format!(
            "读取超时：超过 {} 秒仍未完成，已终止该文件的读取",
            cfg.timeout.as_secs()
        ));
    };
    if status.success() {
        if let Ok(r) = serde_json::from_slice::<Reading>(&stdout) {
            return r;
        }
        return failed("读取进程返回了无法解析的结果".into());
    }
    let oom = stderr.contains("memory allocation") || stderr.contains("out of memory");
    let reason = if oom {
        format!(
            "读取时内存超过上限（{} MB），已终止该文件的读取",
            cfg.memory_bytes >> 20
        )
    } else {
        use std::os::unix::process::ExitStatusExt;
        match status.signal() {
            Some(sig) => format!("读取进程异常终止（信号 {sig}）"),
            None => format!("读取进程异常退出（退出码 {}）", status.code().unwrap_or(-1)),
        }
    };
    failed(reason)
}

fn sha256_of(path: &Path) -> String {
    use sha2::{Digest, Sha256};
    std::fs::read(path)
        .map(|b| crate::rules::hex(&Sha256::digest(&b)))
        .unwrap_or_default()
}

/// Worker side: limit memory, read the file, print the Reading as JSON.
pub fn worker_main(path: &Path, memory_mb: u64) -> std::io::Result<()> {
    limit_memory(memory_mb << 20);
    // Every reader call runs under catch_unwind and a panic becomes the
    // file's error with its message; the default hook would also print it.
    // This process reads one file, so the hook is ours to set.
    std::panic::set_hook(Box::new(|_| {}));
    if std::env::var_os(TEST_HOOKS_ENV).is_some() {
        test_hook(path);
    }
    let reading = read_file(path, &Limits::default());
    let json = serde_json::to_vec(&reading).map_err(std::io::Error::other)?;
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(&json)?;
    out.flush()
}

fn limit_memory(bytes: u64) {
    if bytes == 0 {
        return;
    }
    let lim = libc::rlimit {
        rlim_cur: bytes as libc::rlim_t,
        rlim_max: bytes as libc::rlim_t,
    };
    // SAFETY: setrlimit only reads the struct we pass; failure leaves the
    // process unlimited, which the time limit still bounds.
    unsafe {
        libc::setrlimit(libc::RLIMIT_AS, &lim);
    }
}

/// Deliberate failures, for tests of the isolation itself.
fn test_hook(path: &Path) {
    let Ok(head) = std::fs::read(path).map(|b| b[..b.len().min(32)].to_vec()) else {
        return;
    };
    if head.starts_with(b"RISKFLOW-TEST-HANG") {
        loop {
            std::thread::sleep(Duration::from_secs(3600));
        }
    }
    if head.starts_with(b"RISKFLOW-TEST-ABORT") {
        std::process::abort();
    }
    if head.starts_with(b"RISKFLOW-TEST-OOM") {
        let mut hog: Vec<Vec<u8>> = Vec::new();
        loop {
            let mut v = vec![0u8; 64 << 20];
            v[0] = 1;
            hog.push(v);
        }
    }
}
