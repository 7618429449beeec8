//! The results table: each figure beside its target, in Markdown so it can be pasted into
//! BENCHMARKS.md as printed.

use std::fmt::Write;
use std::time::Duration;

use super::load::LoadResult;

/// One line of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub scenario: String,
    pub measure: String,
    pub value: String,
    pub target: String,
    /// `None` for figures without a target.
    pub met: Option<bool>,
}

#[derive(Debug, Default)]
pub struct Report {
    pub title: String,
    pub rows: Vec<Row>,
    pub notes: Vec<String>,
}

impl Report {
    /// A figure without a target.
    pub fn info(&mut self, scenario: &str, measure: &str, value: String) {
        self.rows.push(Row {
            scenario: scenario.to_owned(),
            measure: measure.to_owned(),
            value,
            target: String::new(),
            met: None,
        });
    }

    /// A figure checked against its target.
    pub fn check(&mut self, scenario: &str, measure: &str, value: String, target: &str, met: bool) {
        self.rows.push(Row {
            scenario: scenario.to_owned(),
            measure: measure.to_owned(),
            value,
            target: target.to_owned(),
            met: Some(met),
        });
    }

    /// The rows of a load run: throughput, latencies, errors, memory.
    pub fn load(
        &mut self,
        scenario: &str,
        result: &LoadResult,
        (min_rate, max_p99_ms): (f64, Option<f64>),
        (peak_rss, hwm): (u64, Option<u64>),
    ) {
        let rate = result.throughput();
        self.check(
            scenario,
            "throughput",
            format!("{} req/s", thousands(rate.round() as u64)),
            &format!(">= {} req/s", thousands(min_rate as u64)),
            rate >= min_rate,
        );
        let (p50, p99) = (result.percentile_ms(50.0), result.percentile_ms(99.0));
        let latency = format!("{p50:.1} / {p99:.1} ms");
        match max_p99_ms {
            Some(max) => self.check(
                scenario,
                "p50 / p99 latency",
                latency,
                &format!("p99 <= {max} ms"),
                p99 <= max,
            ),
            None => self.info(scenario, "p50 / p99 latency", latency),
        }
        let errors = match &result.first_error {
            Some(first) => format!("{} (first: {first})", thousands(result.errors)),
            None => thousands(result.errors),
        };
        self.check(scenario, "errors", errors, "0", result.errors == 0);
        self.info(
            scenario,
            "requests",
            format!(
                "{} in {:.1} s",
                thousands(result.ok),
                result.elapsed.as_secs_f64()
            ),
        );
        let hwm = hwm.map_or_else(|| "?".to_owned(), megabytes);
        self.info(
            scenario,
            "server RSS peak / VmHWM",
            format!("{} / {hwm}", megabytes(peak_rss)),
        );
    }

    pub fn render(&self) -> String {
        let mut out = format!("### {}\n\n", self.title);
        out.push_str("| Scenario | Measure | Value | Target | Met |\n|---|---|---|---|---|\n");
        let mut previous = "";
        for row in &self.rows {
            // The scenario is named once for its group of rows.
            let scenario = if row.scenario == previous {
                ""
            } else {
                row.scenario.as_str()
            };
            previous = &row.scenario;
            let met = match row.met {
                Some(true) => "yes",
                Some(false) => "**NO**",
                None => "",
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {met} |",
                cell(scenario),
                cell(&row.measure),
                cell(&row.value),
                cell(&row.target)
            );
        }
        for note in &self.notes {
            let _ = write!(out, "\n{note}\n");
        }
        out
    }

    pub fn missed(&self) -> usize {
        self.rows.iter().filter(|r| r.met == Some(false)).count()
    }
}

/// A table cell: pipes would split it.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// 1234567 as "1,234,567".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Bytes in MB (10^6), one decimal.
pub fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

/// Bytes in KB (1,024), one decimal, with the exact count.
pub fn kilobytes(bytes: usize) -> String {
    format!(
        "{:.1} KB ({} B)",
        bytes as f64 / 1024.0,
        thousands(bytes as u64)
    )
}

pub fn millis(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_numbers() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(megabytes(52_400_000), "52.4 MB");
        assert_eq!(kilobytes(2048), "2.0 KB (2,048 B)");
        assert_eq!(millis(Duration::from_micros(12_345)), "12.3 ms");
    }

    #[test]
    fn renders_a_markdown_table() {
        let mut report = Report {
            title: "SQLite".to_owned(),
            ..Report::default()
        };
        report.check("Export", "rows/s", "250,000".to_owned(), ">= 200,000", true);
        report.check("Export", "first byte", "1.2 s".to_owned(), "< 1 s", false);
        report.info("Fill", "a|b", "1".to_owned());
        let table = report.render();
        assert!(table.contains("| Export | rows/s | 250,000 | >= 200,000 | yes |"));
        assert!(table.contains("|  | first byte | 1.2 s | < 1 s | **NO** |"));
        assert!(table.contains("| Fill | a\\|b | 1 |  |  |"));
        assert_eq!(report.missed(), 1);
    }
}
