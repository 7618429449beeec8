//! The load generator: a fixed number of keep-alive connections, each sending one request
//! after the other for a fixed time, then stopping. Latencies are kept per request (a few
//! bytes each) to give exact percentiles.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::http::Conn;

/// Builds the next request into the buffer (cleared beforehand).
pub type MakeRequest = Arc<dyn Fn(&mut Vec<u8>) + Send + Sync>;

/// What a load run measured.
#[derive(Debug, Clone, Default)]
pub struct LoadResult {
    /// Responses with the expected status.
    pub ok: u64,
    /// Other statuses, broken connections, refused connections.
    pub errors: u64,
    /// The first unexpected status or error, to explain the count.
    pub first_error: Option<String>,
    pub elapsed: Duration,
    /// Latency of every completed request, in microseconds, sorted.
    pub latencies: Vec<u32>,
}

impl LoadResult {
    pub fn throughput(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// A percentile (0 to 100) of the latencies, in milliseconds.
    pub fn percentile_ms(&self, p: f64) -> f64 {
        f64::from(percentile(&self.latencies, p)) / 1000.0
    }
}

/// The nearest-rank percentile of sorted values; 0 when there are none.
pub fn percentile(sorted: &[u32], p: f64) -> u32 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// The median of a few timings.
pub fn median(mut values: Vec<Duration>) -> Duration {
    values.sort_unstable();
    values.get(values.len() / 2).copied().unwrap_or_default()
}

/// Runs `concurrency` connections against `address` for `duration`, each request built by
/// `make`; a response counts as a success when its status is `expected`.
pub async fn run(
    address: SocketAddr,
    concurrency: usize,
    duration: Duration,
    expected: u16,
    make: MakeRequest,
) -> LoadResult {
    // Connections are opened before the clock starts.
    let mut conns = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        conns.push(Conn::connect(address).await.ok());
    }
    let started = Instant::now();
    let deadline = started + duration;
    let workers: Vec<_> = conns
        .into_iter()
        .map(|conn| {
            let make = make.clone();
            tokio::spawn(worker(address, conn, deadline, expected, make))
        })
        .collect();
    let mut total = LoadResult::default();
    for worker in workers {
        match worker.await {
            Ok(part) => {
                total.ok += part.ok;
                total.errors += part.errors;
                total.first_error = total.first_error.or(part.first_error);
                total.latencies.extend(part.latencies);
            }
            Err(error) => {
                total.errors += 1;
                total.first_error.get_or_insert(error.to_string());
            }
        }
    }
    total.elapsed = started.elapsed();
    total.latencies.sort_unstable();
    total
}

async fn worker(
    address: SocketAddr,
    mut conn: Option<Conn>,
    deadline: Instant,
    expected: u16,
    make: MakeRequest,
) -> LoadResult {
    let mut result = LoadResult {
        latencies: Vec::with_capacity(64 * 1024),
        ..LoadResult::default()
    };
    let mut request = Vec::with_capacity(4096);
    let fail = |result: &mut LoadResult, message: String| {
        result.errors += 1;
        result.first_error.get_or_insert(message);
    };
    while Instant::now() < deadline {
        let mut open = match conn.take() {
            Some(open) if open.is_open() => open,
            _ => match Conn::connect(address).await {
                Ok(open) => open,
                Err(error) => {
                    fail(&mut result, format!("{error:#}"));
                    // Do not spin on a server that is gone.
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
        };
        request.clear();
        make(&mut request);
        let sent = Instant::now();
        let outcome = match open.send(&request).await {
            Ok(()) => open.receive(false, |_| {}).await,
            Err(error) => Err(error),
        };
        let micros = u32::try_from(sent.elapsed().as_micros()).unwrap_or(u32::MAX);
        match outcome {
            Ok(head) => {
                result.latencies.push(micros);
                if head.status == expected {
                    result.ok += 1;
                } else {
                    fail(&mut result, format!("status {}", head.status));
                }
                conn = Some(open);
            }
            Err(error) => fail(&mut result, format!("{error:#}")),
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let values: Vec<u32> = (1..=100).collect();
        assert_eq!(percentile(&values, 50.0), 50);
        assert_eq!(percentile(&values, 99.0), 99);
        assert_eq!(percentile(&values, 100.0), 100);
        assert_eq!(percentile(&values, 0.0), 1);
        assert_eq!(percentile(&[7], 99.0), 7);
        assert_eq!(percentile(&[], 50.0), 0);
        let result = LoadResult {
            latencies: vec![1000, 2000, 3000, 40_000],
            ok: 4,
            elapsed: Duration::from_secs(2),
            ..LoadResult::default()
        };
        assert!((result.percentile_ms(50.0) - 2.0).abs() < 1e-9);
        assert!((result.percentile_ms(99.0) - 40.0).abs() < 1e-9);
        assert!((result.throughput() - 2.0).abs() < 1e-9);
    }

    #[test]
    fn median_of_timings() {
        let ms = Duration::from_millis;
        assert_eq!(median(vec![ms(9), ms(1), ms(5)]), ms(5));
        assert_eq!(median(Vec::new()), Duration::ZERO);
    }
}
