//! Needs qualified from the field reports of [`super::reports`] (and from answers), with a
//! status history dated as it happened through 2026, and the year's four meetings with
//! their attendance, decisions and the board frozen on the day they were held.

use anyhow::Context;
use pouls::audit::Actor;
use pouls::domain::paris;
use pouls::needs::{
    DecisionDraft, DecisionInput, Lists, MeetingDraft, MeetingInput, NeedDraft, NeedInput,
    NeedStatus,
};
use pouls::storage::{NewSource, Storage};
use pouls::survey::parse_french_date;
use time::Date;

use super::reports;

/// A need: what it is, where it comes from (reports by their index in
/// [`reports::REPORTS`]), when it was noted and how its status moved since.
struct NeedSpec {
    title: &'static str,
    description: &'static str,
    theme: &'static str,
    communes: &'static [&'static str],
    publics: &'static [&'static str],
    reports: &'static [usize],
    created: &'static str,
    history: &'static [(NeedStatus, &'static str, &'static str)],
}

use NeedStatus::{Clos, PrisEnCompte, Qualifie};

#[rustfmt::skip]
const NEEDS: &[NeedSpec] = &[
    NeedSpec { title: "Transport vers les services à Sens", description: "Des familles et des jeunes du nord du territoire renoncent à des rendez-vous et à des emplois faute de transport.", theme: "acces-aux-droits", communes: &["sergines", "courlon-sur-yonne"], publics: &["familles", "jeunes", "eloignes"], reports: &[0, 4], created: "2026-03-16",
        history: &[(Qualifie, "Confirmé par la Mission Locale : les jeunes sont aussi concernés.", "2026-09-10"), (PrisEnCompte, "Examiné en COTECH : permanence itinérante décidée.", "2026-10-15")] },
    NeedSpec { title: "Places d'accueil du jeune enfant autour de Michery", description: "Départs en retraite d'assistantes maternelles sans relève : une trentaine de familles sans solution à la rentrée.", theme: "petite-enfance", communes: &["michery"], publics: &["familles"], reports: &[1], created: "2026-04-08",
        history: &[(Qualifie, "Confirmé par le RPE et la PMI.", "2026-06-25"), (PrisEnCompte, "Étude d'une micro-crèche décidée en observatoire.", "2026-06-25")] },
    NeedSpec { title: "Un lieu pour les 12-15 ans le soir", description: "Les jeunes ados de Courlon-sur-Yonne demandent un lieu et des activités le vendredi soir.", theme: "jeunesse", communes: &["courlon-sur-yonne"], publics: &["jeunes"], reports: &[3], created: "2026-07-27",
        history: &[(Qualifie, "Les réponses des Nocturnales vont dans le même sens.", "2026-09-03"), (PrisEnCompte, "Ouverture du local associatif le vendredi décidée.", "2026-11-26")] },
    NeedSpec { title: "Répit pour les aidants", description: "Des aidants épuisés, qui ne connaissent pas les solutions de répit.", theme: "sante-handicap", communes: &["pont-sur-yonne"], publics: &["aidants", "seniors"], reports: &[6], created: "2026-10-08",
        history: &[(Qualifie, "Examiné en COTECH avec le CLS.", "2026-10-15")] },
    NeedSpec { title: "Faire connaître l'accueil de loisirs du mercredi", description: "Information des familles de Vinneuf sur l'accueil de loisirs.", theme: "enfance", communes: &["vinneuf"], publics: &["familles", "enfants"], reports: &[5], created: "2026-05-21",
        history: &[(Qualifie, "", "2026-06-25"), (PrisEnCompte, "Ajout au guide petite enfance.", "2026-06-25"), (Clos, "Information relayée par l'école à la rentrée.", "2026-09-04")] },
    NeedSpec { title: "Un lieu d'accueil parents-enfants à Villeneuve-la-Guyard", description: "Jeunes parents isolés et assistantes maternelles demandent un lieu d'éveil et de rencontre près de chez eux.", theme: "parentalite", communes: &["villeneuve-la-guyard", "courlon-sur-yonne"], publics: &["familles", "professionnels"], reports: &[2, 14], created: "2026-05-26",
        history: &[(Qualifie, "Partagé par la PMI et le RPE.", "2026-06-25")] },
    NeedSpec { title: "Aide aux démarches en ligne pour les seniors", description: "La demande d'aide aux démarches en ligne double à France Services, surtout de seniors sans ordinateur ni voiture.", theme: "acces-aux-droits", communes: &["sergines", "michery"], publics: &["seniors", "eloignes"], reports: &[7, 18], created: "2026-11-09",
        history: &[] },
    NeedSpec { title: "Places d'accueil périscolaire et de loisirs", description: "Garderies du soir complètes et centre de loisirs de l'été plein dès avril : des enfants de 3 à 11 ans sans solution.", theme: "enfance", communes: &["pont-sur-yonne", "thorigny-sur-oreuse", "villeneuve-la-guyard"], publics: &["enfants", "familles", "handicap"], reports: &[8, 11, 15], created: "2026-04-20",
        history: &[(Qualifie, "Trois écoles et le centre de loisirs font le même constat.", "2026-11-26")] },
    NeedSpec { title: "Rompre l'isolement des aînés des hameaux", description: "Des personnes âgées des hameaux ne voient presque personne l'hiver ; les clubs manquent de bénévoles.", theme: "vie-sociale", communes: &["villeblevin", "vinneuf"], publics: &["seniors", "benevoles"], reports: &[10, 17], created: "2026-03-02",
        history: &[(Qualifie, "Le CCAS et le club des aînés confirment.", "2026-03-19")] },
    NeedSpec { title: "Mal-être des collégiens", description: "Les assistantes sociales scolaires signalent plus de situations de mal-être ; l'offre d'écoute est loin.", theme: "jeunesse", communes: &[], publics: &["jeunes"], reports: &[19], created: "2026-11-16",
        history: &[] },
];

