//! The fictitious Val d'Exemple beside the CCYN: a few field reports and the needs made
//! of them, filed by its own admin, so that the departmental view and the territory menu
//! have two territories to show.

use anyhow::Context;
use pouls::audit::Actor;
use pouls::domain::paris;
use pouls::needs::{Lists, NeedDraft, NeedInput, ReportDraft};
use pouls::storage::{NewSource, TerritoryStorage};

use super::reports::Report;

#[rustfmt::skip]
const REPORTS: [Report; 6] = [
    Report { organisation: "france_services", commune: "exemple-sur-loing", themes: &["acces-aux-droits"], publics: &["seniors"], observed: "Des retraités demandent de l'aide pour leurs démarches de retraite en ligne.", people: "12", day: "2026-03-04" },
    Report { organisation: "rpe", commune: "bourg-d-exemple", themes: &["petite-enfance"], publics: &["familles"], observed: "Peu de places chez les assistantes maternelles pour la rentrée de septembre.", people: "8", day: "2026-04-21" },
    Report { organisation: "association", commune: "saint-modele", themes: &["jeunesse"], publics: &["jeunes"], observed: "Les adolescents demandent un lieu ouvert le samedi après-midi.", people: "15", day: "2026-05-30" },
    Report { organisation: "pmi", commune: "bourg-d-exemple", themes: &["petite-enfance", "parentalite"], publics: &["familles"], observed: "Des parents de jeunes enfants cherchent des temps d'échange entre parents.", people: "", day: "2026-06-12" },
    Report { organisation: "ccas_mairie", commune: "prototype-la-foret", themes: &["acces-aux-droits"], publics: &["seniors", "familles"], observed: "Le bus vers la sous-préfecture ne passe plus qu'une fois par semaine.", people: "6", day: "2026-09-09" },
    Report { organisation: "association", commune: "les-essarts-du-val", themes: &["jeunesse"], publics: &["jeunes"], observed: "Les jeunes de 16 ans sans transport ne trouvent pas de stage.", people: "9", day: "2026-10-14" },
];

/// A need: title, description, theme, communes, publics, the reports it comes from.
type Need = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    &'static [usize],
);

#[rustfmt::skip]
const NEEDS: [Need; 3] = [
    ("Accompagnement aux démarches en ligne", "Les seniors du Val demandent de l'aide pour leurs démarches dématérialisées.", "acces-aux-droits", &["exemple-sur-loing", "prototype-la-foret"], &["seniors"], &[0, 4]),
    ("Places d'accueil du jeune enfant", "Manque de places chez les assistantes maternelles au Bourg-d'Exemple.", "petite-enfance", &["bourg-d-exemple"], &["familles"], &[1, 3]),
    ("Un lieu pour les adolescents", "Un lieu ouvert le week-end, et de l'aide pour les stages.", "jeunesse", &["saint-modele", "les-essarts-du-val"], &["jeunes"], &[2, 5]),
];

pub(super) async fn fill(territory: &TerritoryStorage, actor: &Actor) -> anyhow::Result<()> {
    let codes = |list: Vec<pouls::plan::Labelled>| -> Vec<String> {
        list.into_iter().map(|l| l.code).collect()
    };
    let communes = codes(territory.communes().await?);
    let themes = codes(territory.themes().await?);
    let publics = codes(territory.publics().await?);
    let lists = Lists {
        communes: &communes.iter().map(String::as_str).collect::<Vec<_>>(),
        themes: &themes.iter().map(String::as_str).collect::<Vec<_>>(),
        publics: &publics.iter().map(String::as_str).collect::<Vec<_>>(),
    };
    let mut reports = Vec::new();
    for (index, report) in REPORTS.iter().enumerate() {
        let input = report.input();
        let draft = ReportDraft::parse(&input, &lists, paris::today())
            .map_err(|e| anyhow::anyhow!("example report {index}: {e:?}"))?;
        reports.push(territory.create_report(&draft, actor).await?);
    }
    for (title, description, theme, communes, publics, sources) in NEEDS {
        let input = NeedInput {
            title: title.to_owned(),
            description: description.to_owned(),
            theme: theme.to_owned(),
            communes: communes.iter().map(|c| (*c).to_owned()).collect(),
            publics: publics.iter().map(|p| (*p).to_owned()).collect(),
        };
        let draft = NeedDraft::parse(&input, &lists)
            .map_err(|e| anyhow::anyhow!("example need {title}: {e:?}"))?;
        let sources: Vec<NewSource> = sources
            .iter()
            .map(|&index| reports.get(index).copied().map(NewSource::Report))
            .collect::<Option<_>>()
            .context("an example need names a report the demo lacks")?;
        territory.create_need(&draft, &sources, actor).await?;
    }
    Ok(())
}
