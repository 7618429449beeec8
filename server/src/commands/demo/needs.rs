//! Field reports from several kinds of front-line structures, needs at each status, and
//! two past observatory meetings with attendance, decisions and a frozen board.

use anyhow::{Context, bail};
use pouls::audit::Actor;
use pouls::domain::{Email, paris};
use pouls::needs::{
    DecisionDraft, DecisionInput, MeetingDraft, MeetingInput, NeedDraft, NeedStatus, ReportDraft,
    ReportInput,
};
use pouls::storage::{NewSource, Storage};
use time::macros::date;

/// The partenaire account that files France Services' reports.
const PARTNER: &str = "france-services.sergines@ccyn.demo";

/// A demo field report: organisation, commune (or "territoire"), themes, publics, what
/// was seen, how many people, day.
type ReportSpec = (
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    &'static str,
    &'static str,
    &'static str,
);

#[rustfmt::skip]
const REPORTS: &[ReportSpec] = &[
    ("france_services", "sergines", &["acces-aux-droits"], &["familles", "eloignes"], "Plusieurs familles renoncent à des rendez-vous à la CAF de Sens faute de transport ; certaines ne savent pas qu'une visio est possible.", "9", "2026-03-12"),
    ("rpe", "michery", &["petite-enfance"], &["familles"], "Trois assistantes maternelles partent en retraite d'ici l'été : les parents du secteur de Michery cherchent déjà une solution pour la rentrée.", "14", "2026-04-03"),
    ("pmi", "villeneuve-la-guyard", &["petite-enfance", "sante-handicap"], &["familles"], "Demandes répétées d'un lieu d'accueil parents-enfants près de Villeneuve-la-Guyard, surtout de jeunes mères isolées.", "", "2026-05-20"),
    ("association", "courlon-sur-yonne", &["jeunesse", "vie-sociale"], &["jeunes"], "Les 12-15 ans traînent sur la place le soir faute de lieu ; l'association pourrait ouvrir son local le vendredi avec un animateur.", "20", "2026-07-22"),
    ("mission_locale", "territoire", &["jeunesse", "acces-aux-droits"], &["jeunes", "eloignes"], "Jeunes sans permis ni transport : les offres d'emploi à Sens et Montereau restent hors de portée.", "35", "2026-09-08"),
    ("etablissement_scolaire", "vinneuf", &["enfance", "parentalite"], &["familles", "enfants"], "Des parents ne connaissent pas l'accueil de loisirs du mercredi ; l'école propose de relayer l'information.", "", "2026-09-29"),
    ("ccas_mairie", "pont-sur-yonne", &["sante-handicap", "vie-sociale"], &["seniors", "aidants"], "Des aidants de personnes âgées épuisés demandent des temps de répit ; peu connaissent les solutions existantes.", "11", "2026-10-06"),
    ("france_services", "sergines", &["acces-aux-droits"], &["seniors"], "Aide aux démarches en ligne : la demande double depuis la rentrée, surtout des seniors sans ordinateur.", "40", "2026-11-05"),
];

