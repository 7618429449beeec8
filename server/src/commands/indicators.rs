//! `pouls indicators --period P [--action N]`: the plan's indicators for a period, as CSV.

use std::io::Write;

use anyhow::Context;
use pouls::domain::ActionNumber;
use pouls::export::{Dialect, indicators_csv};
use pouls::indicators::Period;
use pouls::storage::IndicatorReport;

use crate::prepare_storage;

pub async fn run(database_url: &str, period: &str, action: Option<u8>) -> anyhow::Result<()> {
    let period = Period::parse(period).map_err(|e| anyhow::anyhow!("--period: {e}"))?;
    let action = action
        .map(|n| ActionNumber::new(n).map_err(|e| anyhow::anyhow!("--action: {e}")))
        .transpose()?;
    let storage = prepare_storage(database_url).await?;
    let reports = storage
        .in_default_territory()
        .await?
        .indicator_reports(action.map(|a| i32::from(a.get())), Some(period))
        .await?;
    storage.close().await;
    let stdout = std::io::stdout();
    write_csv(stdout.lock(), &reports).context("cannot write to standard output")?;
    Ok(())
}

/// One row per indicator, in the standard dialect (the columns scripts rely on:
/// code, action, label, period, value, n, source), figures to two decimals at most.
pub fn write_csv(mut out: impl Write, reports: &[IndicatorReport]) -> anyhow::Result<()> {
    out.write_all(&indicators_csv(
        reports,
        Dialect::Standard,
        pouls::disclosure::Audience::Staff,
    )?)?;
    out.flush()?;
    Ok(())
}
