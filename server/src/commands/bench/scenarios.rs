//! The scenarios that are not a load run: page weight, staff pages (logged in), the
//! storage calls behind them, the CSV export, and the server's metrics.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use pouls::indicators::Period;
use pouls::storage::Storage;

use super::data::Login;
use super::http::{self, Conn, form_encode};
use super::load::median;
use super::server::{RssSampler, memory};

/// Logs in through `/connexion`; returns the `Cookie` header value of the session.
pub async fn login(address: SocketAddr, login: &Login) -> anyhow::Result<String> {
    let mut body = String::from("email=");
    form_encode(&login.email, &mut body);
    body.push_str("&password=");
    form_encode(&login.password, &mut body);
    body.push_str("&suite=%2Fadmin");
    // A same-origin form post, as a browser sends it (the CSRF check reads these).
    let extra = format!(
        "Content-Type: application/x-www-form-urlencoded\r\nOrigin: http://{address}\r\nSec-Fetch-Site: same-origin\r\n"
    );
    let request = http::request("POST", "/connexion", address, &extra, body.as_bytes());
    let (head, _) = http::fetch(address, &request).await?;
    if head.status != 303 {
        bail!("login answered {} instead of 303", head.status);
    }
    let cookie = head
        .header("set-cookie")
        .and_then(|c| c.split(';').next())
        .context("login set no cookie")?;
    Ok(cookie.to_owned())
}

/// Bytes of a resource as sent: raw, brotli, gzip.
#[derive(Debug, Clone, Copy, Default)]
pub struct Weight {
    pub raw: usize,
    pub br: usize,
    pub gzip: usize,
}

async fn weigh(address: SocketAddr, path: &str) -> anyhow::Result<(Weight, Vec<u8>)> {
    let mut weight = Weight::default();
    let mut raw_body = Vec::new();
    for coding in ["identity", "br", "gzip"] {
        let extra = format!("Accept-Encoding: {coding}\r\n");
        let (head, body) =
            http::fetch(address, &http::request("GET", path, address, &extra, b"")).await?;
        if head.status != 200 {
            bail!("GET {path} answered {}", head.status);
        }
        let sent = head.header("content-encoding").unwrap_or("identity");
        if sent != coding {
            bail!("GET {path} with Accept-Encoding {coding} came back as {sent}");
        }
        match coding {
            "br" => weight.br = body.len(),
            "gzip" => weight.gzip = body.len(),
            _ => {
                weight.raw = body.len();
                raw_body = body;
            }
        }
    }
    Ok((weight, raw_body))
}

/// The survey page and its stylesheet (found in the page's `<link rel="stylesheet">`).
pub async fn page_weight(address: SocketAddr, code: &str) -> anyhow::Result<(Weight, Weight)> {
    let (html, page) = weigh(address, &format!("/q/{code}")).await?;
    let page = String::from_utf8_lossy(&page);
    let href = page
        .split("<link")
        .skip(1)
        .filter(|tag| tag.contains("stylesheet"))
        .find_map(|tag| tag.split("href=\"").nth(1)?.split('"').next())
        .context("no stylesheet link in the survey page")?;
    let (css, _) = weigh(address, href).await?;
    Ok((html, css))
}

/// Median time of `runs` GETs of a staff page, each read to its last byte.
pub async fn staff_page(
    address: SocketAddr,
    cookie: &str,
    path: &str,
    runs: usize,
) -> anyhow::Result<Duration> {
    let mut conn = Conn::connect(address).await?;
    let request = http::request("GET", path, address, &format!("Cookie: {cookie}\r\n"), b"");
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        if !conn.is_open() {
            conn = Conn::connect(address).await?;
        }
        let started = Instant::now();
        conn.send(&request).await?;
        let head = conn.receive(false, |_| {}).await?;
        times.push(started.elapsed());
        if head.status != 200 {
            bail!("GET {path} answered {}", head.status);
        }
    }
    Ok(median(times))
}

