//! The real binary when its database fails and comes back: SQLite on a disk that fills up
//! and empties (a tmpfs, so the test needs root, as CI has), and PostgreSQL going down
//! behind a relay the test cuts. Writes fail with the French 503 page, `/healthz` says
//! 503 meanwhile, and the server recovers by itself, without a restart.

use std::collections::HashSet;
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::{
    HttpResponse, Load, Server, TestDatabase, assert_consistent, form_token, nonce, open_survey,
    request, stored_tokens,
};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::AbortHandle;

const UNAVAILABLE: &str = "Service momentanément indisponible";

/// A tmpfs mounted on a new temporary directory, unmounted when dropped.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size: &str) -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        let output = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .output();
        match output {
            Ok(output) if output.status.success() => Self { dir },
            Ok(output) => panic!(
                "this test fills a small disk and must mount a tmpfs, which needs root (CI runs \
                 the tests as root): `mount -t tmpfs` on {} failed: {}",
                dir.path().display(),
                String::from_utf8_lossy(&output.stderr).trim()
            ),
            Err(error) => panic!("this test must mount a tmpfs, and `mount` did not run: {error}"),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let unmounted = Command::new("umount")
            .arg(self.dir.path())
            .status()
            .is_ok_and(|s| s.success());
        if !unmounted {
            // Still busy (a process being reaped): detach it now, freed when let go.
            let _ = Command::new("umount")
                .arg("-l")
                .arg(self.dir.path())
                .status();
        }
    }
}

/// Writes zeros to `path` until the filesystem has no byte left.
fn fill(path: &Path) -> PathBuf {
    let mut file = std::fs::File::create(path).expect("create the filler");
    for size in [1 << 16, 4096, 1] {
        let chunk = vec![0_u8; size];
        loop {
            match file.write(&chunk) {
                Ok(0) => break,
                Ok(_) => {}
                Err(error) if error.kind() == std::io::ErrorKind::StorageFull => break,
                Err(error) => panic!("filling the disk: {error}"),
            }
        }
    }
    path.to_owned()
}

/// Loads the form, as a resident does, and sends it; returns what the database keeps of
/// its token. A form that cannot be loaded (the database is gone) is sent without one.
async fn submit(server: SocketAddr, code: &str) -> (String, HttpResponse) {
    let token = form_token(server, code).await.unwrap_or_default();
    let form = format!("jeton={token}&Q1=oui");
    let response = request(server, "POST", &format!("/q/{code}"), Some(&form), &[])
        .await
        .expect("the server answers");
    (nonce(&token), response)
}

