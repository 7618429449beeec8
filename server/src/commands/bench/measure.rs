//! The scenarios that go against the running server and what each adds to the table:
//! page weight, the two load runs and the CSV export.

use std::io::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::Context;
use pouls::auth::random_token;
use pouls::storage::Storage;
use pouls::survey::FORM_TOKEN_LIFETIME;

use super::answers::{Rng, form_fields, generate, response_count};
use super::data::BenchData;
use super::report::{Report, kilobytes, megabytes, millis, thousands};
use super::server::{self, RssSampler, ServerProcess, memory};
use super::{Plan, http, load, scenarios};

/// Bytes of the survey page and its stylesheet, raw and compressed.
pub async fn page_weight(
    report: &mut Report,
    server: &ServerProcess,
    code: &str,
) -> anyhow::Result<()> {
    let (html, css) = scenarios::page_weight(server.address, code).await?;
    let scenario = "Survey page weight";
    let three = |w: scenarios::Weight| {
        format!(
            "{} / {} / {}",
            kilobytes(w.raw),
            kilobytes(w.br),
            kilobytes(w.gzip)
        )
    };
    report.info(scenario, "HTML raw / br / gzip", three(html));
    report.info(scenario, "CSS raw / br / gzip", three(css));
    for (measure, total) in [
        ("HTML + CSS, brotli", html.br + css.br),
        ("HTML + CSS, gzip", html.gzip + css.gzip),
    ] {
        report.check(
            scenario,
            measure,
            kilobytes(total),
            "<= 14 KB",
            total <= 14 * 1024,
        );
    }
    Ok(())
}

/// GET of the survey page, brotli-compressed as browsers ask for it.
pub async fn survey_page(report: &mut Report, server: &ServerProcess, code: &str, plan: &Plan) {
    let request = http::request(
        "GET",
        &format!("/q/{code}"),
        server.address,
        "Accept-Encoding: br\r\n",
        b"",
    );
    let make: load::MakeRequest = Arc::new(move |buf| buf.extend_from_slice(&request));
    let scenario = format!(
        "GET /q/{{code}}, survey page, brotli, {} conn.",
        plan.concurrency
    );
    run_load(report, server, plan, &scenario, 200, make, (5_000.0, None)).await;
}

/// Full submissions, each with a fresh token; checks that every acknowledged response
/// was stored and reads the mean group-commit batch from the metrics.
pub async fn submissions(
    report: &mut Report,
    server: &ServerProcess,
    storage: &Storage,
    data: &BenchData,
    rng: &mut Rng,
    plan: &Plan,
    backend: &str,
) -> anyhow::Result<()> {
    let survey_id = data.definition.survey.id;
    let before = response_count(storage, survey_id).await?;
    let make = submission_requests(data, server, rng)?;
    let scenario = format!(
        "POST /q/{{code}}, full submissions, {} conn.",
        plan.concurrency
    );
    let target = if backend == "SQLite" {
        3_000.0
    } else {
        2_000.0
    };
    let result = run_load(
        report,
        server,
        plan,
        &scenario,
        303,
        make,
        (target, Some(20.0)),
    )
    .await;
    let stored = response_count(storage, survey_id).await? - before;
    report.check(
        &scenario,
        "stored = acknowledged",
        format!(
            "{} stored, {} acknowledged",
            thousands(stored),
            thousands(result.ok)
        ),
        "equal",
        stored == result.ok,
    );
    let batch = match scenarios::mean_batch(server.metrics).await {
        Ok(Some(mean)) => format!("{mean:.1}"),
        Ok(None) => "no batch recorded".to_owned(),
        Err(error) => format!("metrics unreadable: {error:#}"),
    };
    report.info(&scenario, "mean batch (responses per transaction)", batch);
    Ok(())
}

/// One load run with memory and CPU sampled, its rows added to the report.
async fn run_load(
    report: &mut Report,
    server: &ServerProcess,
    plan: &Plan,
    scenario: &str,
    expected: u16,
    make: load::MakeRequest,
    targets: (f64, Option<f64>),
) -> load::LoadResult {
    let pid = server.pid();
    let (sampler, cpu) = (RssSampler::start(pid), CpuClock::start(pid));
    let result = load::run(
        server.address,
        plan.concurrency,
        plan.duration,
        expected,
        make,
    )
    .await;
    let peak = sampler.finish().await;
    let cpu = cpu.finish(result.elapsed);
    report.load(scenario, &result, targets, (peak, memory(pid, "VmHWM")));
    report.info(scenario, "CPU: server / load generator", cpu);
    result
}

