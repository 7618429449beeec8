//! The plan's follow-up as a coordinator would have kept it through 2026: indicator
//! settings, rules tying indicators to the demo surveys' questions, and values recorded
//! by staff with their source and note, so that nearly every action shows figures.

use anyhow::{Context, bail};
use pouls::audit::Actor;
use pouls::indicators::{IndicatorSettings, RecordDraft, RecordInput, RuleDraft, SettingsInput};
use pouls::storage::Storage;
use pouls::survey::SurveyDefinition;

use super::specs::CURRENT;

const VILLE_A_JOIE: &str = "Ville à Joie 2026 : votre avis";
const FOIRE: &str = "Foire de printemps de Michery : vos besoins en petite enfance";
const NOCTURNALES: &str = "Les Nocturnales de Courlon-sur-Yonne : et si on en parlait ?";
const OCTOBRE_ROSE: &str = "Octobre Rose 2026 : prévention santé";

/// Settings: indicator, kind, unit, baseline (value, label), 2030 target, periodicity.
type Settings = (
    &'static str,
    &'static str,
    &'static str,
    Option<(&'static str, &'static str)>,
    &'static str,
    &'static str,
);

#[rustfmt::skip]
const SETTINGS: &[Settings] = &[
    ("A1.2", "count", "communes", Some(("14", "CTG 2022-2025")), "23", "year"),
    ("A1.3", "rate", "%", None, "50", "year"),
    ("A2.2", "count", "participants", None, "1500", "year"),
    ("A2.5", "rate", "%", Some(("70", "bilan CTG 2022-2025")), "80", "half"),
    ("A3.4", "rate", "%", None, "40", "year"),
    ("A6.3", "count", "passages", Some(("420", "fréquentation 2025")), "900", "half"),
    ("A6.5", "score", "/5", None, "4", "year"),
    ("A7.1", "count", "permanences", None, "30", "half"),
    ("A7.2", "count", "communes", Some(("9", "permanences 2025")), "23", "year"),
    ("A8.2", "rate", "%", None, "75", "year"),
    ("A8.4", "count", "réponses", None, "", "year"),
    ("A9.4", "score", "/5", None, "4", "year"),
    ("A12.2", "rate", "%", None, "80", "year"),
    ("A12.3", "rate", "%", None, "85", "year"),
    ("A13.3", "score", "/5", None, "4", "year"),
    ("A15.1", "count", "communes", Some(("16", "diagnostic CTG 2025")), "23", "year"),
];

/// Rules: indicator, survey title, question (position from 0), rule kind, options.
type RuleSpec = (
    &'static str,
    &'static str,
    usize,
    &'static str,
    &'static [&'static str],
);

#[rustfmt::skip]
const RULES: &[RuleSpec] = &[
    ("A1.2", VILLE_A_JOIE, 1, "communes", &[]),
    ("A2.2", VILLE_A_JOIE, 1, "distribution", &[]),
    ("A2.5", VILLE_A_JOIE, 0, "share", &["4", "5"]),
    ("A3.2", NOCTURNALES, 1, "distribution", &[]),
    ("A9.2", OCTOBRE_ROSE, 0, "distribution", &[]),
    ("A9.4", OCTOBRE_ROSE, 5, "mean", &[]),
    ("A15.1", FOIRE, 4, "communes", &[]),
    ("A6.5", CURRENT, 0, "mean", &[]),
    ("A7.2", CURRENT, 1, "communes", &[]),
    ("A8.2", CURRENT, 0, "share", &["4", "5"]),
    ("A8.4", CURRENT, 2, "distribution", &[]),
];

/// Values recorded by staff: indicator, period, number, words, source, note.
type Value = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

