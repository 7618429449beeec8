//! The demo's surveys as staff would type them into the builder, and how residents answer
//! them: four past events of 2026 at the dates the CTG plan names, closed since, and one
//! survey open now, whose dates follow the day the demo runs.

use pouls::survey::{QuestionInput, QuestionKind};

use super::texts::Voice;

/// A day of the demo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Day {
    /// A day of a past event (ISO).
    On(&'static str),
    /// This many days from the day the demo runs: what must be open now.
    FromToday(i64),
}

/// A demo survey: what staff would type into the builder, and how many answer.
pub(super) struct SurveySpec {
    pub title: &'static str,
    pub intro: &'static str,
    pub why: &'static str,
    pub actions: &'static [&'static str],
    pub themes: &'static [&'static str],
    /// The event day, or the first day of collection: the survey opens then.
    pub opens: Day,
    /// The last day of collection; a survey closed by then is closed by staff too.
    pub closes: Day,
    /// The event's commune: more respondents live there.
    pub host: &'static str,
    /// First and last hour at which answers are given on the event's points.
    pub hours: (u64, u64),
    pub responses: usize,
    /// Percent of the responses given online, in the weeks after the event.
    pub online_share: usize,
    pub points: &'static [PointSpec],
    pub questions: &'static [QuestionSpec],
}

/// A collection point of a demo survey, besides the online point every survey gets.
pub(super) struct PointSpec {
    pub label: &'static str,
    pub kind: &'static str,
    pub commune: &'static str,
    /// First and last day of collection.
    pub days: (Day, Day),
    pub live_screen: bool,
    /// Percent of the survey's responses.
    pub share: usize,
}

/// One question of a demo survey and how residents answer it. Start from [`Q`].
pub(super) struct QuestionSpec {
    pub kind: QuestionKind,
    pub label: &'static str,
    pub help: &'static str,
    pub required: bool,
    /// Chance in percent that an optional question is left empty.
    pub skip: u32,
    pub theme: &'static str,
    pub max_choices: &'static str,
    pub bounds: (&'static str, &'static str),
    pub scale: (&'static str, &'static str),
    /// `Q1=oui`: shown only when question Q1 was answered "oui".
    pub condition: &'static str,
    pub answers: Gen,
}

/// How the synthetic residents answer a question.
#[derive(Clone, Copy)]
pub(super) enum Gen {
    /// Options written by staff (their labels), each with a weight: relative for a single
    /// choice, the chance in percent to be ticked for a multiple choice.
    Options(&'static [(&'static str, u32)]),
    /// One option of a fixed list (scale, yes/no, age, public) by code, with weights.
    Codes(&'static [(&'static str, u32)]),
    /// The commune of residence: by population, the event's commune more likely.
    Commune,
    /// A whole number, with weights.
    Number(&'static [(i32, u32)]),
    /// A sentence of this voice (see [`super::texts`]).
    Text(Voice),
}

/// The defaults of a question spec: required, no condition.
pub(super) const Q: QuestionSpec = QuestionSpec {
    kind: QuestionKind::ShortText,
    label: "",
    help: "",
    required: true,
    skip: 0,
    theme: "",
    max_choices: "",
    bounds: ("", ""),
    scale: ("", ""),
    condition: "",
    answers: Gen::Text(Voice::Idea),
};

impl QuestionSpec {
    /// The question form as staff would fill it in.
    pub(super) fn input(&self) -> QuestionInput {
        let new_options = match self.answers {
            Gen::Options(options) => {
                let labels: Vec<&str> = options.iter().map(|(label, _)| *label).collect();
                labels.join("\n")
            }
            _ => String::new(),
        };
        QuestionInput {
            kind: self.kind.code().to_owned(),
            label: self.label.to_owned(),
            help: self.help.to_owned(),
            required: self.required,
            theme: self.theme.to_owned(),
            max_choices: self.max_choices.to_owned(),
            min_value: self.bounds.0.to_owned(),
            max_value: self.bounds.1.to_owned(),
            scale_min_label: self.scale.0.to_owned(),
            scale_max_label: self.scale.1.to_owned(),
            new_options,
            option_edits: Vec::new(),
            condition: self.condition.to_owned(),
        }
    }
}

use Day::{FromToday, On};
use QuestionKind as K;

/// The title of the survey open now, which the browser tests answer.
pub(super) const CURRENT: &str = "Vos services au quotidien : votre avis compte";

