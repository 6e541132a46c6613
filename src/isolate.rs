//! Readers in worker processes. The `riskflow` binary re-executes itself
//! (`riskflow read-worker`) once per job; each worker reads and lays out
//! many files, one at a time, with a memory limit set in the worker and a
//! time limit per file watched by the parent. A reader (or layout) that
//! hangs, aborts or exhausts memory fails that one file
//! (`source.unreadable` with the reason) and its worker is replaced; the
//! batch goes on. Workers are recycled after [`RECYCLE_AFTER`] files (a
//! long-lived allocator only grows) and die with the parent
//! (`PR_SET_PDEATHSIG`), so no worker outlives a killed run.
//!
//! The worker lays the file out too and sends the chart drafts, not the
//! Document (~10× its drafts): the parent's threads then only wait, one
//! job per core is enough, and a layout that hangs or blows up is caught
//! like a reader. 400 Word files on 2 cores, paired against the parent
//! laying out with two threads per core: `--format json` 0.92× the time,
//! all outputs 0.88×; isolation now costs ~3 % against `--in-process`
//! (was ~15 %).
//!
//! Protocol, over the worker's stdin and stdout:
//! - parent → worker, once: `u32` little-endian length, then the rule
//!   files' names and texts (postcard), which the worker compiles;
//! - parent → worker, per file: `u32` little-endian length, then the path's
//!   bytes;
//! - worker → parent, per file: a `H` frame (`u64` size, SHA-256 hex) as soon
//!   as the bytes are read, then an `R` frame (the [`FileResult`] in
//!   postcard, a compact binary serde format: as JSON, writing and parsing
//!   it took ~5 % of a run's CPU). Every frame is a tag byte, a `u64`
//!   little-endian length and the payload.
//!
//! The hash frame comes first so that when the reader then fails, the
//! parent names the source by its content without ever reading the file
//! itself (the parent reads no input bytes a worker could not).

use crate::ingest::{FileResult, MAX_FILE_BYTES, Reading, lay_out, read_loaded};
use crate::read::{Format, Limits, ReadError};
use crate::rules::Rules;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
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

/// Files one worker reads before it is replaced by a fresh one.
pub const RECYCLE_AFTER: usize = 256;

/// Most of a worker's stderr kept for the finding (its tail).
const STDERR_KEEP: usize = 16 << 10;

/// One frame from a worker.
enum Frame {
    Hashed { bytes: u64, sha256: String },
    Reading(Vec<u8>),
}

/// A running worker process and the threads draining its pipes.
struct Worker {
    child: Child,
    stdin: Option<BufWriter<ChildStdin>>,
    frames: Receiver<Frame>,
    stdout_thread: Option<JoinHandle<()>>,
    stderr_thread: Option<JoinHandle<()>>,
    stderr: Arc<Mutex<Vec<u8>>>,
    files: usize,
}

impl Worker {
    /// Start a worker and give it the rules (`rules`: [`rules_message`]).
    fn spawn(cfg: &WorkerConfig, rules: &[u8]) -> std::io::Result<Worker> {
        let mut cmd = Command::new(&cfg.exe);
        cmd.arg("read-worker")
            .arg("--memory-mb")
            .arg((cfg.memory_bytes >> 20).to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        die_with_parent(&mut cmd);
        let mut child = cmd.spawn()?;
        let mut stdin = child.stdin.take().map(BufWriter::new);
        if let Some(stdin) = stdin.as_mut() {
            // A worker that cannot take them dies: its stderr says why when
            // the first file is asked for.
            let _ = stdin.write_all(rules).and_then(|()| stdin.flush());
        }
        let (tx, frames) = channel();
        let mut stdout = child.stdout.take().map(BufReader::new);
        let stdout_thread = std::thread::spawn(move || {
            let Some(out) = stdout.as_mut() else { return };
            while let Some(frame) = read_frame(out) {
                if tx.send(frame).is_err() {
                    return;
                }
            }
        });
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&stderr);
        let mut err = child.stderr.take();
        let stderr_thread = std::thread::spawn(move || {
            let Some(err) = err.as_mut() else { return };
            let mut buf = [0u8; 4096];
            while let Ok(n) = err.read(&mut buf) {
                if n == 0 {
                    return;
                }
                let mut kept = sink.lock().unwrap_or_else(|p| p.into_inner());
                kept.extend_from_slice(&buf[..n]);
                if kept.len() > STDERR_KEEP {
                    let cut = kept.len() - STDERR_KEEP;
                    kept.drain(..cut);
                }
            }
        });
        Ok(Worker {
            child,
            stdin,
            frames,
            stdout_thread: Some(stdout_thread),
            stderr_thread: Some(stderr_thread),
            stderr,
            files: 0,
        })
    }

