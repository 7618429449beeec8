//! `pouls indicators --period P [--action N]`: the plan's indicators for a period, as CSV.

use std::io::Write;

use anyhow::Context;
use pouls::domain::ActionNumber;
use pouls::indicators::{Period, describe_source};
use pouls::storage::IndicatorReport;

use crate::prepare_storage;

pub async fn run(database_url: &str, period: &str, action: Option<u8>) -> anyhow::Result<()> {
    let period = Period::parse(period).map_err(|e| anyhow::anyhow!("--period: {e}"))?;
    let action = action
        .map(|n| ActionNumber::new(n).map_err(|e| anyhow::anyhow!("--action: {e}")))
        .transpose()?;
    let storage = prepare_storage(database_url).await?;
    let reports = storage
        .indicator_reports(action.map(|a| i32::from(a.get())), Some(period))
        .await?;
    storage.close().await;
    let stdout = std::io::stdout();
    write_csv(stdout.lock(), &reports).context("cannot write to standard output")?;
    Ok(())
}

/// One row per indicator: values as stored (decimal point), empty when there is none.
pub fn write_csv(out: impl Write, reports: &[IndicatorReport]) -> Result<(), csv::Error> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(["code", "action", "label", "period", "value", "n", "source"])?;
    for report in reports {
        for value in &report.values {
            let figure = value
                .figure()
                .map(|v| v.to_string())
                .or_else(|| value.recorded.as_ref().map(|r| r.text.clone()))
                .unwrap_or_default();
            let n = match (&value.recorded, &value.computed) {
                (None, Some(computed)) => computed.n.to_string(),
                _ => String::new(),
            };
            let source = if value.has_value() {
                describe_source(&report.rules, value)
            } else {
                String::new()
            };
            writer.write_record([
                report.code.as_str(),
                &report.action_number.to_string(),
                report.label.as_str(),
                &value.period.code(),
                &figure,
                &n,
                &source,
            ])?;
        }
    }
    writer.flush()?;
    Ok(())
}