/// Median times of the storage calls behind the indicators export and the needs board.
pub async fn storage_calls(
    storage: &Storage,
    period: Period,
    runs: usize,
) -> anyhow::Result<(Duration, Duration)> {
    let (mut indicators, mut board) = (Vec::new(), Vec::new());
    let (start, end) = period.bounds();
    let previous = start.checked_sub(end - start).unwrap_or(start);
    for _ in 0..runs {
        let started = Instant::now();
        storage
            .in_default_territory()
            .await?
            .indicator_reports(None, Some(period))
            .await?;
        indicators.push(started.elapsed());
        let started = Instant::now();
        storage
            .in_default_territory()
            .await?
            .needs_board(&period.label(), (start, end), previous, None)
            .await?;
        board.push(started.elapsed());
    }
    Ok((median(indicators), median(board)))
}

/// What the CSV export measured.
#[derive(Debug, Clone, Copy, Default)]
pub struct ExportRun {
    pub rows: u64,
    pub bytes: u64,
    pub elapsed: Duration,
    pub first_byte: Duration,
    pub rss_growth: u64,
}

impl ExportRun {
    pub fn rows_per_second(&self) -> f64 {
        self.rows as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Downloads a survey's responses (wide layout) and counts the rows as they stream in.
pub async fn export(
    address: SocketAddr,
    cookie: &str,
    survey_id: i64,
    pid: u32,
    encoding: &str,
) -> anyhow::Result<ExportRun> {
    let path = format!("/admin/enquetes/{survey_id}/export?format=wide&dialecte=standard");
    let extra = format!("Cookie: {cookie}\r\nAccept-Encoding: {encoding}\r\n");
    let request = http::request("GET", &path, address, &extra, b"");
    let baseline = memory(pid, "VmRSS").unwrap_or(0);
    let sampler = RssSampler::start(pid);
    let mut conn = Conn::connect(address).await?;
    let started = Instant::now();
    conn.send(&request).await?;
    let (mut newlines, mut bytes, mut first_byte) = (0u64, 0u64, None);
    let head = conn
        .receive(false, |chunk| {
            first_byte.get_or_insert_with(|| started.elapsed());
            bytes += chunk.len() as u64;
            newlines += chunk.iter().filter(|b| **b == b'\n').count() as u64;
        })
        .await?;
    let elapsed = started.elapsed();
    let peak = sampler.finish().await;
    if head.status != 200 {
        bail!("the export answered {}", head.status);
    }
    Ok(ExportRun {
        // One line is the header; compressed bodies cannot be counted.
        rows: newlines.saturating_sub(1),
        bytes,
        elapsed,
        first_byte: first_byte.unwrap_or(elapsed),
        rss_growth: peak.saturating_sub(baseline),
    })
}

/// Mean residents' responses per transaction, from `/metrics`.
pub async fn mean_batch(metrics: SocketAddr) -> anyhow::Result<Option<f64>> {
    let (head, body) =
        http::fetch(metrics, &http::request("GET", "/metrics", metrics, "", b"")).await?;
    if head.status != 200 {
        bail!("/metrics answered {}", head.status);
    }
    Ok(batch_mean(&String::from_utf8_lossy(&body)))
}

/// `pouls_submission_batch_size_sum / _count` of a Prometheus exposition.
pub fn batch_mean(exposition: &str) -> Option<f64> {
    let value = |name: &str| {
        exposition.lines().find_map(|line| {
            let rest = line.strip_prefix(name)?;
            let rest = rest.strip_prefix(' ').or_else(|| rest.strip_prefix("{}"))?;
            rest.trim().parse::<f64>().ok()
        })
    };
    let sum = value("pouls_submission_batch_size_sum")?;
    let count = value("pouls_submission_batch_size_count")?;
    (count > 0.0).then(|| sum / count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_batch_size_from_metrics() {
        let text = "# TYPE pouls_submission_batch_size histogram\n\
                    pouls_submission_batch_size_bucket{le=\"1\"} 3\n\
                    pouls_submission_batch_size_sum 120\n\
                    pouls_submission_batch_size_count 10\n";
        assert_eq!(batch_mean(text), Some(12.0));
        assert_eq!(
            batch_mean("pouls_submission_batch_size_count 0\npouls_submission_batch_size_sum 0\n"),
            None
        );
        assert_eq!(batch_mean(""), None);
    }
}