/// A meeting of 2026: kind, title, theme, day, place, attendance (invited then present:
/// élus, professionnels, partenaires, habitants), the needs on its agenda (by index in
/// [`NEEDS`]) and its decisions.
struct MeetingSpec {
    kind: &'static str,
    title: &'static str,
    theme: &'static str,
    held_on: &'static str,
    place: &'static str,
    invited: [i64; 4],
    present: [i64; 4],
    agenda: &'static [usize],
    decisions: &'static [DecisionSpec],
}

/// A decision: the action it adjusts, the need it answers (index in [`NEEDS`]), what
/// changes, who carries it, by when, where it stands.
type DecisionSpec = (
    &'static str,
    Option<usize>,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

#[rustfmt::skip]
const MEETINGS: &[MeetingSpec] = &[
    MeetingSpec { kind: "copil", title: "COPIL de la CTG : feuille de route 2026", theme: "", held_on: "2026-03-19", place: "Pont-sur-Yonne, siège de la CCYN", invited: [12, 6, 10, 2], present: [9, 5, 8, 2], agenda: &[0, 8],
        decisions: &[
            ("16", None, "Réunir un observatoire thématique par semestre et un COTECH accès aux droits à l'automne", "Chargée de coopération CTG", "2026-10-31", "fait"),
            ("1", Some(8), "Lancer des après-midi conviviaux mensuels dans les hameaux avec le club des aînés", "Service animation", "2026-12-31", "en_cours"),
        ] },
    MeetingSpec { kind: "observatoire", title: "Observatoire petite enfance et parentalité", theme: "petite-enfance", held_on: "2026-06-25", place: "Pont-sur-Yonne, siège de la CCYN", invited: [6, 14, 8, 6], present: [4, 11, 6, 3], agenda: &[1, 4, 5],
        decisions: &[
            ("15", Some(1), "Étudier l'ouverture d'une micro-crèche intercommunale à Michery", "Service petite enfance", "2027-03-31", "en_cours"),
            ("5", Some(4), "Ajouter l'accueil de loisirs au guide petite enfance et le diffuser par les écoles", "Service communication", "2026-09-01", "fait"),
            ("6", Some(5), "Ouvrir un lieu d'accueil enfants-parents itinérant deux matinées par mois", "Relais Petite Enfance", "2027-01-31", "a_faire"),
        ] },
    MeetingSpec { kind: "cotech", title: "COTECH accès aux droits", theme: "acces-aux-droits", held_on: "2026-10-15", place: "France Services, Sergines", invited: [3, 10, 9, 4], present: [2, 9, 5, 2], agenda: &[0, 3],
        decisions: &[
            ("7", Some(0), "Permanence France Services itinérante deux jeudis par mois à Sergines et Courlon-sur-Yonne", "France Services", "2027-01-15", "en_cours"),
            ("9", Some(3), "Temps de répit pour les aidants avec le CLS au printemps", "Chargée de coopération CTG", "2027-04-30", "a_faire"),
        ] },
    MeetingSpec { kind: "observatoire", title: "Observatoire enfance, jeunesse et vie sociale", theme: "jeunesse", held_on: "2026-11-26", place: "Salle des fêtes de Courlon-sur-Yonne", invited: [8, 12, 7, 10], present: [6, 10, 5, 7], agenda: &[2, 7],
        decisions: &[
            ("3", Some(2), "Ouvrir le local associatif de Courlon-sur-Yonne le vendredi soir avec un animateur", "Association Courlon Jeunesse", "2027-02-28", "en_cours"),
            ("15", Some(7), "Étendre l'accueil périscolaire de Pont-sur-Yonne jusqu'à 18 h 30 à la rentrée 2027", "Service enfance", "2027-09-01", "a_faire"),
        ] },
];

/// A time of day in Paris on `day` (`hour` after 3 h, clear of clock changes).
fn at(day: Date, hour: i64, minute: i64) -> i64 {
    paris::start_of_day(day) + hour * 3600 + minute * 60
}

fn day(iso: &str) -> anyhow::Result<Date> {
    Ok(parse_french_date(iso)?)
}

pub(super) async fn fill(storage: &Storage, actor: &Actor) -> anyhow::Result<()> {
    let (communes, themes, publics) = lists(storage).await?;
    let lists = Lists {
        communes: &communes.iter().map(String::as_str).collect::<Vec<_>>(),
        themes: &themes.iter().map(String::as_str).collect::<Vec<_>>(),
        publics: &publics.iter().map(String::as_str).collect::<Vec<_>>(),
    };
    let reports = reports::fill(storage, actor, &lists).await?;
    let mut needs = Vec::new();
    for spec in NEEDS {
        let input = NeedInput {
            title: spec.title.to_owned(),
            description: spec.description.to_owned(),
            theme: spec.theme.to_owned(),
            communes: spec.communes.iter().map(|c| (*c).to_owned()).collect(),
            publics: spec.publics.iter().map(|p| (*p).to_owned()).collect(),
        };
        let draft = NeedDraft::parse(&input, &lists)
            .map_err(|e| anyhow::anyhow!("need {}: {e:?}", spec.title))?;
        let sources: Vec<NewSource> = spec
            .reports
            .iter()
            .map(|&index| reports.get(index).copied().map(NewSource::Report))
            .collect::<Option<_>>()
            .context("a need names a report the demo lacks")?;
        let created = at(day(spec.created)?, 10, 15);
        needs.push(
            storage
                .in_default_territory()
                .await?
                .create_need_at(&draft, &sources, actor, created)
                .await?,
        );
    }
    // Status changes in the order they happened, a meeting's at the end of its day.
    let mut changes: Vec<(i64, usize, NeedStatus, &str)> = Vec::new();
    for (index, spec) in NEEDS.iter().enumerate() {
        for (order, (status, note, when)) in (0..).zip(spec.history) {
            changes.push((at(day(when)?, 17, order), index, *status, note));
        }
    }
    changes.sort_by_key(|(when, ..)| *when);
    for (when, index, status, note) in changes {
        storage
            .in_default_territory()
            .await?
            .set_need_status_at(needs[index], status, note, actor, when)
            .await?;
    }
    for spec in MEETINGS {
        meeting(storage, actor, spec, &needs, &themes).await?;
    }
    Ok(())
}

async fn lists(storage: &Storage) -> anyhow::Result<(Vec<String>, Vec<String>, Vec<String>)> {
    let codes = |list: Vec<pouls::plan::Labelled>| list.into_iter().map(|l| l.code).collect();
    Ok((
        codes(storage.in_default_territory().await?.communes().await?),
        codes(storage.in_default_territory().await?.themes().await?),
        codes(storage.in_default_territory().await?.publics().await?),
    ))
}

/// A meeting with its decisions, and the needs board as it stood that day (from the
/// first of January), frozen at the end of the meeting.
async fn meeting(
    storage: &Storage,
    actor: &Actor,
    spec: &MeetingSpec,
    needs: &[i64],
    themes: &[String],
) -> anyhow::Result<()> {
    let agenda: Vec<i64> = spec.agenda.iter().map(|&i| needs[i]).collect();
    let input = MeetingInput {
        kind: spec.kind.to_owned(),
        title: spec.title.to_owned(),
        theme: spec.theme.to_owned(),
        held_on: spec.held_on.to_owned(),
        place: spec.place.to_owned(),
        notes: "Tour de table des constats, puis examen des besoins inscrits à l'ordre du jour."
            .to_owned(),
        invited: spec.invited.map(|n| n.to_string()),
        present: spec.present.map(|n| n.to_string()),
        agenda: agenda.iter().map(i64::to_string).collect(),
    };
    let themes: Vec<&str> = themes.iter().map(String::as_str).collect();
    let draft = MeetingDraft::parse(&input, &themes, &agenda)
        .map_err(|e| anyhow::anyhow!("meeting {}: {e:?}", spec.title))?;
    let id = storage
        .in_default_territory()
        .await?
        .create_meeting(&draft, actor)
        .await?;
    for (action, need, what, owner, due_on, status) in spec.decisions {
        let input = DecisionInput {
            action: (*action).to_owned(),
            need: need.map(|i| needs[i].to_string()).unwrap_or_default(),
            what: (*what).to_owned(),
            owner: (*owner).to_owned(),
            due_on: (*due_on).to_owned(),
            status: (*status).to_owned(),
        };
        let draft = DecisionDraft::parse(&input, &agenda)
            .map_err(|e| anyhow::anyhow!("decision {what}: {e:?}"))?;
        storage
            .in_default_territory()
            .await?
            .add_decision(id, &draft, actor)
            .await?
            .context("decision not stored")?;
    }
    let held_on = day(spec.held_on)?;
    let start = held_on
        .replace_month(time::Month::January)
        .and_then(|d| d.replace_day(1))
        .context("date")?;
    let label = format!("du 1er janvier au {}", pouls::french::date(held_on));
    let board = storage
        .in_default_territory()
        .await?
        .needs_board(
            &label,
            (start, held_on.next_day().context("date")?),
            start.replace_year(start.year() - 1).context("date")?,
            None,
        )
        .await?;
    storage
        .in_default_territory()
        .await?
        .freeze_meeting_board_at(
            id,
            &serde_json::to_string(&board)?,
            actor,
            at(held_on, 17, 30),
        )
        .await?;
    Ok(())
}
