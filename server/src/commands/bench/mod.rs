//! `pouls bench`: measures the real server over loopback on a temporary database and prints
//! each figure beside its target.
//!
//! The server runs as a child process (this binary, `serve`), so the figures include HTTP,
//! compression, the router and the database exactly as deployed; the bench fills the data
//! in-process through the storage API and drives the server with its own small HTTP/1.1
//! load generator ([`load`]). Both share the machine's cores, as the targets assume.

mod answers;
mod chunked;
mod data;
mod database;
mod http;
mod load;
mod measure;
mod pg;
mod report;
mod scenarios;
mod server;

use std::io::Write as _;
use std::time::{Duration, Instant};

use pouls::indicators::Period;

use self::answers::{Rng, fill_to, response_count};
use self::database::TempDatabase;
use self::report::{Report, millis, thousands};
use self::server::ServerProcess;
use crate::config::{BenchArgs, SyncMode};

/// Sizes and durations of one run.
struct Plan {
    quick: bool,
    duration: Duration,
    concurrency: usize,
    /// Responses at which the staff pages are timed; the export runs at the last.
    sizes: [u64; 2],
    /// Timings per staff page (the median is reported).
    runs: usize,
    sqlite_sync: SyncMode,
}

/// The generator's seed: the same data set on every run.
const SEED: u64 = 0x0B3A_C4D0_2026_0001;

pub async fn run(args: &BenchArgs) -> anyhow::Result<()> {
    let largest = args
        .responses
        .unwrap_or(if args.quick { 20_000 } else { 1_000_000 })
        .max(10);
    let plan = Plan {
        quick: args.quick,
        duration: Duration::from_secs(args.duration.unwrap_or(if args.quick { 5 } else { 60 })),
        concurrency: args.concurrency.max(1),
        sizes: [largest / 10, largest],
        runs: if args.quick { 3 } else { 5 },
        sqlite_sync: args.sqlite.sqlite_sync,
    };
    let db = TempDatabase::create(args.database_url.as_deref()).await?;
    let log = db.dir.join("server.log");
    let outcome = tokio::select! {
        outcome = bench(&db, &plan) => outcome,
        _ = tokio::signal::ctrl_c() => Err(anyhow::anyhow!("interrupted")),
    };
    if outcome.is_err()
        && let Ok(text) = std::fs::read_to_string(&log)
    {
        let lines: Vec<&str> = text.lines().collect();
        for line in &lines[lines.len().saturating_sub(20)..] {
            eprintln!("server: {line}");
        }
    }
    db.remove().await;
    let report = outcome?;
    println!("{}", report.render());
    let missed = report.missed();
    if missed > 0 {
        eprintln!("pouls bench: {missed} target(s) missed");
    }
    Ok(())
}

/// Progress on standard error, so standard output is only the table.
fn progress(started: Instant, message: &str) {
    eprintln!("[{:6.1} s] {message}", started.elapsed().as_secs_f64());
    std::io::stderr().flush().ok();
}

