//! The bench's data set, made through the storage API as staff would: an admin account,
//! one open survey of 20 questions tied to plan actions, indicator rules on its questions,
//! and a few field reports and needs so the needs board has every kind of content.

use anyhow::{Context, bail};
use pouls::audit::Actor;
use pouls::auth::{hash_password, random_token};
use pouls::domain::{Email, FieldErrors, NewPassword, Role, paris};
use pouls::indicators::RuleDraft;
use pouls::needs::{Lists, NeedDraft, NeedInput, ReportDraft, ReportInput};
use pouls::staff::CreateAccount;
use pouls::storage::{NewSource, Storage, SurveyChange};
use pouls::survey::{
    CollectionPoint, QuestionDraft, QuestionInput, QuestionKind as K, SurveyDefinition,
    SurveyDraft, SurveyInput, SurveyStatus,
};

/// The staff login the bench uses over HTTP.
pub struct Login {
    pub email: String,
    pub password: String,
}

/// What the scenarios need to know about the data set.
pub struct BenchData {
    pub login: Login,
    pub definition: SurveyDefinition,
    pub point: CollectionPoint,
}

/// A question: kind, label, theme, required, custom options (one a line), max choices,
/// bounds, condition.
type Spec = (
    K,
    &'static str,
    &'static str,
    bool,
    &'static str,
    &'static str,
    (&'static str, &'static str),
    &'static str,
);

#[rustfmt::skip]
const QUESTIONS: [Spec; 20] = [
    (K::Commune, "Dans quelle commune habitez-vous ?", "", true, "", "", ("", ""), ""),
    (K::Public, "Vous êtes venu surtout en tant que :", "", true, "", "", ("", ""), ""),
    (K::AgeBracket, "Quel âge avez-vous ?", "", true, "", "", ("", ""), ""),
    (K::Scale, "Êtes-vous satisfait de la journée ?", "vie-sociale", true, "", "", ("", ""), ""),
    (K::Single, "Comment avez-vous connu l'événement ?", "", true, "Par l'école ou la crèche\nPar le bulletin de ma commune\nPar Facebook\nPar le bouche-à-oreille\nPar une affiche", "", ("", ""), ""),
    (K::Multiple, "Quelles animations avez-vous préférées ?", "vie-sociale", true, "Les jeux en bois\nLe spectacle pour enfants\nLes stands des associations\nLa buvette et le pique-nique\nLe stand santé et prévention\nL'espace parents et tout-petits", "3", ("", ""), ""),
    (K::YesNo, "Est-ce la première fois que vous venez ?", "", true, "", "", ("", ""), ""),
    (K::Single, "Si oui : avec qui êtes-vous venu ?", "", false, "Seul\nEn famille\nAvec des amis\nAvec une association", "", ("", ""), "Q7=oui"),
    (K::Number, "Combien de minutes de trajet pour venir ?", "", true, "", "", ("0", "180"), ""),
    (K::ShortText, "Une idée pour la prochaine édition ?", "", false, "", "", ("", ""), ""),
    (K::Scale, "Les informations des stands vous ont-elles été utiles ?", "sante-handicap", true, "", "", ("", ""), ""),
    (K::YesNo, "Avez-vous un médecin traitant ?", "sante-handicap", true, "", "", ("", ""), ""),
    (K::Multiple, "Qu'est-ce qui vous freine pour prendre soin de votre santé ?", "sante-handicap", true, "Les délais pour avoir un rendez-vous\nLe trajet, sans voiture\nLe coût des soins\nLes démarches en ligne\nLe manque de temps\nRien de particulier", "", ("", ""), ""),
    (K::Single, "Qui garde le plus souvent vos jeunes enfants ?", "petite-enfance", true, "Un parent, à la maison\nUne assistante maternelle\nLa crèche ou la micro-crèche\nLa famille ou des proches\nPas d'enfant de moins de 6 ans", "", ("", ""), ""),
    (K::Number, "Combien d'enfants de moins de 6 ans vivent chez vous ?", "petite-enfance", true, "", "", ("0", "6"), ""),
    (K::YesNo, "Participez-vous régulièrement aux temps de rencontre ?", "vie-sociale", true, "", "", ("", ""), ""),
    (K::Multiple, "Qu'aimeriez-vous voir plus souvent près de chez vous ?", "jeunesse", true, "Des concerts et des soirées\nUn lieu pour les jeunes\nDes sorties sportives\nDes ateliers : cuisine, musique, numérique\nDes transports le soir", "2", ("", ""), ""),
    (K::Scale, "Vous sentez-vous bien informé des services près de chez vous ?", "acces-aux-droits", true, "", "", ("", ""), ""),
    (K::LongText, "Voulez-vous ajouter quelque chose ?", "acces-aux-droits", false, "", "", ("", ""), ""),
    (K::ShortText, "Dans quel domaine pourriez-vous donner un coup de main ?", "", false, "", "", ("", ""), ""),
];

