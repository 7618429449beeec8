//! Field reports of 2026 from the front-line structures of the territory, on every theme:
//! what the needs of [`super::needs`] come from.

use anyhow::bail;
use pouls::audit::Actor;
use pouls::domain::{Email, paris};
use pouls::needs::{Lists, ReportDraft, ReportInput};
use pouls::storage::Storage;

/// The partenaire account that files France Services' reports.
const PARTNER: &str = "france-services.sergines@ccyn.demo";

/// A demo field report: organisation, commune (or "territoire"), themes, publics, what
/// was seen, how many people, day.
pub(super) struct Report {
    pub organisation: &'static str,
    pub commune: &'static str,
    pub themes: &'static [&'static str],
    pub publics: &'static [&'static str],
    pub observed: &'static str,
    pub people: &'static str,
    pub day: &'static str,
}

const fn r(
    organisation: &'static str,
    commune: &'static str,
    themes: &'static [&'static str],
    publics: &'static [&'static str],
    observed: &'static str,
    people: &'static str,
    day: &'static str,
) -> Report {
    Report {
        organisation,
        commune,
        themes,
        publics,
        observed,
        people,
        day,
    }
}

impl Report {
    /// The report as typed into the field report form.
    pub(super) fn input(&self) -> ReportInput {
        ReportInput {
            organisation: self.organisation.to_owned(),
            commune: self.commune.to_owned(),
            themes: self.themes.iter().map(|t| (*t).to_owned()).collect(),
            publics: self.publics.iter().map(|p| (*p).to_owned()).collect(),
            observed: self.observed.to_owned(),
            people_count: self.people.to_owned(),
            observed_on: self.day.to_owned(),
        }
    }
}

