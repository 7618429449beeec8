//! Retention: responses are deleted once their survey's retention date has passed, by
//! `pouls purge` and by a daily task in the server.

use std::time::Duration;

use pouls::audit::Actor;
use pouls::domain::paris;
use pouls::storage::{PurgeReport, Storage};

use crate::prepare_storage;

pub async fn run(database_url: &str, dry_run: bool) -> anyhow::Result<()> {
    let storage = prepare_storage(database_url).await?;
    let reports = storage
        .purge_expired(paris::today(), dry_run, &Actor::CommandLine)
        .await?;
    storage.close().await;
    print!("{}", describe(&reports, dry_run));
    Ok(())
}

fn describe(reports: &[PurgeReport], dry_run: bool) -> String {
    if reports.is_empty() {
        return "Aucune réponse à supprimer : aucune enquête n'a dépassé sa durée de conservation.\n".to_owned();
    }
    let (one, many) = if dry_run {
        ("réponse serait supprimée", "réponses seraient supprimées")
    } else {
        ("réponse supprimée", "réponses supprimées")
    };
    reports
        .iter()
        .map(|r| {
            format!(
                "Enquête {} « {} » : {}.\n",
                r.survey_id,
                r.title,
                pouls::french::plural(r.responses, one, many)
            )
        })
        .collect()
}

/// Runs the purge shortly after start, then once a day. Several instances may all run it:
/// each survey is purged in its own transaction, so the second finds nothing left.
pub async fn daily(storage: Storage) {
    let mut interval = tokio::time::interval_at(
        tokio::time::Instant::now() + Duration::from_secs(60),
        Duration::from_secs(24 * 3600),
    );
    loop {
        interval.tick().await;
        match storage
            .purge_expired(paris::today(), false, &Actor::System)
            .await
        {
            Ok(reports) => {
                for report in reports {
                    tracing::info!(
                        survey = report.survey_id,
                        responses = report.responses,
                        "retention: responses deleted"
                    );
                }
            }
            Err(error) => tracing::error!(%error, "retention purge failed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_in_french() {
        assert!(describe(&[], true).starts_with("Aucune réponse à supprimer"));
        let report = PurgeReport {
            survey_id: 3,
            title: "Foire".into(),
            responses: 12,
        };
        assert_eq!(
            describe(std::slice::from_ref(&report), true),
            "Enquête 3 « Foire » : 12 réponses seraient supprimées.\n"
        );
        assert_eq!(
            describe(&[report], false),
            "Enquête 3 « Foire » : 12 réponses supprimées.\n"
        );
        let one = PurgeReport {
            survey_id: 4,
            title: "Nocturnales".into(),
            responses: 1,
        };
        assert_eq!(
            describe(&[one], true),
            "Enquête 4 « Nocturnales » : 1 réponse serait supprimée.\n"
        );
    }
}