/// Indicator rules: indicator, rule kind, question number (1-based), options counted.
const RULES: [(&str, &str, usize, &[&str]); 7] = [
    ("A1.2", "distribution", 3, &[]),
    ("A1.3", "share", 16, &["oui"]),
    ("A2.2", "distribution", 1, &[]),
    ("A2.5", "share", 4, &["4", "5"]),
    ("A2.6", "responses", 5, &[]),
    ("A9.2", "communes", 1, &[]),
    ("A14.5", "mean", 18, &[]),
];

/// Field reports: organisation, commune, theme, public, what was seen, day.
#[rustfmt::skip]
const REPORTS: [(&str, &str, &str, &str, &str, &str); 4] = [
    ("france_services", "sergines", "acces-aux-droits", "seniors", "La demande d'aide aux démarches en ligne double depuis la rentrée.", "2026-03-12"),
    ("rpe", "michery", "petite-enfance", "familles", "Trois assistantes maternelles partent en retraite d'ici l'été.", "2026-04-03"),
    ("association", "courlon-sur-yonne", "jeunesse", "jeunes", "Les 12-15 ans n'ont pas de lieu le vendredi soir.", "2026-07-22"),
    ("ccas_mairie", "pont-sur-yonne", "sante-handicap", "aidants", "Des aidants épuisés demandent des temps de répit.", "2026-10-06"),
];

fn invalid(what: &str, errors: &FieldErrors) -> anyhow::Error {
    let messages: Vec<String> = errors.iter().map(|(f, m)| format!("{f}: {m}")).collect();
    anyhow::anyhow!("bench data refused for {what}: {}", messages.join("; "))
}

/// Creates everything but the responses.
pub async fn setup(storage: &Storage) -> anyhow::Result<BenchData> {
    let (login, actor) = admin(storage).await?;
    let themes: Vec<String> = storage
        .in_default_territory()
        .await?
        .themes()
        .await?
        .into_iter()
        .map(|t| t.code)
        .collect();
    let themes: Vec<&str> = themes.iter().map(String::as_str).collect();
    let id = survey(storage, &actor, &themes).await?;
    let definition = storage
        .in_default_territory()
        .await?
        .survey_definition(id)
        .await?
        .context("the bench survey vanished")?;
    for (code, kind, number, options) in RULES {
        let question = &definition.questions[number - 1];
        let action: i32 = code[1..]
            .split('.')
            .next()
            .and_then(|n| n.parse().ok())
            .context("indicator code")?;
        let options: Vec<String> = options.iter().map(|o| (*o).to_owned()).collect();
        let draft = RuleDraft::parse(kind, &options, question, &definition.survey.actions, action)
            .map_err(|e| invalid(code, &e))?;
        if let Err(existing) = storage
            .in_default_territory()
            .await?
            .add_rule(code, &draft, &actor)
            .await?
        {
            bail!("{code} is already computed as {}", existing.label());
        }
    }
    needs(storage, &actor).await?;
    let point = storage
        .in_default_territory()
        .await?
        .points(id)
        .await?
        .into_iter()
        .next()
        .context("the bench survey has no collection point")?;
    Ok(BenchData {
        login,
        definition,
        point,
    })
}

async fn admin(storage: &Storage) -> anyhow::Result<(Login, Actor)> {
    let email = Email::parse("bench@pouls.example.org").map_err(|e| anyhow::anyhow!("{e}"))?;
    let password = format!("mesure-{}", &random_token()[..24]);
    let checked =
        NewPassword::parse(&password, Some(&email)).map_err(|e| anyhow::anyhow!("{e}"))?;
    let hash = hash_password(checked).await?;
    let territory = storage.in_default_territory().await?.id();
    let memberships = [pouls::territory::Membership {
        territory,
        role: Role::Admin,
    }];
    let account = pouls::staff::NewAccount {
        email: &email,
        password_hash: &hash,
        memberships: &memberships,
        instance_role: None,
    };
    match storage
        .create_account(&account, &Actor::CommandLine)
        .await?
    {
        CreateAccount::Created(user) => Ok((
            Login {
                email: user.email.to_string(),
                password,
            },
            Actor::Staff {
                id: user.id,
                email: user.email,
            },
        )),
        CreateAccount::EmailTaken => bail!("the bench account already exists"),
    }
}