    /// Ask for one file. False when the worker can no longer take requests.
    fn send(&mut self, path: &Path) -> bool {
        use std::os::unix::ffi::OsStrExt;
        let bytes = path.as_os_str().as_bytes();
        let Some(stdin) = self.stdin.as_mut() else {
            return false;
        };
        self.stderr
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
        write_message(stdin, bytes)
            .and_then(|()| stdin.flush())
            .is_ok()
    }

    /// Stop the worker (it may be hung) and wait for it and its threads.
    fn kill(mut self) -> (Option<ExitStatus>, String) {
        let _ = self.child.kill();
        self.finish()
    }

    /// Wait for a worker that has exited or been killed.
    fn finish(&mut self) -> (Option<ExitStatus>, String) {
        self.stdin = None;
        let status = self.child.wait().ok();
        if let Some(t) = self.stdout_thread.take() {
            let _ = t.join();
        }
        if let Some(t) = self.stderr_thread.take() {
            let _ = t.join();
        }
        let err = self.stderr.lock().unwrap_or_else(|p| p.into_inner());
        (status, String::from_utf8_lossy(&err).into_owned())
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        if self.stdout_thread.is_some() {
            // Idle or abandoned: closing stdin ends an idle worker, the
            // kill ends any other.
            let _ = self.child.kill();
            self.finish();
        }
    }
}

/// Make the kernel kill the worker when the thread that started it (and so
/// the parent process) dies, by any signal, and refuse to start when the
/// parent is already gone.
fn die_with_parent(cmd: &mut Command) {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: getpid before fork; prctl, getppid and _exit are
        // async-signal-safe, the only calls allowed between fork and exec.
        let parent = unsafe { libc::getpid() };
        unsafe {
            cmd.pre_exec(move || {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                if libc::getppid() != parent {
                    libc::_exit(1);
                }
                Ok(())
            });
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = cmd;
}

fn read_frame(r: &mut impl Read) -> Option<Frame> {
    let mut head = [0u8; 9];
    r.read_exact(&mut head).ok()?;
    let len = u64::from_le_bytes(head[1..].try_into().ok()?);
    // Room for a usual frame up front (growing from nothing copied it
    // several times); past 1 MiB grown as it arrives, so a wrong length
    // cannot make us allocate it.
    let mut payload = Vec::with_capacity(len.min(1 << 20) as usize);
    r.take(len).read_to_end(&mut payload).ok()?;
    if payload.len() as u64 != len {
        return None;
    }
    match head[0] {
        b'H' if payload.len() >= 8 => Some(Frame::Hashed {
            bytes: u64::from_le_bytes(payload[..8].try_into().ok()?),
            sha256: String::from_utf8(payload[8..].to_vec()).ok()?,
        }),
        b'R' => Some(Frame::Reading(payload)),
        _ => None,
    }
}

/// One parent → worker message: a `u32` little-endian length, then the
/// bytes (the rules once, then a path per file).
fn write_message(w: &mut impl Write, bytes: &[u8]) -> std::io::Result<()> {
    let len = u32::try_from(bytes.len()).map_err(std::io::Error::other)?;
    w.write_all(&len.to_le_bytes())?;
    w.write_all(bytes)
}

/// The next parent → worker message; `None` when the parent closed the
/// pipe before another began.
fn read_message(r: &mut impl Read) -> std::io::Result<Option<Vec<u8>>> {
    let mut len = [0u8; 4];
    match r.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let mut bytes = vec![0u8; u32::from_le_bytes(len) as usize];
    r.read_exact(&mut bytes)?;
    Ok(Some(bytes))
}

fn write_frame(w: &mut impl Write, tag: u8, payload: &[&[u8]]) -> std::io::Result<()> {
    let len: usize = payload.iter().map(|p| p.len()).sum();
    w.write_all(&[tag])?;
    w.write_all(&(len as u64).to_le_bytes())?;
    for p in payload {
        w.write_all(p)?;
    }
    w.flush()
}

/// Worker processes for one run: at most one per job, started when first
/// needed. Shared by the reading threads; each takes an idle worker, reads
/// one file with it and puts it back.
pub struct Pool {
    cfg: WorkerConfig,
    /// The rules' texts as each new worker is given them.
    rules: Vec<u8>,
    idle: Mutex<Vec<Worker>>,
}

impl Pool {
    /// A pool whose workers lay files out with `rules` (compiled again in
    /// each worker from [`Rules::texts`]).
    pub fn new(cfg: WorkerConfig, rules: &Rules) -> Pool {
        Pool {
            cfg,
            rules: rules_message(rules),
            idle: Mutex::new(Vec::new()),
        }
    }

    /// Read and lay out `path` (shown as `shown`) in a worker, within the
    /// time and memory limits.
    pub fn process(&self, path: &Path, shown: &str) -> FileResult {
        let mut result = self.read(path);
        result.path = shown.to_string();
        result
    }

    fn read(&self, path: &Path) -> FileResult {
        let taken = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let mut worker = match taken {
            Some(w) => w,
            None => match Worker::spawn(&self.cfg, &self.rules) {
                Ok(w) => w,
                Err(e) => return failed(None, format!("无法启动读取进程（{e}）")),
            },
        };
        if !worker.send(path) {
            // Died while idle: one fresh worker, once.
            drop(worker);
            worker = match Worker::spawn(&self.cfg, &self.rules) {
                Ok(w) => w,
                Err(e) => return failed(None, format!("无法启动读取进程（{e}）")),
            };
            if !worker.send(path) {
                let (status, stderr) = worker.kill();
                return failed(None, self.reason(status, &stderr));
            }
        }
        let deadline = Instant::now() + self.cfg.timeout;
        let mut hashed = None;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match worker.frames.recv_timeout(left) {
                Ok(Frame::Hashed { bytes, sha256 }) => hashed = Some((bytes, sha256)),
                Ok(Frame::Reading(payload)) => {
                    let reading = postcard::from_bytes::<FileResult>(&payload);
                    worker.files += 1;
                    return match reading {
                        Ok(r) => {
                            if worker.files < RECYCLE_AFTER {
                                self.idle
                                    .lock()
                                    .unwrap_or_else(|p| p.into_inner())
                                    .push(worker);
                            }
                            r
                        }
                        Err(_) => {
                            drop(worker);
                            failed(hashed, "读取进程返回了无法解析的结果".into())
                        }
                    };
                }
                Err(RecvTimeoutError::Timeout) => {
                    drop(worker.kill());
                    return failed(
                        hashed,
                        format!(
                            "读取超时：超过 {} 秒仍未完成，已终止该文件的读取",
                            self.cfg.timeout.as_secs()
                        ),
                    );
                }
                Err(RecvTimeoutError::Disconnected) => {
                    let (status, stderr) = worker.kill();
                    return failed(hashed, self.reason(status, &stderr));
                }
            }
        }
    }

    /// Why a worker stopped, from its exit status and the tail of its stderr.
    fn reason(&self, status: Option<ExitStatus>, stderr: &str) -> String {
        if stderr.contains("memory allocation") || stderr.contains("out of memory") {
            return format!(
                "读取时内存超过上限（{} MB），已终止该文件的读取",
                self.cfg.memory_bytes >> 20
            );
        }
        use std::os::unix::process::ExitStatusExt;
        let mut reason = match status {
            Some(s) => match s.signal() {
                Some(sig) => format!("读取进程异常终止（信号 {sig}）"),
                None => format!("读取进程异常退出（退出码 {}）", s.code().unwrap_or(-1)),
            },
            None => "读取进程异常终止".to_string(),
        };
        // The worker's own last words, when it had any.
        if let Some(last) = stderr.lines().rev().find(|l| !l.trim().is_empty()) {
            let last: String = last.trim().chars().take(300).collect();
            reason.push('：');
            reason.push_str(&last);
        }
        reason
    }
}