async fn healthz(server: &Server) -> u16 {
    request(server.addr, "GET", "/healthz", None, &[])
        .await
        .expect("the server answers")
        .status
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_on_a_full_disk_refuses_answers_then_recovers_without_restart() {
    let disk = Tmpfs::mount("12m");
    let url = format!("sqlite://{}", disk.path().join("pouls.db").display());
    let code = open_survey(&url).await;
    let server = Server::start(&url).await;
    let mut acknowledged = Vec::new();
    for _ in 0..5 {
        let (token, response) = submit(server.addr, &code).await;
        assert_eq!(response.status, 303, "{}", response.body);
        acknowledged.push(token);
    }

    let filler = fill(&disk.path().join("filler"));
    // One at a time, then many at once, so that failures reach several pooled
    // connections, through the writer's single and batched paths.
    let mut refused = Vec::new();
    for _ in 0..20 {
        refused.push(submit(server.addr, &code).await);
    }
    let together: Vec<_> = (0..16)
        .map(|_| {
            let code = code.clone();
            tokio::spawn(async move { submit(server.addr, &code).await })
        })
        .collect();
    for task in together {
        refused.push(task.await.expect("a submission task"));
    }
    for (_, response) in &refused {
        assert_ne!(
            response.status, 303,
            "an answer was acknowledged on a full disk"
        );
        assert_eq!(response.status, 503);
        assert!(response.body.contains(UNAVAILABLE), "{}", response.body);
    }
    assert_eq!(healthz(&server).await, 503, "/healthz while writes fail");

    std::fs::remove_file(filler).expect("remove the filler");
    for _ in 0..40 {
        let (token, response) = submit(server.addr, &code).await;
        assert_eq!(
            response.status, 303,
            "once the disk has room, answers are stored again: {}",
            response.body
        );
        acknowledged.push(token);
    }
    assert_eq!(healthz(&server).await, 200, "/healthz once writes succeed");
    let load = Load::start(&[server.addr], &code, 8);
    load.wait_for(200).await;
    acknowledged.extend(load.stop().await);

    let stored: HashSet<String> = stored_tokens(&url).await.into_iter().collect();
    assert!(acknowledged.iter().all(|t| stored.contains(t)));
    assert!(refused.iter().all(|(t, _)| !stored.contains(t)));
    assert_consistent(&url).await;
    drop(server);
}

/// A TCP relay to PostgreSQL. `down` closes its port, so connections are refused as with
/// PostgreSQL stopped, and cuts the connections it relays; `up` opens it again.
struct Relay {
    addr: SocketAddr,
    upstream: SocketAddr,
    tasks: Arc<Mutex<Vec<AbortHandle>>>,
}

impl Relay {
    /// A relay to the server of `url`, and `url` through the relay.
    async fn to(url: &str) -> (Self, String) {
        let (scheme, rest) = url.split_once("://").expect("a URL");
        let (authority, path) = rest.split_once('/').expect("a database name");
        let (user, host) = authority.rsplit_once('@').expect("a user");
        let upstream = tokio::net::lookup_host(host)
            .await
            .expect("the PostgreSQL host resolves")
            .next()
            .expect("an address");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let relay = Self {
            addr: listener.local_addr().expect("its address"),
            upstream,
            tasks: Arc::default(),
        };
        relay.serve(listener);
        let url = format!("{scheme}://{user}@{}/{path}", relay.addr);
        (relay, url)
    }

    fn serve(&self, listener: TcpListener) {
        let upstream = self.upstream;
        let tasks = Arc::clone(&self.tasks);
        let accept = tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let relayed = tokio::spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                tasks.lock().expect("lock").push(relayed.abort_handle());
            }
        });
        self.tasks.lock().expect("lock").push(accept.abort_handle());
    }

    async fn down(&self) {
        for task in self.tasks.lock().expect("lock").drain(..) {
            task.abort();
        }
        // Let the aborted tasks drop their sockets.
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(
            TcpStream::connect(self.addr).await.is_err(),
            "the relay still accepts connections"
        );
    }

    async fn up(&self) {
        let listener = TcpListener::bind(self.addr).await.expect("the same port");
        self.serve(listener);
    }
}

/// Far below the ten seconds requests used to wait, far above the few they may.
const FAST: Duration = Duration::from_secs(8);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs POULS_TEST_POSTGRES_URL"]
async fn postgres_down_gives_the_french_503_at_once_then_recovers() {
    let db = TestDatabase::postgres().await;
    let code = open_survey(&db.url).await;
    let (relay, url) = Relay::to(&db.url).await;
    let server = Server::start(&url).await;
    let (before, response) = submit(server.addr, &code).await;
    assert_eq!(response.status, 303);

    relay.down().await;
    for (method, path, form) in [
        ("GET", "/", None),
        ("POST", &*format!("/q/{code}"), Some("Q1=oui")),
    ] {
        let start = Instant::now();
        let response = request(server.addr, method, path, form, &[])
            .await
            .expect("the server answers");
        let took = start.elapsed();
        assert_eq!(response.status, 503, "{method} {path}: {}", response.body);
        assert!(response.body.contains(UNAVAILABLE), "{}", response.body);
        assert!(!response.body.contains("sqlx"), "nothing internal shown");
        assert!(took < FAST, "{method} {path} took {took:?}");
    }
    let start = Instant::now();
    assert_eq!(healthz(&server).await, 503);
    assert!(
        start.elapsed() < FAST,
        "/healthz took {:?}",
        start.elapsed()
    );

    relay.up().await;
    let deadline = Instant::now() + Duration::from_secs(30);
    while healthz(&server).await != 200 {
        assert!(
            Instant::now() < deadline,
            "/healthz stayed 503 once PostgreSQL was back"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let home = request(server.addr, "GET", "/", None, &[])
        .await
        .expect("home");
    assert_eq!(home.status, 200);
    let (after, response) = submit(server.addr, &code).await;
    assert_eq!(response.status, 303);
    let stored: HashSet<String> = stored_tokens(&db.url).await.into_iter().collect();
    assert!(stored.contains(&before) && stored.contains(&after));
    assert_consistent(&db.url).await;
}
