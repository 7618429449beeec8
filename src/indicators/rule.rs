//! Rules that compute an indicator from survey answers: a small closed set of variants,
//! each with one evaluation (see `evaluate`). Later variants (field reports, meetings)
//! join this enum.

use crate::domain::{FieldErrors, ParseError};
use crate::survey::{Question, QuestionKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RuleKind {
    /// How many responses answered the question (optionally: chose one option).
    ResponseCount,
    /// The share of responses choosing any of a set of options, over those answering.
    OptionShare,
    /// The mean of a scale or number question.
    Mean,
    /// Responses by commune, public or age bracket ("diversité des participants").
    Distribution,
    /// How many distinct communes of the territory answered.
    CommunesReached,
    // Fed by platform activity rather than a question, set in the plan data.
    /// Field reports filed.
    FieldReports,
    /// Meetings held.
    Meetings,
    /// Present over invited, all groups.
    Attendance,
    /// Present over invited, partners only.
    PartnerAttendance,
    /// Distinct plan actions adjusted by decisions (not abandoned).
    AdjustedActions,
    /// Residents' answers attached to needs once those were taken into account.
    IntegratedContributions,
}

impl RuleKind {
    /// The variants computed from a survey question.
    pub const FOR_QUESTIONS: [RuleKind; 5] = [
        Self::ResponseCount,
        Self::OptionShare,
        Self::Mean,
        Self::Distribution,
        Self::CommunesReached,
    ];

    pub const ALL: [RuleKind; 11] = [
        Self::ResponseCount,
        Self::OptionShare,
        Self::Mean,
        Self::Distribution,
        Self::CommunesReached,
        Self::FieldReports,
        Self::Meetings,
        Self::Attendance,
        Self::PartnerAttendance,
        Self::AdjustedActions,
        Self::IntegratedContributions,
    ];

    /// Whether the variant is fed by platform activity rather than a question.
    pub fn is_activity(self) -> bool {
        !Self::FOR_QUESTIONS.contains(&self)
    }

    /// Whether its value is a percentage.
    pub fn is_rate(self) -> bool {
        matches!(
            self,
            Self::OptionShare | Self::Attendance | Self::PartnerAttendance
        )
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::ResponseCount => "responses",
            Self::OptionShare => "share",
            Self::Mean => "mean",
            Self::Distribution => "distribution",
            Self::CommunesReached => "communes",
            Self::FieldReports => "field_reports",
            Self::Meetings => "meetings",
            Self::Attendance => "attendance",
            Self::PartnerAttendance => "partner_attendance",
            Self::AdjustedActions => "adjusted_actions",
            Self::IntegratedContributions => "integrated_contributions",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::ResponseCount => "Nombre de réponses",
            Self::OptionShare => "Part des réponses qui choisissent certaines options",
            Self::Mean => "Moyenne (échelle ou nombre)",
            Self::Distribution => "Répartition par commune, public ou âge",
            Self::CommunesReached => "Nombre de communes touchées",
            Self::FieldReports => "Nombre de remontées de terrain déposées",
            Self::Meetings => {
                "Nombre de réunions tenues (observatoires, COPIL, COTECH, groupes de travail)"
            }
            Self::Attendance => {
                "Taux de présence aux réunions (élus, professionnels, partenaires, habitants)"
            }
            Self::PartnerAttendance => "Taux de présence des partenaires aux réunions",
            Self::AdjustedActions => "Nombre d'actions du plan ajustées par des décisions",
            Self::IntegratedContributions => {
                "Nombre de contributions d'habitants intégrées à des besoins pris en compte"
            }
        }
    }

    pub fn parse(input: &str) -> Result<Self, ParseError> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.code() == input.trim())
            .ok_or_else(|| ParseError::new("Choisissez un mode de calcul dans la liste."))
    }
}

/// A rule as stored, with what the pages say about its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub id: i64,
    pub indicator_code: String,
    pub kind: RuleKind,
    /// Option codes the rule counts (share, or a count restricted to one option).
    pub options: Vec<String>,
    pub survey_id: i64,
    pub survey_title: String,
    pub question_id: i64,
    pub question_code: String,
    pub question_label: String,
    pub question_kind: QuestionKind,
}

/// A valid new rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleDraft {
    pub kind: RuleKind,
    pub question_id: i64,
    pub options: Vec<String>,
}

impl RuleDraft {
    /// Checks a rule against its question and the survey it belongs to: the survey must
    /// serve the indicator's action, and the variant must fit the question's kind.
    pub fn parse(
        kind: &str,
        options: &[String],
        question: &Question,
        survey_actions: &[i32],
        indicator_action: i32,
    ) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let kind = match RuleKind::parse(kind) {
            Ok(kind) => kind,
            Err(error) => {
                errors.add("rule_kind", error.0);
                return Err(errors);
            }
        };
        if !survey_actions.contains(&indicator_action) {
            errors.add(
                "question",
                format!("Cette enquête ne sert pas l'action {indicator_action} : ajoutez l'action à l'enquête, ou choisissez une autre question."),
            );
        }
        let mut chosen: Vec<String> = Vec::new();
        for code in options.iter().map(|o| o.trim()).filter(|o| !o.is_empty()) {
            if question.option_by_code(code).is_none() {
                errors.add("options", "Choisissez des options de la question.");
                break;
            }
            if !chosen.iter().any(|c| c == code) {
                chosen.push(code.to_owned());
            }
        }
        let fits = match kind {
            RuleKind::ResponseCount => {
                if chosen.len() > 1 {
                    errors.add(
                        "options",
                        "Pour un nombre de réponses, choisissez au plus une option.",
                    );
                }
                true
            }
            RuleKind::OptionShare => {
                if chosen.is_empty() {
                    errors.add("options", "Choisissez au moins une option à compter, par exemple 4 et 5 pour « satisfait ».");
                }
                // Options of a multiple choice are not exclusive: one at a time keeps the share exact.
                if question.kind == QuestionKind::Multiple && chosen.len() > 1 {
                    errors.add("options", "Pour une question à choix multiple, la part se calcule sur une seule option.");
                }
                question.kind.has_options()
            }
            RuleKind::Mean => matches!(question.kind, QuestionKind::Scale | QuestionKind::Number),
            RuleKind::Distribution => question.kind.is_single_choice(),
            RuleKind::CommunesReached => question.kind == QuestionKind::Commune,
            _ => false,
        };
        if !fits {
            errors.add(
                "rule_kind",
                format!(
                    "« {} » ne s'applique pas à une question de type « {} ».",
                    kind.label(),
                    question.kind.label()
                ),
            );
        }
        errors.into_result(Self {
            kind,
            question_id: question.id,
            options: chosen,
        })
    }
}