pub(super) async fn fill(storage: &Storage, actor: &Actor) -> anyhow::Result<()> {
    let partner = partner(storage).await?;
    let (communes, themes, publics) = lists(storage).await?;
    let lists = pouls::needs::Lists {
        communes: &communes.iter().map(String::as_str).collect::<Vec<_>>(),
        themes: &themes.iter().map(String::as_str).collect::<Vec<_>>(),
        publics: &publics.iter().map(String::as_str).collect::<Vec<_>>(),
    };
    let mut reports = Vec::new();
    for (index, (organisation, commune, themes, publics, observed, people, day)) in
        REPORTS.iter().enumerate()
    {
        let input = ReportInput {
            organisation: (*organisation).to_owned(),
            commune: (*commune).to_owned(),
            themes: themes.iter().map(|t| (*t).to_owned()).collect(),
            publics: publics.iter().map(|p| (*p).to_owned()).collect(),
            observed: (*observed).to_owned(),
            people_count: (*people).to_owned(),
            observed_on: (*day).to_owned(),
        };
        let draft = ReportDraft::parse(&input, &lists, paris::today())
            .map_err(|e| anyhow::anyhow!("report {index}: {e:?}"))?;
        let author = if *organisation == "france_services" {
            &partner
        } else {
            actor
        };
        reports.push(storage.create_report(&draft, author).await?);
    }

    let transport = need(storage, actor, &lists, "Transport vers les services à Sens", "Des familles et des jeunes du nord du territoire renoncent à des rendez-vous et à des emplois faute de transport.", "acces-aux-droits", &["sergines", "courlon-sur-yonne"], &[NewSource::Report(reports[0]), NewSource::Report(reports[4])]).await?;
    let childcare = need(storage, actor, &lists, "Places d'accueil du jeune enfant autour de Michery", "Départs en retraite d'assistantes maternelles sans relève : une trentaine de familles sans solution à la rentrée.", "petite-enfance", &["michery"], &[NewSource::Report(reports[1])]).await?;
    let youth = need(
        storage,
        actor,
        &lists,
        "Un lieu pour les 12-15 ans le soir",
        "Les jeunes ados de Courlon-sur-Yonne demandent un lieu et des activités le vendredi soir.",
        "jeunesse",
        &["courlon-sur-yonne"],
        &[NewSource::Report(reports[3])],
    )
    .await?;
    let respite = need(
        storage,
        actor,
        &lists,
        "Répit pour les aidants",
        "Des aidants épuisés, qui ne connaissent pas les solutions de répit.",
        "sante-handicap",
        &["pont-sur-yonne"],
        &[NewSource::Report(reports[6])],
    )
    .await?;
    let leisure = need(
        storage,
        actor,
        &lists,
        "Faire connaître l'accueil de loisirs du mercredi",
        "Information des familles de Vinneuf sur l'accueil de loisirs.",
        "enfance",
        &["vinneuf"],
        &[NewSource::Report(reports[5])],
    )
    .await?;
    storage
        .set_need_status(
            childcare,
            NeedStatus::Qualifie,
            "Confirmé par le RPE et la PMI",
            actor,
        )
        .await?;
    for status in [NeedStatus::Qualifie, NeedStatus::PrisEnCompte] {
        storage
            .set_need_status(transport, status, "Examiné en COTECH", actor)
            .await?;
    }
    storage
        .set_need_status(youth, NeedStatus::Qualifie, "", actor)
        .await?;
    for status in [
        NeedStatus::Qualifie,
        NeedStatus::PrisEnCompte,
        NeedStatus::Clos,
    ] {
        storage
            .set_need_status(leisure, status, "Information relayée par l'école", actor)
            .await?;
    }

    let june = meeting(
        storage,
        actor,
        "observatoire",
        "Observatoire petite enfance et parentalité",
        Some("petite-enfance"),
        date!(2026 - 06 - 25),
        "Pont-sur-Yonne, siège de la CCYN",
        [6, 14, 8, 6],
        [4, 11, 6, 3],
        &[childcare, leisure],
    )
    .await?;
    decision(
        storage,
        actor,
        june,
        "15",
        Some(childcare),
        "Étudier l'ouverture d'une micro-crèche intercommunale à Michery",
        "Service petite enfance",
        "2027-03-31",
        "en_cours",
    )
    .await?;
    decision(
        storage,
        actor,
        june,
        "5",
        Some(leisure),
        "Ajouter l'accueil de loisirs au guide petite enfance et le diffuser par les écoles",
        "Service communication",
        "2026-09-01",
        "fait",
    )
    .await?;
    let october = meeting(
        storage,
        actor,
        "cotech",
        "COTECH accès aux droits",
        Some("acces-aux-droits"),
        date!(2026 - 10 - 15),
        "France Services, Sergines",
        [3, 10, 9, 4],
        [2, 9, 5, 2],
        &[transport, respite],
    )
    .await?;
    decision(storage, actor, october, "7", Some(transport), "Permanence France Services itinérante deux jeudis par mois à Sergines et Courlon-sur-Yonne", "France Services", "2027-01-15", "en_cours").await?;
    decision(
        storage,
        actor,
        october,
        "9",
        Some(respite),
        "Temps de répit pour les aidants avec le CLS au printemps",
        "Chargée de coopération CTG",
        "2027-04-30",
        "a_faire",
    )
    .await?;
    for (id, day) in [
        (june, date!(2026 - 06 - 25)),
        (october, date!(2026 - 10 - 15)),
    ] {
        let start = day
            .replace_month(time::Month::January)
            .and_then(|d| d.replace_day(1))
            .context("date")?;
        let label = format!("du 1er janvier au {}", day);
        let board = storage
            .needs_board(
                &label,
                (start, day.next_day().context("date")?),
                start.replace_year(2025).context("date")?,
                None,
            )
            .await?;
        storage
            .freeze_meeting_board(id, &serde_json::to_string(&board)?, actor)
            .await?;
    }
    Ok(())
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

async fn lists(storage: &Storage) -> anyhow::Result<(Vec<String>, Vec<String>, Vec<String>)> {
    let codes = |list: Vec<pouls::plan::Labelled>| list.into_iter().map(|l| l.code).collect();
    Ok((
        codes(storage.communes().await?),
        codes(storage.themes().await?),
        codes(storage.publics().await?),
    ))
}

#[expect(
    clippy::too_many_arguments,
    reason = "one call per demo need reads best flat"
)]
async fn need(
    storage: &Storage,
    actor: &Actor,
    lists: &pouls::needs::Lists<'_>,
    title: &str,
    description: &str,
    theme: &str,
    communes: &[&str],
    sources: &[NewSource],
) -> anyhow::Result<i64> {
    let input = pouls::needs::NeedInput {
        title: title.to_owned(),
        description: description.to_owned(),
        theme: theme.to_owned(),
        communes: communes.iter().map(|c| (*c).to_owned()).collect(),
        publics: Vec::new(),
    };
    let draft =
        NeedDraft::parse(&input, lists).map_err(|e| anyhow::anyhow!("need {title}: {e:?}"))?;
    Ok(storage.create_need(&draft, sources, actor).await?)
}

