//! `pouls export ...` and `pouls import responses`: the CSV files from the command line.

use std::path::Path;

use anyhow::{Context, bail};
use pouls::audit::{Actor, AuditAction, AuditEntry};
use pouls::disclosure::Audience;
use pouls::domain::{DateRange, paris};
use pouls::export::{
    Dialect, Labels, Layout, decisions_csv, indicators_csv, needs_csv, reports_csv, responses_csv,
};
use pouls::french::plural;
use pouls::import::{DATE_COLUMN, ImportProblem, ImportTarget, parse_wide};
use pouls::indicators::Period;
use pouls::storage::{ExportFilter, Storage, TerritoryStorage};
use pouls::survey::{CollectionCode, CollectionDate, CollectionPoint, PointKind, SurveyDefinition};
use pouls::territory::TerritorySlug;
use tokio::io::AsyncWriteExt;
use tokio::sync::mpsc;

use crate::config::ExportCommand;
use crate::prepare_storage;

/// A survey by its number or by the code of one of its collection points.
async fn survey(storage: &Storage, reference: &str) -> anyhow::Result<SurveyDefinition> {
    let id = match reference.trim().parse::<i64>() {
        Ok(id) => id,
        Err(_) => {
            let code = CollectionCode::parse(reference).map_err(|_| {
                anyhow::anyhow!("--survey: no survey or collection point {reference:?}")
            })?;
            storage
                .point_by_code(&code)
                .await?
                .with_context(|| format!("--survey: no collection point {reference:?}"))?
                .survey_id
        }
    };
    let territory = storage
        .survey_territory(id)
        .await?
        .with_context(|| format!("--survey: no survey {reference:?}"))?;
    storage
        .in_territory(territory)
        .survey_definition(id)
        .await?
        .with_context(|| format!("--survey: no survey {reference:?}"))
}

async fn point_of(
    storage: &Storage,
    definition: &SurveyDefinition,
    code: &str,
) -> anyhow::Result<CollectionPoint> {
    let code = CollectionCode::parse(code)
        .map_err(|_| anyhow::anyhow!("--point: {code:?} is not a collection point code"))?;
    storage
        .point_by_code(&code)
        .await?
        .filter(|p| p.survey_id == definition.survey.id)
        .with_context(|| format!("--point: {code} is not a collection point of this survey"))
}

async fn labels(territory: &TerritoryStorage) -> anyhow::Result<Labels> {
    let mut labels = Labels::new();
    for list in [
        territory.communes().await?,
        territory.themes().await?,
        territory.publics().await?,
    ] {
        labels.extend(list.into_iter().map(|l| (l.code, l.label)));
    }
    Ok(labels)
}

/// The territory named by `--territory`, else the default one.
async fn territory_of(storage: &Storage, slug: Option<&str>) -> anyhow::Result<TerritoryStorage> {
    let Some(slug) = slug else {
        return Ok(storage.in_default_territory().await?);
    };
    let parsed =
        TerritorySlug::parse(slug).map_err(|e| anyhow::anyhow!("--territory {slug}: {e}"))?;
    let territory = storage.territory_by_slug(&parsed).await?.with_context(|| {
        format!("--territory {slug}: no territory has this slug (see `pouls territory list`)")
    })?;
    Ok(storage.in_territory(territory.id))
}