#[rustfmt::skip]
const VALUES: &[Value] = &[
    ("A1.1", "2026", "18", "", "Service animation, agenda 2026", "Cafés des parents, après-midi jeux et repas partagés dans 9 communes."),
    ("A1.3", "2026", "34", "", "Feuilles de présence des rencontres", "Part des participants venus à au moins trois rencontres."),
    ("A1.4", "2026", "", "Les participants disent rencontrer des voisins qu'ils ne connaissaient pas ; les hameaux restent peu représentés.", "Bilan de l'équipe d'animation", ""),
    ("A2.1", "2026", "12", "", "Agenda des événements du service animation", "Dont Ville à Joie, Octobre Rose, les foires et les Nocturnales."),
    ("A2.3", "2026", "26", "", "Fiches d'inscription des stands", "Associations, services de la CCYN, CAF, PMI, Mission Locale."),
    ("A2.4", "2026", "", "Les familles saluent la gratuité et l'accueil ; l'accessibilité des stands aux poussettes et fauteuils reste à améliorer.", "Bilan de l'équipe d'animation", ""),
    ("A2.6", "2026", "41", "", "Fiches contact des stands", "Premières prises de contact avec un service ou une association lors des événements."),
    ("A3.1", "2026", "7", "", "Service animation", "Ateliers de co-construction du projet jeunesse et du guide petite enfance."),
    ("A3.4", "2026", "28", "", "Listes d'émargement", "Habitants ressources présents à au moins deux ateliers."),
    ("A3.5", "2026", "", "Les jeunes de Courlon-sur-Yonne se sont approprié le projet de local ; les parents demandent des horaires plus tardifs.", "Compte rendu des ateliers", ""),
    ("A4.1", "2026", "5", "", "Service vie associative", "Dont la fresque du city-stade de Champigny et la bourse aux vélos de Sergines."),
    ("A4.2", "2026", "3", "", "Service communication", "Soirée des bénévoles, exposition photo, remise des trophées de l'engagement."),
    ("A4.4", "2026", "14", "", "Associations partenaires", "Nouveaux bénévoles, dont 6 jeunes de moins de 25 ans."),
    ("A4.5", "2026", "", "Les bénévoles valorisés lors de la soirée disent vouloir s'engager de nouveau ; d'autres attendent d'être sollicités plus tôt.", "Questionnaire remis aux bénévoles", ""),
    ("A5.1", "2026", "2", "", "Service communication", "Guide petite enfance et guide jeunesse ; le guide seniors est prévu en 2027."),
    ("A5.2", "2026", "31", "", "Service communication", "Mairies, écoles, médiathèques, France Services, cabinets médicaux."),
    ("A5.3", "2026", "64", "", "Questionnaire aux professionnels relais", "Part des professionnels qui utilisent le guide pour orienter les familles."),
    ("A5.4", "2026", "", "Le guide petite enfance est jugé clair ; les familles demandent une version en ligne tenue à jour.", "Retours recueillis au RPE et en mairie", ""),
    ("A6.1", "2026", "4", "", "France Services", "Sergines, Pont-sur-Yonne, Villeneuve-la-Guyard et le bus itinérant."),
    ("A6.2", "2026", "12", "", "Réseau des secrétaires de mairie", "Personnes-relais formées à l'orientation vers France Services."),
    ("A6.3", "2026-S1", "283", "", "France Services, registre de fréquentation", "Passages aux permanences de proximité, hors accueil de Sergines."),
    ("A6.3", "2026-S2", "371", "", "France Services, registre de fréquentation", "Hausse liée aux démarches de retraite et d'aide au logement."),
    ("A6.4", "2026", "4", "", "Service communication", "Lettre trimestrielle, ouverte par 38 % des abonnés."),
    ("A7.1", "2026-S1", "9", "", "France Services", "Permanences délocalisées en mairie."),
    ("A7.1", "2026-S2", "14", "", "France Services", "Dont les permanences itinérantes décidées au COTECH d'octobre."),
    ("A7.3", "2026", "186", "", "France Services et Mission Locale", "Personnes rencontrées lors des actions d'aller-vers et orientées."),
    ("A7.5", "2026", "", "Les habitants des petites communes découvrent France Services par la permanence itinérante ; les horaires du jeudi conviennent mal aux actifs.", "Entretiens à la sortie des permanences", ""),
    ("A8.1", "2026", "2", "", "Chargée de coopération CTG", "Parcours petite enfance et parcours jeunesse formalisés avec les partenaires."),
    ("A8.3", "2026", "57", "", "Fiches de liaison des services", "Situations orientées et suivies jusqu'au bon service."),
    ("A8.6", "2026", "3", "", "Services petite enfance, enfance et jeunesse", "Passage RPE vers l'accueil de loisirs, accueil de loisirs vers le local jeunes, fiche commune d'inscription."),
    ("A9.1", "2026", "6", "", "Contrat local de santé", "Octobre Rose, Mois sans tabac, semaine de la parentalité, trois ateliers nutrition."),
    ("A9.3", "2026", "9", "", "Contrat local de santé", "Affiches, dépliants et une exposition itinérante."),
    ("A10.1", "2026", "15", "", "Service social départemental", "Référents de parcours identifiés par secteur."),
    ("A10.2", "2026", "2", "", "Groupe de travail parcours", "Parcours des jeunes sans solution et parcours des aidants."),
    ("A10.3", "2026", "48", "", "Service social départemental", "Personnes accompagnées dans le cadre d'un parcours coordonné."),
    ("A10.4", "2026", "", "Les partenaires savent mieux qui appeler ; les délais de la MDPH restent le point noir.", "Bilan du groupe de travail parcours", ""),
    ("A11.1", "2026", "5", "", "Chargée de coopération CTG", "Rencontres du réseau des partenaires, 62 participants au total."),
    ("A11.2", "2026", "3", "", "Chargée de coopération CTG", "Annuaire partagé, fiche de liaison, agenda commun."),
    ("A11.4", "2026", "3.4", "", "Questionnaire du réseau des partenaires", "Moyenne de 1 à 5 sur la fluidité des parcours."),
    ("A12.1", "2026", "4", "", "Service ressources humaines", "Accueil des publics en difficulté, handicap, numérique, premiers secours en santé mentale."),
    ("A12.2", "2026", "72", "", "Feuilles de présence des formations", "Agents, travailleurs sociaux et bénévoles de 14 structures."),
    ("A12.3", "2026", "88", "", "Questionnaires de fin de formation", ""),
    ("A12.4", "2026", "", "Les agents d'accueil disent mieux repérer les situations de handicap et orienter vers le bon service.", "Entretiens à trois mois des formations", ""),
    ("A13.1", "2026", "6", "", "Relais Petite Enfance", "Analyses de pratiques des assistantes maternelles et des animateurs."),
    ("A13.2", "2026", "68", "", "Relais Petite Enfance", "Assistantes maternelles, animateurs et agents de crèche."),
    ("A13.3", "2026", "4.3", "", "Questionnaires des participants", "Moyenne des notes de 1 à 5."),
    ("A14.1", "2026", "5", "", "Chargée de coopération CTG", "Enquêtes flash, questionnaires papier, tablette en libre-service, remontées de terrain, observatoires."),
    ("A14.5", "2026", "3.6", "", "Questionnaire aux partenaires de l'observatoire", "Moyenne de 1 à 5 sur l'usage des remontées et du tableau de bord."),
    ("A9.5", "2026", "", "Plus de demandes de mammographie après Octobre Rose ; le Mois sans tabac a peu mobilisé.", "Contrat local de santé", ""),
    ("A15.2", "2026", "3", "", "Chargée de coopération CTG", "Diagnostics petite enfance, mobilité et accès aux soins."),
    ("A15.3", "2026", "4", "", "Service petite enfance", "Dont l'étude de micro-crèche de Michery et le lieu d'accueil enfants-parents."),
    ("A15.4", "2026", "", "Les familles trouvent plus facilement le bon interlocuteur depuis le guide ; l'offre de garde reste insuffisante autour de Michery.", "Observatoire petite enfance et parentalité", ""),
    ("A15.5", "2026", "", "Quatre actions ajustées après les observatoires : micro-crèche, permanences itinérantes, local jeunes, accueil périscolaire.", "Chargée de coopération CTG", ""),
    ("A17.3", "2026", "4", "", "Chargée de coopération CTG", "Tableau de bord des besoins, bilan annuel, deux diagnostics thématiques."),
    ("A17.4", "2026", "3.5", "", "Questionnaire aux élus et partenaires", "Moyenne de 1 à 5."),
    ("A17.5", "2026", "", "Les élus reconnaissent le rôle de coordination ; les partenaires demandent un calendrier des instances plus tôt dans l'année.", "Entretiens de fin d'année", ""),
];

