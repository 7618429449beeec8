//! `pouls backup FILE`: a consistent copy of a SQLite database, taken while it serves.

use std::path::Path;

use anyhow::Context;
use pouls::storage::Storage;

pub async fn run(database_url: &str, file: &Path) -> anyhow::Result<()> {
    if file.exists() {
        anyhow::bail!(
            "{} already exists; pouls backup never overwrites a file",
            file.display()
        );
    }
    let storage = Storage::connect(database_url).await?;
    let started = std::time::Instant::now();
    let result = storage.backup_to(file).await.with_context(|| {
        format!(
            "cannot back up {} to {}",
            storage.location(),
            file.display()
        )
    });
    storage.close().await;
    result?;
    let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or_default();
    println!(
        "Backed up {} to {} ({} bytes in {:.1} s).",
        storage.location(),
        file.display(),
        size,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