/// A file that failed, named by the hash the worker reported (if it got
/// that far; else by no hash: the parent never reads the file itself).
fn failed(hashed: Option<(u64, String)>, message: String) -> FileResult {
    let (bytes, sha256) = hashed.unwrap_or_default();
    let reading = Reading {
        bytes,
        sha256,
        format: Format::Unknown,
        read: Err(ReadError::Unreadable(message)),
    };
    FileResult::new(String::new(), reading, Vec::new())
}

/// Worker side (`riskflow read-worker`): limit memory, take the rules,
/// then read paths from stdin and answer each with its hash and its
/// FileResult, until stdin closes.
pub fn serve(memory_mb: u64) -> std::io::Result<()> {
    limit_memory(memory_mb << 20);
    quiet_panics();
    let hooks = std::env::var_os(TEST_HOOKS_ENV).is_some();
    let mut input = BufReader::new(std::io::stdin().lock());
    let mut out = BufWriter::new(std::io::stdout().lock());
    let rules = take_rules(&mut input)?;
    while let Some(raw) = read_message(&mut input)? {
        use std::os::unix::ffi::OsStringExt;
        let path = PathBuf::from(std::ffi::OsString::from_vec(raw));
        let reading = read_one(&path, hooks, &mut out)?;
        let result = lay_out("", reading, &rules);
        let payload = postcard::to_stdvec(&result).map_err(std::io::Error::other)?;
        write_frame(&mut out, b'R', &[&payload])?;
    }
    Ok(())
}

