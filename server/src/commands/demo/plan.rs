//! Indicator settings, rules and recorded values, so the plan's follow-up has content:
//! the Ville à Joie satisfaction question feeds A2.5 and its commune question A2.2.

use anyhow::{Context, bail};
use pouls::audit::Actor;
use pouls::indicators::{IndicatorSettings, RecordDraft, RecordInput, RuleDraft, SettingsInput};
use pouls::storage::Storage;
use pouls::survey::{QuestionKind, SurveyDefinition};

/// The demo survey whose questions feed action 2's indicators.
const VILLE_A_JOIE: &str = "Ville à Joie 2026 : votre avis";

pub(super) async fn fill(storage: &Storage, actor: &Actor) -> anyhow::Result<()> {
    let survey = ville_a_joie(storage).await?;
    let scale = question(&survey, QuestionKind::Scale)?;
    let commune = question(&survey, QuestionKind::Commune)?;

    settings(
        storage,
        actor,
        "A2.5",
        "rate",
        "%",
        Some(("70", "bilan CTG 2022-2025")),
        Some("80"),
        "half",
    )
    .await?;
    rule(storage, actor, "A2.5", &survey, scale, "share", &["4", "5"]).await?;
    settings(
        storage,
        actor,
        "A2.2",
        "count",
        "participants",
        None,
        Some("1500"),
        "year",
    )
    .await?;
    rule(
        storage,
        actor,
        "A2.2",
        &survey,
        commune,
        "distribution",
        &[],
    )
    .await?;
    settings(
        storage,
        actor,
        "A1.2",
        "count",
        "communes",
        Some(("14", "CTG 2022-2025")),
        Some("23"),
        "year",
    )
    .await?;

    record(
        storage,
        actor,
        "A2.1",
        "2026",
        "12",
        "",
        "Agenda des événements du service animation",
        "Dont Ville à Joie, Octobre Rose, les foires et les Nocturnales.",
    )
    .await?;
    record(
        storage,
        actor,
        "A5.1",
        "2026",
        "2",
        "",
        "Service communication",
        "Guide petite enfance et guide jeunesse ; le guide seniors est prévu en 2027.",
    )
    .await?;
    record(storage, actor, "A2.4", "2026", "", "Les familles saluent la gratuité et l'accueil ; l'accessibilité des stands aux poussettes et fauteuils reste à améliorer.", "Bilan de l'équipe d'animation", "").await?;
    Ok(())
}

async fn ville_a_joie(storage: &Storage) -> anyhow::Result<SurveyDefinition> {
    for summary in storage.surveys().await? {
        if summary.survey.title == VILLE_A_JOIE {
            return storage
                .survey_definition(summary.survey.id)
                .await?
                .context("the Ville à Joie survey vanished");
        }
    }
    bail!("the Ville à Joie demo survey is missing")
}

fn question(
    survey: &SurveyDefinition,
    kind: QuestionKind,
) -> anyhow::Result<&pouls::survey::Question> {
    survey
        .questions
        .iter()
        .find(|q| q.kind == kind)
        .with_context(|| format!("no {} question in {VILLE_A_JOIE}", kind.code()))
}

#[expect(
    clippy::too_many_arguments,
    reason = "one call per indicator reads best flat"
)]
async fn settings(
    storage: &Storage,
    actor: &Actor,
    code: &str,
    kind: &str,
    unit: &str,
    baseline: Option<(&str, &str)>,
    target: Option<&str>,
    periodicity: &str,
) -> anyhow::Result<()> {
    let input = SettingsInput {
        kind: kind.to_owned(),
        unit: unit.to_owned(),
        baseline_value: baseline.map(|b| b.0.to_owned()).unwrap_or_default(),
        baseline_label: baseline.map(|b| b.1.to_owned()).unwrap_or_default(),
        target_value: target.unwrap_or_default().to_owned(),
        periodicity: periodicity.to_owned(),
        published: true,
    };
    let settings = IndicatorSettings::parse(code, &input)
        .map_err(|e| anyhow::anyhow!("{code} settings: {e:?}"))?;
    storage.update_indicator_settings(&settings, actor).await?;
    Ok(())
}

async fn rule(
    storage: &Storage,
    actor: &Actor,
    code: &str,
    survey: &SurveyDefinition,
    question: &pouls::survey::Question,
    kind: &str,
    options: &[&str],
) -> anyhow::Result<()> {
    let action: i32 = code[1..]
        .split('.')
        .next()
        .and_then(|n| n.parse().ok())
        .context("indicator code")?;
    let options: Vec<String> = options.iter().map(|o| (*o).to_owned()).collect();
    let draft = RuleDraft::parse(kind, &options, question, &survey.survey.actions, action)
        .map_err(|e| anyhow::anyhow!("{code} rule: {e:?}"))?;
    if let Err(existing) = storage.add_rule(code, &draft, actor).await? {
        bail!("{code} is already computed as {}", existing.label());
    }
    Ok(())
}

#[expect(
    clippy::too_many_arguments,
    reason = "one call per value reads best flat"
)]
async fn record(
    storage: &Storage,
    actor: &Actor,
    code: &str,
    period: &str,
    value: &str,
    text: &str,
    source: &str,
    note: &str,
) -> anyhow::Result<()> {
    let input = RecordInput {
        period: period.to_owned(),
        value: value.to_owned(),
        text: text.to_owned(),
        source: source.to_owned(),
        note: note.to_owned(),
    };
    let draft = RecordDraft::parse(&input).map_err(|e| anyhow::anyhow!("{code} value: {e:?}"))?;
    storage.record_value(code, &draft, actor).await?;
    Ok(())
}
