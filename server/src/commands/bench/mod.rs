//! `pouls bench`: measures the real server over loopback.

use crate::config::{BenchArgs, Settings};

pub async fn run(_settings: &Settings, _args: &BenchArgs) -> anyhow::Result<()> {
    anyhow::bail!("pouls bench is being written")
}