pub async fn export(what: ExportCommand) -> anyhow::Result<()> {
    let storage = prepare_storage(what.database().url()).await?;
    let territory = match territory_of(&storage, what.territory()).await {
        Ok(territory) => territory,
        Err(error) => {
            storage.close().await;
            return Err(error);
        }
    };
    let mut stdout = tokio::io::stdout();
    let detail = match what {
        ExportCommand::Responses {
            survey: reference,
            layout,
            dialect: d,
            point,
            from,
            to,
            database: _,
        } => {
            let definition = survey(&storage, &reference).await?;
            let layout = Layout::from(layout);
            let dialect = Dialect::from(d.dialect);
            let point_id = match point {
                Some(code) => Some(point_of(&storage, &definition, &code).await?.id),
                None => None,
            };
            let range = DateRange::parse(
                from.as_deref().unwrap_or_default(),
                to.as_deref().unwrap_or_default(),
                ("--from", "--to"),
            )
            .map_err(|errors| {
                let messages: Vec<String> = errors
                    .iter()
                    .map(|(flag, message)| format!("{flag}: {message}"))
                    .collect();
                anyhow::anyhow!(messages.join("; "))
            })?;
            let filter = ExportFilter {
                point_id,
                from: range.from,
                to: range.to,
            };
            let (chunks_in, mut chunks) = mpsc::channel::<Vec<u8>>(8);
            let job = responses_csv(&storage, &definition, layout, dialect, &filter, chunks_in);
            let writer = async {
                while let Some(chunk) = chunks.recv().await {
                    stdout.write_all(&chunk).await?;
                }
                stdout.flush().await
            };
            let (written, output) = tokio::join!(job, writer);
            output.context("cannot write to standard output")?;
            let written = written?;
            format!(
                "réponses de l'enquête {} ({}, {}) : {}, ligne de commande",
                definition.survey.id,
                layout.code(),
                dialect.code(),
                plural(
                    i64::try_from(written).unwrap_or(i64::MAX),
                    "réponse",
                    "réponses"
                )
            )
        }
        ExportCommand::Indicators {
            dialect: d, period, ..
        } => {
            let period = period
                .map(|p| Period::parse(&p).map_err(|e| anyhow::anyhow!("--period: {e}")))
                .transpose()?;
            let bytes = indicators_csv(
                &territory.indicator_reports(None, period).await?,
                Dialect::from(d.dialect),
                Audience::Staff,
            )?;
            stdout.write_all(&bytes).await?;
            "indicateurs, ligne de commande".to_owned()
        }
        ExportCommand::Reports { dialect: d, .. } => {
            let bytes = reports_csv(
                &territory.reports(None).await?,
                &labels(&territory).await?,
                Dialect::from(d.dialect),
            )?;
            stdout.write_all(&bytes).await?;
            "remontées de terrain, ligne de commande".to_owned()
        }
        ExportCommand::Needs { dialect: d, .. } => {
            let bytes = needs_csv(
                &territory.needs(None).await?,
                &labels(&territory).await?,
                Dialect::from(d.dialect),
            )?;
            stdout.write_all(&bytes).await?;
            "besoins, ligne de commande".to_owned()
        }
        ExportCommand::Decisions { dialect: d, .. } => {
            let bytes = decisions_csv(
                &territory.public_decisions().await?,
                Dialect::from(d.dialect),
            )?;
            stdout.write_all(&bytes).await?;
            "décisions, ligne de commande".to_owned()
        }
    };
    stdout.flush().await?;
    storage
        .audit(&AuditEntry::new(&Actor::CommandLine, AuditAction::ExportDownloaded).detail(detail))
        .await?;
    storage.close().await;
    Ok(())
}

pub async fn import(
    database_url: &str,
    reference: &str,
    point: Option<&str>,
    date: Option<&str>,
    file: &Path,
) -> anyhow::Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    if bytes.len() > 50 * 1024 * 1024 {
        bail!("{} is larger than 50 MB", file.display());
    }
    let storage = prepare_storage(database_url).await?;
    let definition = survey(&storage, reference).await?;
    let point = match point {
        Some(code) => point_of(&storage, &definition, code).await?,
        None => storage
            .in_territory(definition.survey.territory)
            .points(definition.survey.id)
            .await?
            .into_iter()
            .find(|p| p.kind == PointKind::Paper)
            .context(
                "this survey has no paper collection point: create one, or name one with --point",
            )?,
    };
    if point.kind != PointKind::Paper {
        bail!("--point: {} is not a paper collection point", point.code);
    }
    let today = paris::today();
    let collected = date
        .map(|day| CollectionDate::parse(day, &definition.survey, &point, today))
        .transpose()
        .map_err(|e| anyhow::anyhow!("--date: {e}"))?;
    let target = ImportTarget {
        point: &point,
        collected,
        today,
    };
    let rows = match parse_wide(&definition, &target, &bytes) {
        Ok(rows) => rows,
        Err(problems) => {
            for problem in &problems {
                eprintln!("{problem}");
            }
            if problems.iter().any(ImportProblem::is_missing_date) {
                eprintln!(
                    "--date: give the day the questionnaires were filled in, or a {DATE_COLUMN} column"
                );
            }
            let count = i64::try_from(problems.len()).unwrap_or(i64::MAX);
            bail!(
                "{} : rien n'a été importé",
                plural(count, "problème", "problèmes")
            );
        }
    };
    let count = rows.len();
    let rows: Vec<(String, i64, Vec<_>)> = rows
        .into_iter()
        .map(|r| (r.token, r.collected.unix(), r.answers))
        .collect();
    let stored = storage.insert_responses(&definition, &point, &rows).await?;
    let (stored_n, count_n) = (
        i64::try_from(stored).unwrap_or(i64::MAX),
        i64::try_from(count).unwrap_or(i64::MAX),
    );
    let detail = format!(
        "{} sur {}, point {}, ligne de commande",
        plural(
            stored_n,
            "réponse papier importée",
            "réponses papier importées"
        ),
        plural(count_n, "ligne", "lignes"),
        point.code
    );
    storage
        .audit(
            &AuditEntry::new(&Actor::CommandLine, AuditAction::ResponsesImported)
                .object("survey", definition.survey.id)
                .detail(detail),
        )
        .await?;
    storage.close().await;
    println!(
        "{} : {}, {}.",
        plural(count_n, "ligne lue", "lignes lues"),
        plural(stored_n, "réponse importée", "réponses importées"),
        plural(count_n - stored_n, "déjà présente", "déjà présentes")
    );
    Ok(())
}