/// The export, plain then brotli-compressed as browsers ask for it. A failed download is
/// a row of the table, not the end of the bench.
pub async fn export(
    report: &mut Report,
    server: &ServerProcess,
    cookie: &str,
    survey_id: i64,
    stored: u64,
) {
    let (address, pid) = (server.address, server.pid());
    let scenario = format!("CSV export, {} rows x 20 questions", thousands(stored));
    match scenarios::export(address, cookie, survey_id, pid, "identity").await {
        Ok(export) => {
            let rate = export.rows_per_second();
            let first_byte = export.first_byte;
            report.check(
                &scenario,
                "rows/s",
                thousands(rate as u64),
                ">= 200,000",
                rate >= 200_000.0,
            );
            report.check(
                &scenario,
                "first byte",
                millis(first_byte),
                "< 1 s",
                first_byte < Duration::from_secs(1),
            );
            report.check(
                &scenario,
                "server RSS growth",
                megabytes(export.rss_growth),
                "<= 50 MB",
                export.rss_growth <= 50_000_000,
            );
            let size = format!(
                "{}, {:.2} s",
                megabytes(export.bytes),
                export.elapsed.as_secs_f64()
            );
            report.info(&scenario, "size, total time", size);
            if export.rows != stored {
                let rows = format!("{} rows", thousands(export.rows));
                report.check(&scenario, "rows = responses", rows, "equal", false);
            }
        }
        Err(error) => {
            let failure = format!("failed: {error:#}");
            report.check(&scenario, "download", failure, "complete", false);
        }
    }
    let scenario = "CSV export, brotli (as browsers ask)";
    match scenarios::export(address, cookie, survey_id, pid, "br").await {
        Ok(export) => {
            let rate = stored as f64 / export.elapsed.as_secs_f64().max(1e-9);
            report.check(
                scenario,
                "rows/s",
                thousands(rate as u64),
                ">= 200,000",
                rate >= 200_000.0,
            );
            let detail = format!(
                "{}, {}, {}",
                megabytes(export.bytes),
                millis(export.first_byte),
                megabytes(export.rss_growth)
            );
            report.info(scenario, "size, first byte, RSS growth", detail);
        }
        Err(error) => {
            let failure = format!("failed: {error:#}");
            report.check(scenario, "download", failure, "complete", false);
        }
    }
}

/// Request builder of the submission scenario: a fresh token each time, signed as the
/// server signs the ones of its forms (with the key it was given), and the answers of one
/// of a few hundred generated residents.
fn submission_requests(
    data: &BenchData,
    server: &ServerProcess,
    rng: &mut Rng,
) -> anyhow::Result<load::MakeRequest> {
    let bodies: Vec<String> = (0..256)
        .map(|_| form_fields(&data.definition, &generate(&data.definition, rng)))
        .collect::<anyhow::Result<_>>()?;
    let path = format!("/q/{}", data.point.code);
    let address = server.address;
    let key = server.form_key.clone();
    let code = data.point.code.clone();
    let expires = time::OffsetDateTime::now_utc().unix_timestamp() + FORM_TOKEN_LIFETIME;
    // The nonce's first 8 hex digits differ between runs, the rest counts.
    let nonce = u32::from_str_radix(&random_token()[..8], 16).context("random token")?;
    let counter = AtomicU64::new(0);
    Ok(Arc::new(move |buf: &mut Vec<u8>| {
        let n = counter.fetch_add(1, Ordering::Relaxed);
        let fields = &bodies[(n % bodies.len() as u64) as usize];
        let token = key.sign(&code, &format!("{nonce:08x}{n:024x}"), expires);
        let body = format!("jeton={token}{fields}");
        let _ = write!(
            buf,
            "POST {path} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
    }))
}

/// CPU used by the server and by this process during a scenario.
struct CpuClock {
    pid: u32,
    server: Option<Duration>,
    bench: Option<Duration>,
}

impl CpuClock {
    fn start(pid: u32) -> Self {
        Self {
            pid,
            server: server::cpu_time(Some(pid)),
            bench: server::cpu_time(None),
        }
    }

    /// Each side's CPU use as cores busy on average, e.g. "1.62 / 0.31 cores".
    fn finish(self, elapsed: Duration) -> String {
        let used = |before: Option<Duration>, now: Option<Duration>| match (before, now) {
            (Some(before), Some(now)) => format!(
                "{:.2}",
                (now - before).as_secs_f64() / elapsed.as_secs_f64().max(1e-9)
            ),
            _ => "?".to_owned(),
        };
        format!(
            "{} / {} cores",
            used(self.server, server::cpu_time(Some(self.pid))),
            used(self.bench, server::cpu_time(None))
        )
    }
}