/// The reports, in the order they were filed; [`super::needs`] names them by index.
#[rustfmt::skip]
pub(super) const REPORTS: &[Report] = &[
    r("france_services", "sergines", &["acces-aux-droits"], &["familles", "eloignes"], "Plusieurs familles renoncent à des rendez-vous à la CAF de Sens faute de transport ; certaines ne savent pas qu'une visio est possible.", "9", "2026-03-12"),
    r("rpe", "michery", &["petite-enfance"], &["familles"], "Trois assistantes maternelles partent en retraite d'ici l'été : les parents du secteur de Michery cherchent déjà une solution pour la rentrée.", "14", "2026-04-03"),
    r("pmi", "villeneuve-la-guyard", &["petite-enfance", "parentalite"], &["familles"], "Demandes répétées d'un lieu d'accueil parents-enfants près de Villeneuve-la-Guyard, surtout de jeunes mères isolées.", "", "2026-05-20"),
    r("association", "courlon-sur-yonne", &["jeunesse", "vie-sociale"], &["jeunes"], "Les 12-15 ans traînent sur la place le soir faute de lieu ; l'association pourrait ouvrir son local le vendredi avec un animateur.", "20", "2026-07-22"),
    r("mission_locale", "territoire", &["jeunesse", "acces-aux-droits"], &["jeunes", "eloignes"], "Jeunes sans permis ni transport : les offres d'emploi à Sens et Montereau restent hors de portée.", "35", "2026-09-08"),
    r("etablissement_scolaire", "vinneuf", &["enfance", "parentalite"], &["familles", "enfants"], "Des parents ne connaissent pas l'accueil de loisirs du mercredi ; l'école propose de relayer l'information.", "", "2026-05-19"),
    r("ccas_mairie", "pont-sur-yonne", &["sante-handicap", "vie-sociale"], &["seniors", "aidants"], "Des aidants de personnes âgées épuisés demandent des temps de répit ; peu connaissent les solutions existantes.", "11", "2026-10-06"),
    r("france_services", "sergines", &["acces-aux-droits"], &["seniors"], "Aide aux démarches en ligne : la demande double depuis la rentrée, surtout des seniors sans ordinateur.", "40", "2026-11-05"),
    r("etablissement_scolaire", "pont-sur-yonne", &["enfance"], &["enfants", "familles"], "La garderie du soir de l'école élémentaire est complète : une douzaine d'enfants attendent une place après 16 h 30.", "12", "2026-01-20"),
    r("service_social", "champigny", &["parentalite", "acces-aux-droits"], &["familles"], "Des parents séparés ne savent pas à qui demander une médiation familiale ; les délais à Sens dépassent trois mois.", "6", "2026-02-10"),
    r("ccas_mairie", "villeblevin", &["vie-sociale", "sante-handicap"], &["seniors"], "Isolement de personnes âgées dans les hameaux l'hiver : le portage de repas ne suffit plus à garder le lien.", "17", "2026-02-24"),
    r("association", "thorigny-sur-oreuse", &["enfance", "vie-sociale"], &["enfants"], "Le centre de loisirs de l'été affiche complet dès avril ; des familles de Thorigny et Cuy se rabattent sur des solutions de fortune.", "23", "2026-04-15"),
    r("pmi", "sergines", &["petite-enfance", "sante-handicap"], &["familles"], "Consultations de PMI à Sergines saturées : des parents de nourrissons attendent six semaines pour un suivi.", "", "2026-05-06"),
    r("mission_locale", "pont-sur-yonne", &["jeunesse"], &["jeunes"], "Plusieurs jeunes de 16 à 18 ans sortis du collège sans solution cherchent un accompagnement près de chez eux.", "8", "2026-06-02"),
    r("rpe", "courlon-sur-yonne", &["petite-enfance", "parentalite"], &["familles", "professionnels"], "Les assistantes maternelles demandent des temps d'éveil collectifs plus proches, le relais de Michery est loin pour elles.", "9", "2026-06-18"),
    r("etablissement_scolaire", "villeneuve-la-guyard", &["enfance", "sante-handicap"], &["enfants", "handicap"], "Manque d'accompagnants pour les enfants en situation de handicap à l'accueil périscolaire.", "4", "2026-09-15"),
    r("france_services", "sergines", &["acces-aux-droits", "parentalite"], &["familles", "nouveaux-arrivants"], "Des familles arrivées cet été ne savent pas comment inscrire leurs enfants à la cantine et au transport scolaire.", "7", "2026-09-22"),
    r("association", "vinneuf", &["vie-sociale"], &["benevoles", "seniors"], "Le club des aînés de Vinneuf cherche des bénévoles pour continuer ses après-midi jeux et ses sorties.", "", "2026-10-01"),
    r("ccas_mairie", "michery", &["acces-aux-droits", "vie-sociale"], &["seniors", "eloignes"], "Personnes âgées sans voiture pour aller au marché et chez le médecin : le transport à la demande est mal connu.", "13", "2026-10-20"),
    r("service_social", "territoire", &["jeunesse", "sante-handicap"], &["jeunes"], "Hausse des situations de mal-être chez les collégiens signalées par les assistantes sociales scolaires.", "", "2026-11-12"),
    r("autre", "chaumont", &["enfance", "jeunesse"], &["enfants", "jeunes"], "Le club de foot de Chaumont refuse des enfants faute d'encadrants ; les parents demandent d'autres activités sportives.", "15", "2026-11-18"),
];

/// Files the reports: France Services' by the partenaire account, the others by `actor`.
/// Returns their ids, in [`REPORTS`] order.
pub(super) async fn fill(
    storage: &Storage,
    actor: &Actor,
    lists: &Lists<'_>,
) -> anyhow::Result<Vec<i64>> {
    let partner = partner(storage).await?;
    let mut ids = Vec::new();
    for (index, report) in REPORTS.iter().enumerate() {
        let input = report.input();
        let draft = ReportDraft::parse(&input, lists, paris::today())
            .map_err(|e| anyhow::anyhow!("report {index}: {e:?}"))?;
        let author = if report.organisation == "france_services" {
            &partner
        } else {
            actor
        };
        ids.push(
            storage
                .in_default_territory()
                .await?
                .create_report(&draft, author)
                .await?,
        );
    }
    Ok(ids)
}

async fn partner(storage: &Storage) -> anyhow::Result<Actor> {
    let email = Email::parse(PARTNER).map_err(|e| anyhow::anyhow!("{e}"))?;
    match storage.account_for_login(&email).await? {
        Some((user, _)) => Ok(Actor::Staff {
            id: user.id,
            email: user.email,
        }),
        None => bail!("the demo partenaire account is missing"),
    }
}
