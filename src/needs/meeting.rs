//! Observatory meetings and their decisions.

use time::Date;

use super::report::known;
use super::{AttendeeGroup, DecisionStatus, MeetingKind};
use crate::domain::{ActionNumber, FieldErrors};
use crate::survey::parse_french_date;

/// How many of each group were invited and came.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Attendance {
    pub invited: [i64; 4],
    pub present: [i64; 4],
}

impl Attendance {
    pub fn of(&self, group: AttendeeGroup) -> (i64, i64) {
        let index = AttendeeGroup::ALL
            .iter()
            .position(|g| *g == group)
            .unwrap_or(0);
        (self.invited[index], self.present[index])
    }

    pub fn total(&self) -> (i64, i64) {
        (self.invited.iter().sum(), self.present.iter().sum())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub id: i64,
    pub kind: MeetingKind,
    pub title: String,
    pub theme: Option<String>,
    pub held_on: Date,
    pub place: String,
    pub notes: String,
    pub attendance: Attendance,
    /// The needs chosen for review.
    pub agenda: Vec<i64>,
    /// The board frozen on purpose (JSON of `Board`), and when.
    pub snapshot: Option<String>,
    pub snapshot_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub id: i64,
    pub meeting_id: i64,
    pub action_number: i32,
    pub need_id: Option<i64>,
    /// The title of the need it answers, to show beside it.
    pub need_title: Option<String>,
    pub what: String,
    pub owner: String,
    pub due_on: Option<Date>,
    pub status: DecisionStatus,
}

#[derive(Debug, Clone, Default)]
pub struct MeetingInput {
    pub kind: String,
    pub title: String,
    pub theme: String,
    pub held_on: String,
    pub place: String,
    pub notes: String,
    /// Invited then present, per group in `AttendeeGroup::ALL` order.
    pub invited: [String; 4],
    pub present: [String; 4],
    pub agenda: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingDraft {
    pub kind: MeetingKind,
    pub title: String,
    pub theme: Option<String>,
    pub held_on: Date,
    pub place: String,
    pub notes: String,
    pub attendance: Attendance,
    pub agenda: Vec<i64>,
}

fn count(errors: &mut FieldErrors, field: String, value: &str) -> i64 {
    match value.trim() {
        "" => 0,
        typed => match typed.parse::<i64>() {
            Ok(n) if (0..=10_000).contains(&n) => n,
            _ => {
                errors.add(field, "Saisissez un nombre entier de personnes.");
                0
            }
        },
    }
}

impl MeetingDraft {
    /// `needs`: the ids of needs that may be put on the agenda.
    pub fn parse(
        input: &MeetingInput,
        themes: &[&str],
        needs: &[i64],
    ) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let kind = MeetingKind::parse(&input.kind)
            .map_err(|_| errors.add("kind", "Choisissez le type de réunion."))
            .ok();
        let title = input.title.trim().to_owned();
        if title.is_empty() {
            errors.add("title", "Donnez un intitulé à la réunion.");
        } else if title.chars().count() > 150 {
            errors.add("title", "150 caractères au plus.");
        }
        let theme = Some(input.theme.trim().to_owned()).filter(|t| !t.is_empty());
        if theme.as_deref().is_some_and(|t| !themes.contains(&t)) {
            errors.add("theme", "Choisissez un thème dans la liste.");
        }
        let held_on = parse_french_date(&input.held_on)
            .map_err(|e| errors.add("held_on", e.0))
            .ok();
        let mut attendance = Attendance::default();
        for (index, group) in AttendeeGroup::ALL.iter().enumerate() {
            attendance.invited[index] = count(
                &mut errors,
                format!("invited_{}", group.code()),
                &input.invited[index],
            );
            attendance.present[index] = count(
                &mut errors,
                format!("present_{}", group.code()),
                &input.present[index],
            );
        }
        let known_needs: Vec<String> = needs.iter().map(i64::to_string).collect();
        let known_needs: Vec<&str> = known_needs.iter().map(String::as_str).collect();
        let agenda = known(&mut errors, "agenda", &input.agenda, &known_needs)
            .into_iter()
            .filter_map(|id| id.parse().ok())
            .collect();
        let notes = input.notes.trim().to_owned();
        if notes.chars().count() > 10_000 {
            errors.add("notes", "10 000 caractères au plus.");
        }
        match (kind, held_on) {
            (Some(kind), Some(held_on)) if errors.is_empty() => Ok(Self {
                kind,
                title,
                theme,
                held_on,
                place: input.place.trim().to_owned(),
                notes,
                attendance,
                agenda,
            }),
            _ => Err(errors),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct DecisionInput {
    pub action: String,
    pub need: String,
    pub what: String,
    pub owner: String,
    pub due_on: String,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionDraft {
    pub action_number: i32,
    pub need_id: Option<i64>,
    pub what: String,
    pub owner: String,
    pub due_on: Option<Date>,
    pub status: DecisionStatus,
}

impl DecisionDraft {
    /// `agenda`: the needs the meeting reviewed, which a decision may answer.
    pub fn parse(input: &DecisionInput, agenda: &[i64]) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let action = ActionNumber::parse(&input.action)
            .map_err(|_| {
                errors.add(
                    "action",
                    "Choisissez l'action du plan que la décision ajuste.",
                )
            })
            .ok();
        let need_id = match input.need.trim() {
            "" => None,
            typed => match typed.parse::<i64>() {
                Ok(id) if agenda.contains(&id) => Some(id),
                _ => {
                    errors.add("need", "Choisissez un besoin à l'ordre du jour, ou aucun.");
                    None
                }
            },
        };
        let what = input.what.trim().to_owned();
        if what.is_empty() {
            errors.add("what", "Décrivez ce qui change.");
        } else if what.chars().count() > 2000 {
            errors.add("what", "2 000 caractères au plus.");
        }
        let owner = input.owner.trim().to_owned();
        if owner.is_empty() {
            errors.add("owner", "Indiquez qui porte la décision.");
        }
        let due_on = match input.due_on.trim() {
            "" => None,
            typed => parse_french_date(typed)
                .map_err(|e| errors.add("due_on", e.0))
                .ok(),
        };
        let status = DecisionStatus::parse(if input.status.trim().is_empty() {
            "a_faire"
        } else {
            &input.status
        })
        .map_err(|_| errors.add("status", "Choisissez un état."))
        .ok();
        match (action, status) {
            (Some(action), Some(status)) if errors.is_empty() => Ok(Self {
                action_number: i32::from(action.get()),
                need_id,
                what,
                owner,
                due_on,
                status,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meetings_and_decisions_are_checked() {
        let input = MeetingInput {
            kind: "cotech".into(),
            title: "COTECH accès aux droits".into(),
            held_on: "2026-11-26".into(),
            invited: ["4".into(), "10".into(), "6".into(), "2".into()],
            present: ["3".into(), "8".into(), "-1".into(), String::new()],
            agenda: vec!["7".into()],
            ..MeetingInput::default()
        };
        let errors = MeetingDraft::parse(&input, &[], &[7]).expect_err("negative");
        assert!(errors.get("present_partenaires").is_some());
        let input = MeetingInput {
            present: ["3".into(), "8".into(), "5".into(), String::new()],
            ..input
        };
        let draft = MeetingDraft::parse(&input, &[], &[7]).expect("valid");
        assert_eq!(draft.attendance.total(), (22, 16));
        assert_eq!(draft.agenda, [7]);
        assert!(
            MeetingDraft::parse(
                &MeetingInput {
                    agenda: vec!["8".into()],
                    ..input
                },
                &[],
                &[7]
            )
            .is_err(),
            "unknown need"
        );

        let decision = DecisionInput {
            action: "7".into(),
            need: "7".into(),
            what: "Permanence France Services à Sergines le jeudi".into(),
            owner: "France Services".into(),
            ..DecisionInput::default()
        };
        let draft = DecisionDraft::parse(&decision, &[7]).expect("valid");
        assert_eq!(
            (draft.action_number, draft.status),
            (7, DecisionStatus::AFaire)
        );
        let errors = DecisionDraft::parse(
            &DecisionInput {
                action: "18".into(),
                need: "9".into(),
                ..DecisionInput::default()
            },
            &[7],
        )
        .expect_err("bad");
        for field in ["action", "need", "what", "owner"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
    }
}