#[expect(
    clippy::too_many_arguments,
    reason = "one call per demo meeting reads best flat"
)]
async fn meeting(
    storage: &Storage,
    actor: &Actor,
    kind: &str,
    title: &str,
    theme: Option<&str>,
    held_on: time::Date,
    place: &str,
    invited: [i64; 4],
    present: [i64; 4],
    agenda: &[i64],
) -> anyhow::Result<i64> {
    let input = MeetingInput {
        kind: kind.to_owned(),
        title: title.to_owned(),
        theme: theme.unwrap_or_default().to_owned(),
        held_on: held_on.to_string(),
        place: place.to_owned(),
        notes: "Tour de table des constats, puis examen des besoins inscrits à l'ordre du jour."
            .to_owned(),
        invited: invited.map(|n| n.to_string()),
        present: present.map(|n| n.to_string()),
        agenda: agenda.iter().map(i64::to_string).collect(),
    };
    let themes: Vec<String> = storage
        .themes()
        .await?
        .into_iter()
        .map(|t| t.code)
        .collect();
    let themes: Vec<&str> = themes.iter().map(String::as_str).collect();
    let draft = MeetingDraft::parse(&input, &themes, agenda)
        .map_err(|e| anyhow::anyhow!("meeting {title}: {e:?}"))?;
    Ok(storage.create_meeting(&draft, actor).await?)
}

#[expect(
    clippy::too_many_arguments,
    reason = "one call per demo decision reads best flat"
)]
async fn decision(
    storage: &Storage,
    actor: &Actor,
    meeting: i64,
    action: &str,
    need: Option<i64>,
    what: &str,
    owner: &str,
    due_on: &str,
    status: &str,
) -> anyhow::Result<()> {
    let (_, agenda) = storage
        .meeting(meeting)
        .await?
        .map(|(m, d)| (d, m.agenda))
        .context("meeting")?;
    let input = DecisionInput {
        action: action.to_owned(),
        need: need.map(|n| n.to_string()).unwrap_or_default(),
        what: what.to_owned(),
        owner: owner.to_owned(),
        due_on: due_on.to_owned(),
        status: status.to_owned(),
    };
    let draft =
        DecisionDraft::parse(&input, &agenda).map_err(|e| anyhow::anyhow!("decision: {e:?}"))?;
    storage
        .add_decision(meeting, &draft, actor)
        .await?
        .context("decision not stored")?;
    Ok(())
}
