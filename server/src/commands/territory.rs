//! `pouls territory add` and `pouls territory list`: the territories an instance serves.

use std::path::Path;

use anyhow::{Context, bail};
use pouls::plan::PlanData;
use pouls::storage::AddTerritory;

use crate::prepare_storage;

/// Reads and checks the plan file before opening the database, so a mistake in it
/// writes nothing at all.
pub async fn add(database_url: &str, file: &Path) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("cannot read the plan file {}", file.display()))?;
    let plan = PlanData::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let storage = prepare_storage(database_url).await?;
    let outcome = storage.add_territory(&plan).await;
    storage.close().await;
    match outcome? {
        AddTerritory::Added(territory) => {
            println!(
                "Territoire ajouté : n° {}, {} ({}), {} actions, {} indicateurs.",
                territory.id,
                territory.name,
                territory.slug,
                plan.actions.len(),
                plan.indicator_count()
            );
            Ok(())
        }
        AddTerritory::SlugTaken => bail!(
            "a territory with the slug {:?} exists already: nothing was added",
            plan.territory.slug
        ),
    }
}

pub async fn list(database_url: &str) -> anyhow::Result<()> {
    let storage = prepare_storage(database_url).await?;
    let territories = storage.territories().await;
    storage.close().await;
    for territory in territories? {
        println!(
            "{}\t{}\t{}\t{}",
            territory.id,
            territory.slug,
            territory.kind.code(),
            territory.name
        );
    }
    Ok(())
}
