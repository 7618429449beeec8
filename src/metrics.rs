//! A lock-free histogram written in the Prometheus text format: the submission batch sizes
//! of the group-commit writer and the request latencies of the server.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};

/// Counts of observations at or under each bound, plus their sum.
#[derive(Debug)]
pub struct Histogram {
    bounds: &'static [f64],
    /// One per bound, then one for `+Inf`; not cumulative (summed when rendered).
    buckets: Vec<AtomicU64>,
    count: AtomicU64,
    /// The sum, as the bits of an `f64`.
    sum: AtomicU64,
}

/// Bounds for the number of responses in one write transaction.
pub const BATCH_SIZE_BOUNDS: &[f64] = &[1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0];

/// Bounds for request durations, in seconds.
pub const LATENCY_BOUNDS: &[f64] = &[
    0.000_5, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0,
];

impl Histogram {
    pub fn new(bounds: &'static [f64]) -> Self {
        Self {
            bounds,
            buckets: (0..=bounds.len()).map(|_| AtomicU64::new(0)).collect(),
            count: AtomicU64::new(0),
            sum: AtomicU64::new(0.0_f64.to_bits()),
        }
    }

    pub fn observe(&self, value: f64) {
        let index = self
            .bounds
            .iter()
            .position(|bound| value <= *bound)
            .unwrap_or(self.bounds.len());
        if let Some(bucket) = self.buckets.get(index) {
            bucket.fetch_add(1, Ordering::Relaxed);
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        // A compare-and-swap loop: there is no atomic f64 addition.
        let mut current = self.sum.load(Ordering::Relaxed);
        loop {
            let next = (f64::from_bits(current) + value).to_bits();
            match self.sum.compare_exchange_weak(
                current,
                next,
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => break,
                Err(actual) => current = actual,
            }
        }
    }

    pub fn count(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }

    pub fn sum(&self) -> f64 {
        f64::from_bits(self.sum.load(Ordering::Relaxed))
    }

    /// Appends the `_bucket`, `_sum` and `_count` lines of metric `name`; `labels` is
    /// empty or a list such as `route="/q/{code}",method="POST"`.
    pub fn render(&self, name: &str, labels: &str, out: &mut String) {
        let sep = if labels.is_empty() { "" } else { "," };
        let mut cumulative = 0;
        for (index, bucket) in self.buckets.iter().enumerate() {
            cumulative += bucket.load(Ordering::Relaxed);
            let le = self
                .bounds
                .get(index)
                .map_or_else(|| "+Inf".to_owned(), ToString::to_string);
            let _ = writeln!(
                out,
                "{name}_bucket{{{labels}{sep}le=\"{le}\"}} {cumulative}"
            );
        }
        let braces = if labels.is_empty() {
            String::new()
        } else {
            format!("{{{labels}}}")
        };
        let _ = writeln!(out, "{name}_sum{braces} {}", self.sum());
        let _ = writeln!(out, "{name}_count{braces} {}", self.count());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_cumulative_and_end_with_inf() {
        let histogram = Histogram::new(&[1.0, 10.0]);
        for value in [0.5, 1.0, 5.0, 50.0] {
            histogram.observe(value);
        }
        let mut out = String::new();
        histogram.render("pouls_x", "route=\"/a\"", &mut out);
        assert_eq!(
            out,
            "pouls_x_bucket{route=\"/a\",le=\"1\"} 2\n\
             pouls_x_bucket{route=\"/a\",le=\"10\"} 3\n\
             pouls_x_bucket{route=\"/a\",le=\"+Inf\"} 4\n\
             pouls_x_sum{route=\"/a\"} 56.5\n\
             pouls_x_count{route=\"/a\"} 4\n"
        );
    }

    #[test]
    fn no_labels_means_no_braces_on_sum_and_count() {
        let histogram = Histogram::new(BATCH_SIZE_BOUNDS);
        histogram.observe(3.0);
        let mut out = String::new();
        histogram.render("pouls_batch", "", &mut out);
        assert!(out.contains("pouls_batch_bucket{le=\"4\"} 1\n"));
        assert!(out.contains("pouls_batch_bucket{le=\"2\"} 0\n"));
        assert!(out.ends_with("pouls_batch_sum 3\npouls_batch_count 1\n"));
    }
}
