//! The server under test: this very binary, `serve`, as a child process on free loopback
//! ports, and its memory as Linux reports it.

use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use pouls::survey::FormKey;

use super::http;

pub struct ServerProcess {
    child: Child,
    pub address: SocketAddr,
    pub metrics: SocketAddr,
    /// The key the server signs form tokens with, so the load generator can sign its own.
    pub form_key: FormKey,
}

/// A port nobody listens on right now (the OS picks it).
fn free_port() -> anyhow::Result<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0").context("cannot find a free port")?;
    Ok(listener.local_addr()?)
}

impl ServerProcess {
    /// Starts `pouls serve` on `database_url` (with SQLite's `synchronous` setting), its log
    /// going to `log`, and waits until
    /// `/healthz` answers.
    pub async fn start(database_url: &str, sqlite_sync: &str, log: &Path) -> anyhow::Result<Self> {
        let (address, metrics) = (free_port()?, free_port()?);
        let log_file = std::fs::File::create(log)
            .with_context(|| format!("cannot create {}", log.display()))?;
        let exe = std::env::current_exe().context("cannot find the pouls binary")?;
        let form_key = FormKey::generate();
        let child = Command::new(exe)
            .args(["serve", "--bind", &address.to_string()])
            .env("DATABASE_URL", database_url)
            .env("POULS_PUBLIC_RATE_LIMIT", "0")
            .env("POULS_FORM_KEY", form_key.as_stored())
            .env("POULS_METRICS_BIND", metrics.to_string())
            .env("RUST_LOG", "warn")
            .env("POULS_SQLITE_SYNC", sqlite_sync)
            .env_remove("POULS_BIND")
            .env_remove("POULS_PUBLIC_URL")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log_file)
            .spawn()
            .context("cannot start the server")?;
        let mut server = Self {
            child,
            address,
            metrics,
            form_key,
        };
        let started = Instant::now();
        loop {
            if let Some(status) = server.child.try_wait()? {
                bail!("the server exited at start ({status}); see its log above");
            }
            let request = http::request("GET", "/healthz", address, "", b"");
            if let Ok((head, _)) = http::fetch(address, &request).await
                && head.status == 200
            {
                return Ok(server);
            }
            if started.elapsed() > Duration::from_secs(60) {
                bail!("the server did not answer /healthz within a minute");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGTERM, then up to 30 s for the graceful shutdown (it flushes the writer).
    pub async fn stop(mut self) -> anyhow::Result<()> {
        let pid = self.child.id().to_string();
        // std cannot send SIGTERM without unsafe code; `kill` is on every Unix.
        let sent = Command::new("kill").args(["-TERM", &pid]).status();
        if !sent.is_ok_and(|s| s.success()) {
            self.child.kill().ok();
        }
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait()? {
                if status.success() {
                    return Ok(());
                }
                bail!("the server stopped with {status}");
            }
            if started.elapsed() > Duration::from_secs(30) {
                self.child.kill().ok();
                bail!("the server did not stop within 30 s of SIGTERM");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for ServerProcess {
    /// On an early return or an interrupt: never leave the server running.
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            self.child.kill().ok();
            self.child.wait().ok();
        }
    }
}

/// A field of `/proc/<pid>/status` in kB (`VmRSS`, `VmHWM`), as bytes.
pub fn proc_status_bytes(status: &str, field: &str) -> Option<u64> {
    status.lines().find_map(|line| {
        let rest = line.strip_prefix(field)?.strip_prefix(':')?;
        let kb: u64 = rest.trim().strip_suffix("kB")?.trim().parse().ok()?;
        Some(kb * 1024)
    })
}

/// The current `field` of a process, in bytes; `None` off Linux or once it is gone.
pub fn memory(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    proc_status_bytes(&status, field)
}

/// CPU time (user + system) a process has used so far, from `/proc/<pid>/stat`; `pid`
/// `None` is this process.
pub fn cpu_time(pid: Option<u32>) -> Option<Duration> {
    let path = pid.map_or_else(
        || "/proc/self/stat".to_owned(),
        |p| format!("/proc/{p}/stat"),
    );
    parse_cpu_ticks(&std::fs::read_to_string(path).ok()?)
        // Linux reports in clock ticks of 1/100 s (USER_HZ) on every common platform.
        .map(|ticks| Duration::from_millis(ticks * 10))
}

/// utime + stime, fields 14 and 15, counted after the parenthesised command name.
fn parse_cpu_ticks(stat: &str) -> Option<u64> {
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // `rest` starts at field 3 (state).
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

/// Samples a process's resident memory every 20 ms until stopped; keeps the peak.
pub struct RssSampler {
    stop: Arc<AtomicBool>,
    peak: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl RssSampler {
    pub fn start(pid: u32) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let peak = Arc::new(AtomicU64::new(memory(pid, "VmRSS").unwrap_or(0)));
        let task = tokio::spawn({
            let (stop, peak) = (stop.clone(), peak.clone());
            async move {
                while !stop.load(Ordering::Relaxed) {
                    if let Some(rss) = memory(pid, "VmRSS") {
                        peak.fetch_max(rss, Ordering::Relaxed);
                    }
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }
        });
        Self { stop, peak, task }
    }

    /// Stops sampling; the peak resident memory seen, in bytes.
    pub async fn finish(self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        self.task.await.ok();
        self.peak.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_memory_fields() {
        let status = "Name:\tpouls\nVmHWM:\t   51200 kB\nVmRSS:\t   40960 kB\nThreads:\t3\n";
        assert_eq!(proc_status_bytes(status, "VmRSS"), Some(40 * 1024 * 1024));
        assert_eq!(proc_status_bytes(status, "VmHWM"), Some(50 * 1024 * 1024));
        assert_eq!(proc_status_bytes(status, "VmSwap"), None);
    }

    #[test]
    fn reads_cpu_ticks() {
        let stat = "4242 (pouls (x)) S 1 4242 4242 0 -1 4194560 900 0 0 0 250 50 0 0 20 0 9 0";
        assert_eq!(parse_cpu_ticks(stat), Some(300));
        assert!(cpu_time(None).is_some());
    }
}
