//! Support for tests that run the real `pouls` binary: a fresh database (a SQLite file or
//! a PostgreSQL schema), an open survey to answer, the server as a child process, a small
//! HTTP/1.1 client and residents submitting under load.

#![allow(
    dead_code,
    reason = "each test file uses a different part of this module"
)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use pouls::audit::Actor;
use pouls::survey::{
    PointDraft, PointInput, QuestionDraft, QuestionInput, SurveyDraft, SurveyInput, SurveyStatus,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

#[path = "../../../tests/support/database.rs"]
mod database;

pub use database::{TestDatabase, scalar};

/// Every response token stored.
pub async fn stored_tokens(url: &str) -> Vec<String> {
    let sql = "SELECT token FROM response";
    if url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(url).await.expect("open SQLite");
        let tokens = sqlx::query_scalar(sql).fetch_all(&pool).await.expect(sql);
        pool.close().await;
        tokens
    } else {
        let pool = sqlx::PgPool::connect(url).await.expect("open PostgreSQL");
        let tokens = sqlx::query_scalar(sql).fetch_all(&pool).await.expect(sql);
        pool.close().await;
        tokens
    }
}

/// Checks that the stored responses are whole: each has its one answer, and the
/// counters and tallies agree with the rows. Returns the number of responses.
pub async fn assert_consistent(url: &str) -> i64 {
    let responses = scalar(url, "SELECT COUNT(*) FROM response").await;
    let answers = scalar(url, "SELECT COUNT(*) FROM answer").await;
    assert_eq!(
        answers, responses,
        "each response has exactly its one answer"
    );
    let half_written = scalar(
        url,
        "SELECT COUNT(*) FROM response r WHERE NOT EXISTS (SELECT 1 FROM answer a WHERE a.response_id = r.id)",
    )
    .await;
    assert_eq!(half_written, 0, "no response without its answer");
    let survey_count = scalar(
        url,
        "SELECT CAST(COALESCE(SUM(response_count), 0) AS BIGINT) FROM survey",
    )
    .await;
    assert_eq!(survey_count, responses, "survey counters match the rows");
    let point_count = scalar(
        url,
        "SELECT CAST(COALESCE(SUM(response_count), 0) AS BIGINT) FROM collection_point",
    )
    .await;
    assert_eq!(point_count, responses, "point counters match the rows");
    let tallied = scalar(
        url,
        "SELECT CAST(COALESCE(SUM(responses), 0) AS BIGINT) FROM answer_tally WHERE option_id = 0",
    )
    .await;
    assert_eq!(tallied, responses, "tallies match the rows");
    responses
}

/// Creates an open survey with one optional yes/no question (`Q1`) and returns the code
/// of its web collection point.
pub async fn open_survey(url: &str) -> String {
    let storage = pouls_server::prepare_storage(url).await.expect("prepare");
    let actor = Actor::CommandLine;
    let themes = ["petite-enfance"];
    let draft = SurveyDraft::parse(
        &SurveyInput {
            title: "Flash : accueil du jeune enfant".into(),
            intro: "Une question, dix secondes.".into(),
            why: "Pour adapter les horaires.".into(),
            actions: vec!["14".into()],
            themes: vec!["petite-enfance".into()],
            opens_on: "2026-01-01".into(),
            closes_on: "2030-12-31".into(),
            retention_until: String::new(),
        },
        &themes,
    )
    .expect("valid survey");
    let survey_id = storage
        .in_default_territory()
        .await
        .expect("territory")
        .create_survey(&draft, &actor)
        .await
        .expect("survey");
    let question = QuestionDraft::parse(
        &QuestionInput {
            kind: "yes_no".into(),
            label: "Avez-vous un enfant de moins de 3 ans ?".into(),
            theme: "petite-enfance".into(),
            ..QuestionInput::default()
        },
        &[],
        &themes,
    )
    .expect("valid question");
    storage
        .in_default_territory()
        .await
        .expect("territory")
        .add_question(survey_id, &question, &actor)
        .await
        .expect("add question")
        .expect("the survey exists");
    let point = PointDraft::parse(
        &PointInput {
            label: "Foire de printemps".into(),
            kind: "evenement".into(),
            commune: "michery".into(),
            ..PointInput::default()
        },
        &["michery"],
    )
    .expect("valid point");
    let code = storage
        .in_default_territory()
        .await
        .expect("territory")
        .create_point(survey_id, &point, &actor)
        .await
        .expect("point");
    storage
        .in_default_territory()
        .await
        .expect("territory")
        .set_survey_status(survey_id, SurveyStatus::Open, &actor)
        .await
        .expect("open");
    storage.close().await;
    code.to_string()
}

/// A `pouls serve` child process.
pub struct Server {
    pub child: Child,
    pub addr: SocketAddr,
}

impl Server {
    /// Starts `pouls serve` on a free loopback port, without the public rate limit.
    pub fn spawn(url: &str, env: &[(&str, &str)]) -> Self {
        let addr = free_port();
        Self::run(&["serve", "--bind", &addr.to_string()], addr, url, env)
    }