/// The message that gives a new worker its rules: their files' texts
/// (postcard), which it compiles ([`take_rules`]).
fn rules_message(rules: &Rules) -> Vec<u8> {
    let texts = postcard::to_stdvec(&*rules.texts).unwrap_or_default();
    let mut message = Vec::with_capacity(4 + texts.len());
    // Into memory: only a text over 4 GiB could fail, and then the worker
    // gets no rules, dies, and its files fail with the reason.
    let _ = write_message(&mut message, &texts);
    message
}

/// Worker side, first: the rules the parent sends, compiled.
fn take_rules(input: &mut impl Read) -> std::io::Result<Rules> {
    let texts = read_message(input)?
        .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::UnexpectedEof))?;
    let texts: Vec<(String, String)> =
        postcard::from_bytes(&texts).map_err(std::io::Error::other)?;
    Rules::from_texts(&texts).map_err(std::io::Error::other)
}

/// Worker side, one file: read it, report its hash, then parse it.
fn read_one(path: &Path, hooks: bool, out: &mut impl Write) -> std::io::Result<Reading> {
    let mut reading = Reading {
        bytes: 0,
        sha256: String::new(),
        format: Format::Unknown,
        read: Err(ReadError::Empty),
    };
    match std::fs::metadata(path) {
        Ok(m) if m.len() > MAX_FILE_BYTES => {
            reading.bytes = m.len();
            reading.read = Err(ReadError::Unreadable(format!(
                "文件大小 {} 字节超过上限 {MAX_FILE_BYTES}",
                m.len()
            )));
            return Ok(reading);
        }
        _ => {}
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            reading.read = Err(ReadError::Unreadable(format!("无法打开文件（{e}）")));
            return Ok(reading);
        }
    };
    use sha2::{Digest, Sha256};
    let sha = crate::rules::hex(&Sha256::digest(&bytes));
    write_frame(
        out,
        b'H',
        &[&(bytes.len() as u64).to_le_bytes(), sha.as_bytes()],
    )?;
    if hooks {
        test_hook(&bytes);
    }
    Ok(read_loaded(bytes, sha, &Limits::default()))
}

/// Every reader call runs under catch_unwind and a panic becomes the file's
/// error with its message; the default hook would also print it. A worker
/// only reads files, so the hook is ours to set.
fn quiet_panics() {
    std::panic::set_hook(Box::new(|_| {}));
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
fn test_hook(bytes: &[u8]) {
    if bytes.starts_with(b"RISKFLOW-TEST-HANG") {
        loop {
            std::thread::sleep(Duration::from_secs(3600));
        }
    }
    if bytes.starts_with(b"RISKFLOW-TEST-ABORT") {
        std::process::abort();
    }
    if bytes.starts_with(b"RISKFLOW-TEST-OOM") {
        let mut hog: Vec<Vec<u8>> = Vec::new();
        loop {
            let mut v = vec![0u8; 64 << 20];
            v[0] = 1;
            hog.push(v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_and_a_short_frame_is_refused() {
        let mut buf = Vec::new();
        write_frame(&mut buf, b'H', &[&7u64.to_le_bytes(), b"abc"]).unwrap();
        write_frame(&mut buf, b'R', &[b"{}"]).unwrap();
        let mut r = &buf[..];
        match read_frame(&mut r) {
            Some(Frame::Hashed { bytes, sha256 }) => {
                assert_eq!((bytes, sha256.as_str()), (7, "abc"));
            }
            _ => panic!("expected a hash frame"),
        }
        match read_frame(&mut r) {
            Some(Frame::Reading(j)) => assert_eq!(j, b"{}"),
            _ => panic!("expected a reading frame"),
        }
        assert!(read_frame(&mut r).is_none());
        // A frame that claims more than it holds is no frame.
        let mut cut = Vec::new();
        write_frame(&mut cut, b'R', &[b"0123456789"]).unwrap();
        cut.truncate(12);
        assert!(read_frame(&mut &cut[..]).is_none());
    }

    /// What a worker sends is what the parent would have laid out itself:
    /// every draft field survives the trip, notes and `name_from` included.
    #[test]
    fn a_file_result_crosses_the_pipe_unchanged() {
        let rules = Rules::builtin();
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/flow/gaoxin_boxes.docx");
        let here = lay_out(
            "",
            crate::ingest::read_file(&path, &Limits::default()),
            &rules,
        );
        assert!(
            here.charts
                .iter()
                .any(|c| !c.notes.is_empty() && c.name_from.is_some())
        );
        let bytes = postcard::to_stdvec(&here).unwrap();
        let there: FileResult = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(there.charts, here.charts);
        assert_eq!(
            format!("{:?}", there.reading),
            format!("{:?}", here.reading)
        );
        // The rules cross too: compiled from their texts, the same rules.
        let rebuilt = take_rules(&mut &rules_message(&rules)[..]).unwrap();
        assert_eq!(rebuilt.digest, rules.digest);
    }
}