async fn bench(db: &TempDatabase, plan: &Plan) -> anyhow::Result<Report> {
    let started = Instant::now();
    let backend = db.backend();
    let sync = if backend == "SQLite" {
        format!(", synchronous={}", plan.sqlite_sync.name())
    } else {
        String::new()
    };
    let mut report = Report {
        title: format!(
            "{backend}{sync}: {} run, {} responses, {} s per load scenario, {} connections",
            if plan.quick { "quick" } else { "full" },
            thousands(plan.sizes[1]),
            plan.duration.as_secs(),
            plan.concurrency
        ),
        ..Report::default()
    };
    progress(
        started,
        &format!("{backend} database ready; creating the survey"),
    );
    let storage = crate::prepare_storage(&db.url).await?;
    let data = data::setup(&storage).await?;
    let (definition, point) = (&data.definition, &data.point);
    let (mut rng, mut serial) = (Rng(SEED), 0);

    let server =
        ServerProcess::start(&db.url, plan.sqlite_sync.name(), &db.dir.join("server.log")).await?;
    progress(
        started,
        &format!("server {} on http://{}", server.pid(), server.address),
    );
    let cookie = scenarios::login(server.address, &data.login).await?;
    let period = Period::year(pouls::indicators::FIRST_YEAR);
    let indicators_path = format!(
        "/admin/exports/indicateurs?periode={}&dialecte=standard",
        period.code()
    );
    let board_path = format!("/admin/observatoire?periode={}", period.code());
    let (mut fill_count, mut fill_time) = (0, Duration::ZERO);
    for (index, size) in plan.sizes.into_iter().enumerate() {
        progress(
            started,
            &format!("filling to {} responses", thousands(size)),
        );
        let fill_started = Instant::now();
        fill_count += fill_to(&storage, definition, point, &mut rng, &mut serial, size).await?;
        fill_time += fill_started.elapsed();
        let at = format!("{} responses", thousands(size));
        let last = index == plan.sizes.len() - 1;
        progress(started, &format!("timing staff pages at {at}"));
        for (scenario, path) in [
            ("Indicators, one period (HTTP)", &indicators_path),
            ("Needs board (HTTP)", &board_path),
        ] {
            let median = scenarios::staff_page(server.address, &cookie, path, plan.runs).await?;
            let measure = format!("median of {} at {at}", plan.runs);
            if last {
                report.check(
                    scenario,
                    &measure,
                    millis(median),
                    "<= 200 ms",
                    median <= Duration::from_millis(200),
                );
            } else {
                report.info(scenario, &measure, millis(median));
            }
        }
        let (indicators, board) = scenarios::storage_calls(&storage, period, plan.runs).await?;
        report.info(
            "Storage calls (in-process)",
            &format!("indicator_reports / needs_board at {at}"),
            format!("{} / {}", millis(indicators), millis(board)),
        );
    }
    let rate = fill_count as f64 / fill_time.as_secs_f64().max(1e-9);
    report.info(
        "Data fill (in-process)",
        "responses stored",
        format!(
            "{} in {:.1} s ({} responses/s)",
            thousands(fill_count),
            fill_time.as_secs_f64(),
            thousands(rate as u64)
        ),
    );

    progress(started, "CSV export");
    let stored = response_count(&storage, definition.survey.id).await?;
    measure::export(&mut report, &server, &cookie, definition.survey.id, stored).await;

    progress(started, "page weight");
    measure::page_weight(&mut report, &server, &point.code.to_string()).await?;
    progress(
        started,
        &format!("GET /q/{{code}} for {} s", plan.duration.as_secs()),
    );
    measure::survey_page(&mut report, &server, &point.code.to_string(), plan).await;
    progress(
        started,
        &format!("POST /q/{{code}} for {} s", plan.duration.as_secs()),
    );
    measure::submissions(
        &mut report,
        &server,
        &storage,
        &data,
        &mut rng,
        plan,
        backend,
    )
    .await?;

    progress(started, "stopping the server");
    server.stop().await?;
    storage.close().await;
    report.notes.push(format!(
        "Machine: {}. Total bench time {:.0} s.",
        machine(),
        started.elapsed().as_secs_f64()
    ));
    if plan.quick {
        report.notes.push("Quick run: smaller data and short load runs, figures are indicative; the targets hold for the full run.".to_owned());
    }
    Ok(report)
}

/// Cores, CPU model and memory, from /proc on Linux.
pub fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name")?.split(':').nth(1))
        .map_or("unknown CPU", str::trim)
        .to_owned();
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let ram = server::proc_status_bytes(&meminfo, "MemTotal")
        .map_or_else(|| "?".to_owned(), |b| format!("{:.1} GB", b as f64 / 1e9));
    format!("{cores} cores ({model}), {ram} RAM")
}