    /// Starts `pouls` without a command on a free loopback port, every setting (the
    /// address too) from the environment.
    pub fn spawn_without_command(url: &str, env: &[(&str, &str)]) -> Self {
        let addr = free_port();
        let bind = addr.to_string();
        let env: Vec<(&str, &str)> = std::iter::once(("POULS_BIND", bind.as_str()))
            .chain(env.iter().copied())
            .collect();
        Self::run(&[], addr, url, &env)
    }

    fn run(args: &[&str], addr: SocketAddr, url: &str, env: &[(&str, &str)]) -> Self {
        let child = Command::new(env!("CARGO_BIN_EXE_pouls"))
            .args(args)
            .env("DATABASE_URL", url)
            .env("POULS_PUBLIC_RATE_LIMIT", "0")
            .env("RUST_LOG", "warn")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .spawn()
            .expect("the binary starts");
        Self { child, addr }
    }

    pub async fn start(url: &str) -> Self {
        let server = Self::spawn(url, &[]);
        server.wait_ready().await;
        server
    }

    /// Waits until `/healthz` answers 200.
    pub async fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok(response) = request(self.addr, "GET", "/healthz", None, &[]).await
                && response.status == 200
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the server on {} did not become ready", self.addr);
    }

    /// SIGKILL: the process dies at once, mid-request.
    pub fn kill(&mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reaped");
    }

    /// SIGTERM, then waits for the exit (at most 30 s).
    pub fn terminate(&mut self) -> ExitStatus {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(Instant::now() < deadline, "the server did not stop");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("its address")
}

pub struct HttpResponse {
    pub status: u16,
    pub headers: HashMap<String, String>,
    pub body: String,
}

/// One HTTP/1.1 request on a new connection (`Connection: close`).
pub async fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    form: Option<&str>,
    headers: &[(&str, &str)],
) -> std::io::Result<HttpResponse> {
    let mut stream = TcpStream::connect(addr).await?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    let body = form.unwrap_or_default();
    if form.is_some() {
        head.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await?;
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut raw))
        .await
        .map_err(|_| std::io::Error::other("response timed out"))??;
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("incomplete response"))?;
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status line"))?;
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_lowercase(), value.trim().to_owned()))
        .collect();
    Ok(HttpResponse {
        status,
        headers,
        body: body.to_owned(),
    })
}

/// The one-time token of a fresh form at `code`, as a resident's browser gets it: from
/// the form page.
pub async fn form_token(addr: SocketAddr, code: &str) -> std::io::Result<String> {
    let page = request(addr, "GET", &format!("/q/{code}"), None, &[]).await?;
    page.body
        .split("name=\"jeton\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(str::to_owned)
        .ok_or_else(|| std::io::Error::other(format!("no form token (status {})", page.status)))
}

/// What the database keeps of a form token: its random part.
pub fn nonce(token: &str) -> String {
    token.split('.').next().unwrap_or_default().to_owned()
}

/// Residents answering the survey at `code` from `clients` connections, across
/// `servers` in turn, until stopped: each loads the form from one server and sends it to
/// the next (with several instances, the token was signed by another one). Keeps the
/// stored part of the tokens that got their `303`.
pub struct Load {
    pub acknowledged: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Load {
    pub fn start(servers: &[SocketAddr], code: &str, clients: usize) -> Self {
        let acknowledged = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let tasks = (0..clients)
            .map(|client| {
                let shown_by = servers[client % servers.len()];
                let addr = servers[(client + 1) % servers.len()];
                let code = code.to_owned();
                let path = format!("/q/{code}");
                let acknowledged = Arc::clone(&acknowledged);
                let stop = Arc::clone(&stop);
                tokio::spawn(async move {
                    while !stop.load(Ordering::Relaxed) {
                        let Ok(token) = form_token(shown_by, &code).await else {
                            // The server is gone (killed, or stopping): try again later.
                            tokio::time::sleep(Duration::from_millis(20)).await;
                            continue;
                        };
                        let form = format!("jeton={token}&Q1=oui");
                        match request(addr, "POST", &path, Some(&form), &[]).await {
                            Ok(response) if response.status == 303 => {
                                acknowledged.lock().expect("lock").push(nonce(&token));
                            }
                            Ok(response) => panic!("unexpected status {}", response.status),
                            // The server is gone (killed, or stopping): try again later.
                            Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
                        }
                    }
                })
            })
            .collect();
        Self {
            acknowledged,
            stop,
            tasks,
        }
    }

    pub fn count(&self) -> usize {
        self.acknowledged.lock().expect("lock").len()
    }

    /// Waits until at least `n` submissions were acknowledged.
    pub async fn wait_for(&self, n: usize) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while self.count() < n {
            assert!(
                Instant::now() < deadline,
                "only {} acknowledged",
                self.count()
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Stops the residents and returns every acknowledged token.
    pub async fn stop(self) -> Vec<String> {
        self.stop.store(true, Ordering::Relaxed);
        for task in self.tasks {
            task.await.expect("a load task failed");
        }
        self.acknowledged.lock().expect("lock").clone()
    }
}