/// The five demo surveys, at events the CTG plan names and, open now, at the services.
#[rustfmt::skip]
pub(super) const SURVEYS: &[SurveySpec] = &[
    SurveySpec {
        title: "Foire de printemps de Michery : vos besoins en petite enfance",
        intro: "Parents, futurs parents, grands-parents : dites-nous ce qui vous faciliterait la vie avec les tout-petits. C'est anonyme.",
        why: "Pour adapter l'accueil des jeunes enfants aux besoins des familles du territoire.",
        actions: &["14", "15"],
        themes: &["petite-enfance", "parentalite"],
        opens: On("2026-04-12"),
        closes: On("2026-05-15"),
        host: "michery",
        hours: (9, 17),
        responses: 550,
        online_share: 15,
        points: &[
            PointSpec { label: "Foire de printemps 2026 - stand RPE", kind: "evenement", commune: "michery", days: (On("2026-04-12"), On("2026-04-12")), live_screen: false, share: 55 },
            PointSpec { label: "Foire de printemps 2026 - questionnaires papier", kind: "papier", commune: "michery", days: (On("2026-04-12"), On("2026-04-12")), live_screen: false, share: 30 },
        ],
        questions: &[
            QuestionSpec { kind: K::YesNo, label: "Avez-vous un ou plusieurs enfants de moins de 6 ans ?", theme: "petite-enfance", answers: Gen::Codes(&[("oui", 64), ("non", 36)]), ..Q },
            QuestionSpec { kind: K::Number, label: "Si oui : combien ?", condition: "Q1=oui", bounds: ("1", "6"), answers: Gen::Number(&[(1, 58), (2, 32), (3, 8), (4, 2)]), ..Q },
            QuestionSpec { kind: K::Single, label: "Qui garde le plus souvent votre enfant en journée ?", condition: "Q1=oui", theme: "petite-enfance",
                answers: Gen::Options(&[("Un parent, à la maison", 24), ("Une assistante maternelle", 38), ("La crèche ou la micro-crèche", 18), ("La famille ou des proches", 16), ("Une autre solution", 4)]), ..Q },
            QuestionSpec { kind: K::Multiple, label: "Qu'est-ce qui vous aiderait le plus ?", max_choices: "2", theme: "parentalite",
                answers: Gen::Options(&[("Plus de places en crèche", 52), ("Des horaires d'accueil plus larges", 38), ("Des temps d'éveil parents-enfants", 30), ("De l'aide pour trouver une assistante maternelle", 28), ("Toutes les informations au même endroit", 34)]), ..Q },
            QuestionSpec { kind: K::Commune, label: "Dans quelle commune habitez-vous ?", answers: Gen::Commune, ..Q },
            QuestionSpec { kind: K::AgeBracket, label: "Votre âge", required: false, skip: 10, answers: Gen::Codes(&[("15-17", 1), ("18-25", 12), ("26-39", 52), ("40-59", 22), ("60-74", 10), ("75-plus", 3)]), ..Q },
            QuestionSpec { kind: K::LongText, label: "Racontez-nous votre quotidien avec les tout-petits", theme: "parentalite", required: false, skip: 70, answers: Gen::Text(Voice::EarlyYears), ..Q },
        ],
    },
    SurveySpec {
        title: "Ville à Joie 2026 : votre avis",
        intro: "Vous êtes passé à Ville à Joie ? Dites-nous en deux minutes ce qui vous a plu et ce que nous pouvons faire mieux. C'est anonyme.",
        why: "Vos réponses aident la CCYN et ses partenaires à préparer les prochaines fêtes du territoire.",
        actions: &["1", "2"],
        themes: &["vie-sociale", "parentalite"],
        opens: On("2026-06-13"),
        closes: On("2026-07-15"),
        host: "pont-sur-yonne",
        hours: (10, 18),
        responses: 1200,
        online_share: 15,
        points: &[
            PointSpec { label: "Ville à Joie 2026 - stand CCYN", kind: "evenement", commune: "pont-sur-yonne", days: (On("2026-06-13"), On("2026-06-13")), live_screen: true, share: 55 },
            PointSpec { label: "Ville à Joie 2026 - tablette accueil", kind: "kiosque", commune: "pont-sur-yonne", days: (On("2026-06-13"), On("2026-06-13")), live_screen: false, share: 30 },
        ],
        questions: &[
            QuestionSpec { kind: K::Scale, label: "Êtes-vous satisfait de la journée ?", scale: ("Pas du tout satisfait", "Très satisfait"), theme: "vie-sociale",
                answers: Gen::Codes(&[("1", 3), ("2", 6), ("3", 17), ("4", 40), ("5", 34)]), ..Q },
            QuestionSpec { kind: K::Commune, label: "Dans quelle commune habitez-vous ?", answers: Gen::Commune, ..Q },
            QuestionSpec { kind: K::Public, label: "Vous êtes venu surtout en tant que :", help: "Choisissez ce qui vous correspond le mieux.",
                answers: Gen::Codes(&[("familles", 46), ("enfants", 10), ("jeunes", 12), ("seniors", 14), ("aidants", 3), ("handicap", 3), ("nouveaux-arrivants", 5), ("eloignes", 1), ("benevoles", 4), ("professionnels", 1), ("elus", 1)]), ..Q },
            QuestionSpec { kind: K::Multiple, label: "Quelles animations avez-vous préférées ?", max_choices: "3", theme: "enfance",
                answers: Gen::Options(&[("Les jeux en bois", 48), ("Le spectacle pour enfants", 40), ("Les stands des associations", 30), ("La buvette et le pique-nique", 26), ("Le stand santé et prévention", 14), ("L'espace parents et tout-petits", 22)]), ..Q },
            QuestionSpec { kind: K::YesNo, label: "Est-ce la première fois que vous venez à Ville à Joie ?", answers: Gen::Codes(&[("oui", 38), ("non", 62)]), ..Q },
            QuestionSpec { kind: K::Single, label: "Si oui : comment avez-vous connu Ville à Joie ?", condition: "Q5=oui",
                answers: Gen::Options(&[("Par l'école ou la crèche", 30), ("Par le bulletin de ma commune", 22), ("Par Facebook", 24), ("Par le bouche-à-oreille", 18), ("Par une affiche", 6)]), ..Q },
            QuestionSpec { kind: K::ShortText, label: "Une idée pour la prochaine édition ?", required: false, skip: 70, answers: Gen::Text(Voice::Idea), ..Q },
        ],
    },
    SurveySpec {
        title: "Les Nocturnales de Courlon-sur-Yonne : et si on en parlait ?",
        intro: "Une belle soirée aux Nocturnales ? Aidez-nous à imaginer la suite, pour les jeunes et pour tous. Deux minutes, anonyme.",
        why: "Pour que les animations répondent aux envies des jeunes et des habitants.",
        actions: &["2", "3"],
        themes: &["jeunesse", "vie-sociale"],
        opens: On("2026-07-18"),
        closes: On("2026-08-31"),
        host: "courlon-sur-yonne",
        // An evening event.
        hours: (18, 22),
        responses: 650,
        online_share: 25,
        points: &[
            PointSpec { label: "Nocturnales 2026 - stand jeunesse", kind: "evenement", commune: "courlon-sur-yonne", days: (On("2026-07-18"), On("2026-07-18")), live_screen: true, share: 75 },
        ],
        questions: &[
            QuestionSpec { kind: K::AgeBracket, label: "Quel âge avez-vous ?", answers: Gen::Codes(&[("moins-15", 8), ("15-17", 18), ("18-25", 26), ("26-39", 22), ("40-59", 16), ("60-74", 8), ("75-plus", 2)]), ..Q },
            QuestionSpec { kind: K::Public, label: "Vous êtes plutôt :", required: false, skip: 8,
                answers: Gen::Codes(&[("jeunes", 40), ("familles", 26), ("seniors", 8), ("enfants", 6), ("benevoles", 8), ("nouveaux-arrivants", 6), ("aidants", 2), ("handicap", 2), ("professionnels", 1), ("elus", 1)]), ..Q },
            QuestionSpec { kind: K::Scale, label: "Avez-vous passé une bonne soirée ?", scale: ("Pas du tout", "Excellente soirée"), theme: "vie-sociale", answers: Gen::Codes(&[("1", 2), ("2", 4), ("3", 14), ("4", 38), ("5", 42)]), ..Q },
            QuestionSpec { kind: K::Multiple, label: "Qu'aimeriez-vous voir plus souvent près de chez vous ?", max_choices: "3", theme: "jeunesse",
                answers: Gen::Options(&[("Des concerts et des soirées", 50), ("Un lieu pour les jeunes", 42), ("Des sorties sportives", 30), ("Des ateliers : cuisine, musique, numérique", 26), ("Des transports le soir", 36)]), ..Q },
            QuestionSpec { kind: K::YesNo, label: "Seriez-vous prêt à donner un coup de main comme bénévole ?", answers: Gen::Codes(&[("oui", 22), ("non", 78)]), ..Q },
            QuestionSpec { kind: K::ShortText, label: "Si oui : dans quel domaine ?", condition: "Q5=oui", required: false, skip: 35, answers: Gen::Text(Voice::Volunteering), ..Q },
            QuestionSpec { kind: K::Commune, label: "Où habitez-vous ?", answers: Gen::Commune, ..Q },
            QuestionSpec { kind: K::ShortText, label: "Un mot pour les organisateurs ?", required: false, skip: 75, answers: Gen::Text(Voice::Evening), ..Q },
        ],
    },
    SurveySpec {
        title: "Octobre Rose 2026 : prévention santé",
        intro: "Pendant Octobre Rose, nous voulons savoir comment vous prenez soin de votre santé, et ce qui vous en empêche parfois. Cinq minutes, anonyme.",
        why: "Pour rapprocher la prévention et les soins de chez vous.",
        actions: &["9", "14"],
        themes: &["sante-handicap", "acces-aux-droits"],
        opens: On("2026-10-03"),
        closes: On("2026-11-15"),
        host: "villeneuve-la-guyard",
        hours: (9, 13),
        responses: 600,
        online_share: 25,
        points: &[
            PointSpec { label: "Octobre Rose 2026 - marche rose de Villeneuve-la-Guyard", kind: "evenement", commune: "villeneuve-la-guyard", days: (On("2026-10-03"), On("2026-10-03")), live_screen: true, share: 45 },
            PointSpec { label: "France Services Sergines - accueil", kind: "guichet", commune: "sergines", days: (On("2026-10-05"), On("2026-10-30")), live_screen: false, share: 30 },
        ],
        questions: &[
            QuestionSpec { kind: K::AgeBracket, label: "Quel âge avez-vous ?", answers: Gen::Codes(&[("15-17", 2), ("18-25", 6), ("26-39", 20), ("40-59", 36), ("60-74", 26), ("75-plus", 10)]), ..Q },
            QuestionSpec { kind: K::Commune, label: "Où habitez-vous ?", answers: Gen::Commune, ..Q },
            QuestionSpec { kind: K::YesNo, label: "Avez-vous un médecin traitant ?", theme: "sante-handicap", answers: Gen::Codes(&[("oui", 84), ("non", 16)]), ..Q },
            QuestionSpec { kind: K::Number, label: "Si oui : combien de minutes vous faut-il pour aller à son cabinet ?", condition: "Q3=oui", bounds: ("0", "180"), required: false, skip: 12,
                answers: Gen::Number(&[(5, 8), (10, 18), (15, 22), (20, 18), (25, 8), (30, 12), (40, 6), (45, 4), (60, 4)]), ..Q },
            QuestionSpec { kind: K::Multiple, label: "Qu'est-ce qui vous freine pour prendre soin de votre santé ?", theme: "sante-handicap",
                answers: Gen::Options(&[("Les délais pour avoir un rendez-vous", 58), ("Le trajet, sans voiture", 34), ("Le coût des soins", 22), ("Les démarches en ligne", 18), ("Le manque de temps", 26), ("Rien de particulier", 12)]), ..Q },
            QuestionSpec { kind: K::Scale, label: "Les informations du stand vous ont-elles été utiles ?", scale: ("Pas du tout utiles", "Très utiles"),
                answers: Gen::Codes(&[("1", 2), ("2", 5), ("3", 20), ("4", 43), ("5", 30)]), ..Q },
            QuestionSpec { kind: K::LongText, label: "Voulez-vous ajouter quelque chose sur la santé près de chez vous ?", theme: "acces-aux-droits", required: false, skip: 72, answers: Gen::Text(Voice::Health), ..Q },
        ],
    },
    SurveySpec {
        title: CURRENT,
        intro: "Transports, démarches, accueil des enfants, loisirs : dites-nous ce qui vous simplifierait la vie en Yonne Nord. Trois minutes, c'est anonyme.",
        why: "Vos réponses guident les permanences France Services, le transport à la demande et l'accueil des familles en 2027.",
        actions: &["6", "7", "8"],
        themes: &["acces-aux-droits", "enfance", "jeunesse"],
        opens: FromToday(-45),
        closes: FromToday(75),
        host: "sergines",
        hours: (9, 17),
        responses: 480,
        online_share: 25,
        points: &[
            PointSpec { label: "France Services Sergines - tablette en libre-service", kind: "kiosque", commune: "sergines", days: (FromToday(-45), FromToday(75)), live_screen: false, share: 20 },
            PointSpec { label: "Mairie de Villeneuve-la-Guyard - accueil", kind: "guichet", commune: "villeneuve-la-guyard", days: (FromToday(-45), FromToday(75)), live_screen: false, share: 15 },
            PointSpec { label: "Forum des services de Champigny", kind: "evenement", commune: "champigny", days: (FromToday(-17), FromToday(-17)), live_screen: true, share: 25 },
            PointSpec { label: "Questionnaires papier - mairies et CCAS", kind: "papier", commune: "", days: (FromToday(-45), FromToday(75)), live_screen: false, share: 15 },
        ],
        questions: &[
            QuestionSpec { kind: K::Scale, label: "Êtes-vous satisfait de l'accueil dans les services près de chez vous ?", help: "France Services, mairies, relais petite enfance, accueils de loisirs.",
                scale: ("Pas du tout satisfait", "Très satisfait"), theme: "acces-aux-droits",
                answers: Gen::Codes(&[("1", 5), ("2", 11), ("3", 26), ("4", 36), ("5", 22)]), ..Q },
            QuestionSpec { kind: K::Commune, label: "Dans quelle commune habitez-vous ?", answers: Gen::Commune, ..Q },
            QuestionSpec { kind: K::Public, label: "Vous répondez surtout en tant que :", help: "Choisissez ce qui vous correspond le mieux.",
                answers: Gen::Codes(&[("familles", 34), ("enfants", 2), ("jeunes", 14), ("seniors", 22), ("aidants", 6), ("handicap", 5), ("nouveaux-arrivants", 6), ("eloignes", 7), ("benevoles", 2), ("professionnels", 1), ("elus", 1)]), ..Q },
            QuestionSpec { kind: K::Multiple, label: "Qu'est-ce qui vous faciliterait la vie au quotidien ?", max_choices: "3", theme: "jeunesse",
                answers: Gen::Options(&[("Un transport pour aller à Sens ou à Montereau", 46), ("De l'aide pour les démarches en ligne", 34), ("Plus de places pour accueillir les enfants", 26), ("Des activités pour les jeunes le soir et le week-end", 28), ("Des visites et des animations pour les seniors", 22), ("Une information claire sur les aides", 30)]), ..Q },
            QuestionSpec { kind: K::YesNo, label: "Cette année, avez-vous renoncé à une démarche, un rendez-vous ou une activité ?", theme: "acces-aux-droits", answers: Gen::Codes(&[("oui", 41), ("non", 59)]), ..Q },
            QuestionSpec { kind: K::Single, label: "Si oui : surtout à cause…", condition: "Q5=oui", theme: "acces-aux-droits",
                answers: Gen::Options(&[("Du transport", 38), ("Des démarches en ligne", 24), ("Des horaires", 14), ("Du coût", 12), ("Je ne savais pas à qui m'adresser", 12)]), ..Q },
            QuestionSpec { kind: K::ShortText, label: "Une idée pour mieux vous servir ?", required: false, skip: 62, answers: Gen::Text(Voice::Service), ..Q },
            QuestionSpec { kind: K::Single, label: "Le mercredi et pendant les vacances, vos enfants de 3 à 11 ans vont surtout :", required: false, skip: 25, theme: "enfance",
                answers: Gen::Options(&[("À l'accueil de loisirs", 24), ("Chez un proche ou une assistante maternelle", 18), ("À la maison avec un parent", 20), ("Je n'ai pas d'enfant de cet âge", 38)]), ..Q },
            QuestionSpec { kind: K::LongText, label: "Racontez-nous une démarche ou un déplacement qui vous a posé problème", theme: "acces-aux-droits", required: false, skip: 75, answers: Gen::Text(Voice::Errand), ..Q },
        ],
    },
];