async fn survey(storage: &Storage, actor: &Actor, themes: &[&str]) -> anyhow::Result<i64> {
    let today = paris::today();
    let opens = time::macros::date!(2026 - 01 - 01).min(today);
    let closes = time::macros::date!(2027 - 06 - 30).max(today + time::Duration::days(200));
    let input = SurveyInput {
        title: "Bench : votre avis sur la vie du territoire".to_owned(),
        intro: "Vingt questions pour mesurer la plateforme.".to_owned(),
        why: "Pour mesurer pouls avec des données réalistes.".to_owned(),
        actions: ["1", "2", "9", "14"].map(str::to_owned).to_vec(),
        themes: [
            "vie-sociale",
            "sante-handicap",
            "petite-enfance",
            "jeunesse",
            "acces-aux-droits",
        ]
        .map(str::to_owned)
        .to_vec(),
        opens_on: opens.to_string(),
        closes_on: closes.to_string(),
        retention_until: String::new(),
    };
    let draft = SurveyDraft::parse(&input, themes).map_err(|e| invalid("the survey", &e))?;
    let id = storage
        .in_default_territory()
        .await?
        .create_survey(&draft, actor)
        .await?;
    for (kind, label, theme, required, options, max, bounds, condition) in QUESTIONS {
        let input = QuestionInput {
            kind: kind.code().to_owned(),
            label: label.to_owned(),
            help: String::new(),
            required,
            theme: theme.to_owned(),
            max_choices: max.to_owned(),
            min_value: bounds.0.to_owned(),
            max_value: bounds.1.to_owned(),
            scale_min_label: if kind == K::Scale { "Pas du tout" } else { "" }.to_owned(),
            scale_max_label: if kind == K::Scale { "Tout à fait" } else { "" }.to_owned(),
            new_options: options.to_owned(),
            option_edits: Vec::new(),
            condition: condition.to_owned(),
        };
        let earlier = storage
            .in_default_territory()
            .await?
            .survey_definition(id)
            .await?
            .context("the bench survey vanished")?
            .questions;
        let draft =
            QuestionDraft::parse(&input, &earlier, themes).map_err(|e| invalid(label, &e))?;
        storage
            .in_default_territory()
            .await?
            .add_question(id, &draft, actor)
            .await?;
    }
    match storage
        .in_default_territory()
        .await?
        .set_survey_status(id, SurveyStatus::Open, actor)
        .await?
    {
        SurveyChange::Done => Ok(id),
        other => bail!("cannot open the bench survey: {other:?}"),
    }
}

fn strs(values: &[String]) -> Vec<&str> {
    values.iter().map(String::as_str).collect()
}

async fn needs(storage: &Storage, actor: &Actor) -> anyhow::Result<()> {
    let codes = |list: Vec<pouls::plan::Labelled>| -> Vec<String> {
        list.into_iter().map(|l| l.code).collect()
    };
    let communes = codes(storage.in_default_territory().await?.communes().await?);
    let themes = codes(storage.in_default_territory().await?.themes().await?);
    let publics = codes(storage.in_default_territory().await?.publics().await?);
    let (c, t, p) = (strs(&communes), strs(&themes), strs(&publics));
    let lists = Lists {
        communes: &c,
        themes: &t,
        publics: &p,
    };
    let today = paris::today();
    for (index, (organisation, commune, theme, public, observed, day)) in
        REPORTS.into_iter().enumerate()
    {
        let input = ReportInput {
            organisation: organisation.to_owned(),
            commune: commune.to_owned(),
            themes: vec![theme.to_owned()],
            publics: vec![public.to_owned()],
            observed: observed.to_owned(),
            people_count: "12".to_owned(),
            // A report cannot be dated in the future.
            observed_on: day.min(today.to_string().as_str()).to_owned(),
        };
        let draft = ReportDraft::parse(&input, &lists, today)
            .map_err(|e| invalid(&format!("report {index}"), &e))?;
        let report = storage
            .in_default_territory()
            .await?
            .create_report(&draft, actor)
            .await?;
        let need = NeedInput {
            title: format!("Besoin observé à {commune}"),
            description: observed.to_owned(),
            theme: theme.to_owned(),
            communes: vec![commune.to_owned()],
            publics: vec![public.to_owned()],
        };
        let draft = NeedDraft::parse(&need, &lists).map_err(|e| invalid("a need", &e))?;
        storage
            .in_default_territory()
            .await?
            .create_need(&draft, &[NewSource::Report(report)], actor)
            .await?;
    }
    Ok(())
}