pub(super) async fn fill(storage: &Storage, actor: &Actor) -> anyhow::Result<()> {
    for (code, kind, unit, baseline, target, periodicity) in SETTINGS {
        let input = SettingsInput {
            kind: (*kind).to_owned(),
            unit: (*unit).to_owned(),
            baseline_value: baseline.map(|b| b.0.to_owned()).unwrap_or_default(),
            baseline_label: baseline.map(|b| b.1.to_owned()).unwrap_or_default(),
            target_value: (*target).to_owned(),
            periodicity: (*periodicity).to_owned(),
            published: true,
        };
        let settings = IndicatorSettings::parse(code, &input)
            .map_err(|e| anyhow::anyhow!("{code} settings: {e:?}"))?;
        storage
            .in_default_territory()
            .await?
            .update_indicator_settings(&settings, actor)
            .await?;
    }
    let surveys = storage.in_default_territory().await?.surveys().await?;
    for (code, title, position, kind, options) in RULES {
        let summary = surveys
            .iter()
            .find(|s| s.survey.title == *title)
            .with_context(|| format!("the demo survey {title:?} is missing"))?;
        let survey = storage
            .in_default_territory()
            .await?
            .survey_definition(summary.survey.id)
            .await?
            .context("a demo survey vanished")?;
        rule(storage, actor, code, &survey, *position, kind, options).await?;
    }
    for (code, period, value, text, source, note) in VALUES {
        let input = RecordInput {
            period: (*period).to_owned(),
            value: (*value).to_owned(),
            text: (*text).to_owned(),
            source: (*source).to_owned(),
            note: (*note).to_owned(),
        };
        let draft =
            RecordDraft::parse(&input).map_err(|e| anyhow::anyhow!("{code} value: {e:?}"))?;
        if !storage
            .in_default_territory()
            .await?
            .record_value(code, &draft, actor)
            .await?
        {
            bail!("no indicator {code}");
        }
    }
    Ok(())
}

async fn rule(
    storage: &Storage,
    actor: &Actor,
    code: &str,
    survey: &SurveyDefinition,
    position: usize,
    kind: &str,
    options: &[&str],
) -> anyhow::Result<()> {
    let question = survey
        .questions
        .get(position)
        .with_context(|| format!("{code}: no question {position} in {}", survey.survey.title))?;
    let action: i32 = code[1..]
        .split('.')
        .next()
        .and_then(|n| n.parse().ok())
        .context("indicator code")?;
    let options: Vec<String> = options.iter().map(|o| (*o).to_owned()).collect();
    let draft = RuleDraft::parse(kind, &options, question, &survey.survey.actions, action)
        .map_err(|e| anyhow::anyhow!("{code} rule: {e:?}"))?;
    if let Err(existing) = storage
        .in_default_territory()
        .await?
        .add_rule(code, &draft, actor)
        .await?
    {
        bail!("{code} is already computed as {}", existing.label());
    }
    Ok(())
}
