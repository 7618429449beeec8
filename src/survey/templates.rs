//! Survey templates tied to the plan: questions in plain language (8 at most), the
//! actions they serve, and indicator rules already set, ready to copy into a new survey.

use crate::indicators::RuleKind;

pub struct TemplateQuestion {
    pub kind: &'static str,
    pub label: &'static str,
    pub help: &'static str,
    pub required: bool,
    /// Options of single and multiple choice questions.
    pub options: &'static [&'static str],
    pub max_choices: Option<u8>,
    /// Scale: what 1 and 5 mean.
    pub scale: Option<(&'static str, &'static str)>,
    /// Shown only if question number `.0` (0-based) was answered with option code `.1`.
    pub condition: Option<(usize, &'static str)>,
}

pub struct TemplateRule {
    pub indicator: &'static str,
    /// 0-based index of the question.
    pub question: usize,
    pub kind: RuleKind,
    pub options: &'static [&'static str],
}

pub struct Template {
    pub slug: &'static str,
    pub title: &'static str,
    pub intro: &'static str,
    pub why: &'static str,
    pub actions: &'static [i32],
    pub themes: &'static [&'static str],
    pub questions: &'static [TemplateQuestion],
    pub rules: &'static [TemplateRule],
}

const fn q(kind: &'static str, label: &'static str) -> TemplateQuestion {
    TemplateQuestion {
        kind,
        label,
        help: "",
        required: true,
        options: &[],
        max_choices: None,
        scale: None,
        condition: None,
    }
}

const SATISFACTION: (&str, &str) = ("Pas du tout satisfait", "Très satisfait");

