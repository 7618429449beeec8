//! What each figure counts, in French, so that no page reads meetings or field reports
//! as residents' answers, and the disclosure rule applies only to answers.

use super::RuleKind;
use crate::french;

/// A counted thing, singular and plural.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unit {
    pub one: &'static str,
    pub many: &'static str,
}

impl Unit {
    pub const ANSWERS: Unit = Unit::new("réponse", "réponses");
    pub const COMMUNES: Unit = Unit::new("commune", "communes");
    pub const FIELD_REPORTS: Unit = Unit::new("remontée de terrain", "remontées de terrain");
    pub const MEETINGS: Unit = Unit::new("réunion", "réunions");
    pub const INVITED: Unit = Unit::new("personne invitée", "personnes invitées");
    pub const PARTNERS_INVITED: Unit = Unit::new("partenaire invité", "partenaires invités");
    pub const ADJUSTED_ACTIONS: Unit = Unit::new("action ajustée", "actions ajustées");
    pub const DECISIONS: Unit = Unit::new("décision", "décisions");
    pub const CONTRIBUTIONS: Unit =
        Unit::new("contribution d'habitant", "contributions d'habitants");

    const fn new(one: &'static str, many: &'static str) -> Self {
        Self { one, many }
    }

    /// The word for `n` of them: French takes the singular for 0 and 1.
    pub fn word(self, n: i64) -> &'static str {
        if (-1..=1).contains(&n) {
            self.one
        } else {
            self.many
        }
    }

    /// "0 réunion", "1 réunion", "1 234 réunions".
    pub fn count(self, n: i64) -> String {
        format!("{} {}", french::integer(n), self.word(n))
    }
}

impl RuleKind {
    /// What the figure counts; `None` for rates and means, which read as "72,4 %" or
    /// "3,9 / 5".
    pub fn value_unit(self) -> Option<Unit> {
        match self {
            Self::ResponseCount | Self::Distribution => Some(Unit::ANSWERS),
            Self::CommunesReached => Some(Unit::COMMUNES),
            Self::FieldReports => Some(Unit::FIELD_REPORTS),
            Self::Meetings => Some(Unit::MEETINGS),
            Self::AdjustedActions => Some(Unit::ADJUSTED_ACTIONS),
            Self::IntegratedContributions => Some(Unit::CONTRIBUTIONS),
            Self::OptionShare | Self::Mean | Self::Attendance | Self::PartnerAttendance => None,
        }
    }

    /// What the figure rests on (its n): answers, meetings, people invited, decisions...
    pub fn basis(self) -> Unit {
        match self {
            Self::FieldReports => Unit::FIELD_REPORTS,
            Self::Meetings => Unit::MEETINGS,
            Self::Attendance => Unit::INVITED,
            Self::PartnerAttendance => Unit::PARTNERS_INVITED,
            Self::AdjustedActions => Unit::DECISIONS,
            Self::IntegratedContributions => Unit::CONTRIBUTIONS,
            _ => Unit::ANSWERS,
        }
    }

    /// Whether the figure describes residents' answers, which the disclosure rule
    /// protects; meetings, field reports, invitations and decisions are shown as they are.
    pub fn counts_answers(self) -> bool {
        !self.is_activity() || self == Self::IntegratedContributions
    }

    /// Whether the figure is its n counted in its own unit ("9 remontées de terrain"
    /// rests on 9 field reports), so saying n again would only repeat it.
    pub fn value_is_basis(self) -> bool {
        matches!(
            self,
            Self::ResponseCount
                | Self::Distribution
                | Self::FieldReports
                | Self::Meetings
                | Self::IntegratedContributions
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_follow_the_rule_kind() {
        assert_eq!(
            RuleKind::Meetings.value_unit().map(|u| u.count(3)),
            Some("3 réunions".to_owned())
        );
        assert_eq!(
            RuleKind::FieldReports.value_unit().map(|u| u.count(1)),
            Some("1 remontée de terrain".to_owned())
        );
        assert_eq!(RuleKind::Attendance.value_unit(), None);
        assert_eq!(
            RuleKind::Attendance.basis().count(88),
            "88 personnes invitées"
        );
        assert_eq!(RuleKind::AdjustedActions.basis().count(0), "0 décision");
        assert_eq!(Unit::ANSWERS.count(1234), "1\u{202f}234 réponses");
    }

    #[test]
    fn only_answers_fall_under_the_disclosure_rule() {
        for kind in RuleKind::FOR_QUESTIONS {
            assert!(kind.counts_answers(), "{kind:?}");
        }
        for kind in [
            RuleKind::FieldReports,
            RuleKind::Meetings,
            RuleKind::Attendance,
            RuleKind::PartnerAttendance,
            RuleKind::AdjustedActions,
        ] {
            assert!(!kind.counts_answers(), "{kind:?}");
        }
        assert!(
            RuleKind::IntegratedContributions.counts_answers(),
            "residents' answers taken into account are still answers"
        );
    }
}