pub const TEMPLATES: &[Template] = &[
    Template {
        slug: "satisfaction-evenement",
        title: "Satisfaction d'un événement",
        intro: "Vous avez participé à cet événement ? Dites-nous en une minute ce qui vous a plu et ce que nous pouvons faire mieux. C'est anonyme.",
        why: "Vos réponses aident à préparer les prochains temps forts du territoire.",
        actions: &[1, 2],
        themes: &["vie-sociale"],
        questions: &[
            TemplateQuestion {
                scale: Some(SATISFACTION),
                ..q("scale", "Êtes-vous satisfait de cet événement ?")
            },
            TemplateQuestion {
                options: &[
                    "Rencontrer d'autres habitants",
                    "Les animations pour les enfants",
                    "Les stands d'information",
                    "Autre chose",
                ],
                max_choices: Some(2),
                ..q("multiple", "Qu'est-ce qui vous a le plus plu ?")
            },
            q(
                "yes_no",
                "Avez-vous découvert un service que vous ne connaissiez pas ?",
            ),
            TemplateQuestion {
                required: false,
                condition: Some((2, "oui")),
                ..q("short_text", "Lequel ?")
            },
            q("commune", "Dans quelle commune habitez-vous ?"),
            TemplateQuestion {
                required: false,
                ..q("age", "Quel âge avez-vous ?")
            },
            TemplateQuestion {
                required: false,
                ..q("public", "Vous êtes venu surtout en tant que…")
            },
            TemplateQuestion {
                required: false,
                ..q("long_text", "Une idée pour la prochaine fois ?")
            },
        ],
        rules: &[
            TemplateRule {
                indicator: "A2.5",
                question: 0,
                kind: RuleKind::OptionShare,
                options: &["4", "5"],
            },
            TemplateRule {
                indicator: "A2.2",
                question: 4,
                kind: RuleKind::Distribution,
                options: &[],
            },
            TemplateRule {
                indicator: "A1.2",
                question: 5,
                kind: RuleKind::Distribution,
                options: &[],
            },
            TemplateRule {
                indicator: "A2.6",
                question: 2,
                kind: RuleKind::ResponseCount,
                options: &["oui"],
            },
        ],
    },
    Template {
        slug: "besoins-petite-enfance",
        title: "Besoins des familles en petite enfance",
        intro: "Parents ou futurs parents : dites-nous ce qui vous faciliterait la vie avec vos tout-petits. Cinq minutes, anonyme.",
        why: "Vos réponses guident l'offre d'accueil des jeunes enfants sur le territoire.",
        actions: &[14, 15],
        themes: &["petite-enfance", "parentalite"],
        questions: &[
            q(
                "yes_no",
                "Avez-vous un enfant de moins de 3 ans, ou en attendez-vous un ?",
            ),
            TemplateQuestion {
                options: &[
                    "Crèche ou micro-crèche",
                    "Assistante maternelle",
                    "Famille ou proches",
                    "Je le garde moi-même",
                    "Pas encore de solution",
                ],
                condition: Some((0, "oui")),
                ..q(
                    "single",
                    "Comment votre enfant est-il gardé, ou le sera-t-il ?",
                )
            },
            TemplateQuestion {
                options: &[
                    "Plus de places d'accueil",
                    "Des horaires plus larges",
                    "Moins de trajet",
                    "Mieux connaître les solutions",
                    "Des temps d'échange entre parents",
                ],
                max_choices: Some(2),
                ..q("multiple", "Qu'est-ce qui vous aiderait le plus ?")
            },
            TemplateQuestion {
                scale: Some(("Très difficile", "Très facile")),
                ..q("scale", "Trouver un mode de garde, c'est… ")
            },
            q("commune", "Dans quelle commune habitez-vous ?"),
            TemplateQuestion {
                required: false,
                ..q("long_text", "Un besoin que nous n'avons pas cité ?")
            },
        ],
        rules: &[TemplateRule {
            indicator: "A15.1",
            question: 4,
            kind: RuleKind::CommunesReached,
            options: &[],
        }],
    },
    Template {
        slug: "connaissance-services",
        title: "Connaissance des services du territoire",
        intro: "Connaissez-vous les services qui peuvent vous aider près de chez vous ? Vos réponses nous aident à mieux les faire connaître. Anonyme.",
        why: "Pour que chacun sache à qui s'adresser, sans renoncer à ses droits.",
        actions: &[5, 8],
        themes: &["acces-aux-droits"],
        questions: &[
            TemplateQuestion {
                options: &[
                    "France Services",
                    "Relais Petite Enfance",
                    "Accueil de loisirs",
                    "Point Info Jeunesse",
                    "CCAS de ma mairie",
                    "Aucun",
                ],
                ..q("multiple", "Quels services connaissez-vous ?")
            },
            q(
                "yes_no",
                "Avez-vous déjà renoncé à une aide ou à un service parce que vous ne saviez pas à qui vous adresser ?",
            ),
            TemplateQuestion {
                required: false,
                condition: Some((1, "oui")),
                ..q("short_text", "Pour quelle démarche ?")
            },
            TemplateQuestion {
                options: &[
                    "En mairie",
                    "Sur internet",
                    "Par le bouche-à-oreille",
                    "Par un professionnel (école, crèche, France Services)",
                    "Dans le bulletin communal",
                ],
                ..q("single", "Comment préférez-vous être informé ?")
            },
            TemplateQuestion {
                scale: Some(("Pas du tout satisfait", "Très satisfait")),
                ..q(
                    "scale",
                    "La dernière fois que vous avez été orienté vers un service, en avez-vous été satisfait ?",
                )
            },
            q("commune", "Dans quelle commune habitez-vous ?"),
            TemplateQuestion {
                required: false,
                ..q("public", "Vous êtes…")
            },
        ],
        rules: &[
            TemplateRule {
                indicator: "A8.2",
                question: 4,
                kind: RuleKind::OptionShare,
                options: &["4", "5"],
            },
            TemplateRule {
                indicator: "A5.4",
                question: 1,
                kind: RuleKind::OptionShare,
                options: &["oui"],
            },
        ],
    },
    Template {
        slug: "idees-territoire",
        title: "Vos idées pour le territoire",
        intro: "Une idée pour votre commune, vos enfants, les jeunes ou les aînés ? Proposez-la, puis dites-nous ce qui compte le plus pour vous. Anonyme.",
        why: "Les idées recueillies sont présentées en réunion et suivies publiquement.",
        actions: &[3],
        themes: &["vie-sociale", "jeunesse"],
        questions: &[
            q("long_text", "Votre idée, en quelques phrases"),
            TemplateQuestion {
                options: &[
                    "Animations et lien social",
                    "Enfance et jeunesse",
                    "Accès aux droits et aux services",
                    "Santé et bien-être",
                    "Aide aux aidants",
                ],
                ..q("single", "De quoi parle-t-elle surtout ?")
            },
            TemplateQuestion {
                options: &[
                    "Plus d'activités pour les jeunes",
                    "Des lieux de rencontre",
                    "Des transports vers les services",
                    "Des temps pour les parents",
                    "Du soutien aux aînés",
                ],
                max_choices: Some(3),
                ..q(
                    "multiple",
                    "Parmi ces priorités, lesquelles comptent le plus pour vous ? (3 au plus)",
                )
            },
            q(
                "yes_no",
                "Aimeriez-vous participer à la mise en œuvre d'une idée ?",
            ),
            q("commune", "Dans quelle commune habitez-vous ?"),
            TemplateQuestion {
                required: false,
                ..q("public", "Vous êtes…")
            },
        ],
        rules: &[TemplateRule {
            indicator: "A3.2",
            question: 5,
            kind: RuleKind::Distribution,
            options: &[],
        }],
    },
];

pub fn template(slug: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|t| t.slug == slug)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::IndicatorCode;
    use crate::plan::PlanData;

    #[test]
    fn templates_are_short_and_their_rules_point_at_their_actions() {
        let plan = PlanData::embedded().expect("plan");
        for template in TEMPLATES {
            assert!(template.questions.len() <= 8, "{}", template.slug);
            for rule in template.rules {
                let code = IndicatorCode::parse(rule.indicator).expect("code");
                assert!(
                    template.actions.contains(&i32::from(code.action().get())),
                    "{} serves {}",
                    template.slug,
                    rule.indicator
                );
                let action = plan
                    .actions
                    .iter()
                    .find(|a| a.number == i32::from(code.action().get()))
                    .expect("action");
                assert!(
                    action.indicators.iter().any(|i| i.code == rule.indicator),
                    "{} exists",
                    rule.indicator
                );
                assert!(rule.question < template.questions.len());
            }
            for question in template.questions {
                if let Some((index, _)) = question.condition {
                    let controller = &template.questions[index];
                    assert!(controller.kind == "yes_no" || controller.kind == "single");
                }
            }
        }
    }
}
