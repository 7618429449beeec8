//! The collection point form: where and when a survey is answered.

use time::Date;

use super::PointKind;
use super::draft::parse_french_date;
use crate::domain::FieldErrors;

const LABEL_MAX: usize = 120;

#[derive(Debug, Clone, Default)]
pub struct PointInput {
    pub label: String,
    pub kind: String,
    pub commune: String,
    pub starts_on: String,
    pub ends_on: String,
    pub live_screen: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PointDraft {
    pub label: String,
    pub kind: PointKind,
    pub commune: Option<String>,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    pub live_screen: bool,
}

impl PointDraft {
    pub fn parse(input: &PointInput, communes: &[&str]) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let label = input.label.trim().to_owned();
        if label.is_empty() {
            errors.add(
                "label",
                "Nommez le point de collecte, par exemple « Ville à Joie 2026 - stand CCYN ».",
            );
        } else if label.chars().count() > LABEL_MAX {
            errors.add("label", format!("{LABEL_MAX} caractères au plus."));
        }
        let kind = PointKind::parse(&input.kind)
            .map_err(|_| errors.add("kind", "Choisissez le type de point de collecte."))
            .ok();
        let commune = Some(input.commune.trim().to_owned()).filter(|c| !c.is_empty());
        if commune.as_deref().is_some_and(|c| !communes.contains(&c)) {
            errors.add("commune", "Choisissez une commune dans la liste.");
        }
        let mut date = |field: &str, value: &str| -> Option<Date> {
            if value.trim().is_empty() {
                return None;
            }
            parse_french_date(value)
                .map_err(|e| errors.add(field, e.0))
                .ok()
        };
        let starts_on = date("starts_on", &input.starts_on);
        let ends_on = date("ends_on", &input.ends_on);
        if let (Some(start), Some(end)) = (starts_on, ends_on)
            && end < start
        {
            errors.add("ends_on", "La date de fin doit suivre la date de début.");
        }
        match kind {
            Some(kind) if errors.is_empty() => Ok(Self {
                label,
                kind,
                commune,
                starts_on,
                ends_on,
                live_screen: input.live_screen,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_point_needs_a_label_and_a_kind() {
        let input = PointInput {
            label: "Ville à Joie 2026 - stand CCYN".into(),
            kind: "evenement".into(),
            commune: "michery".into(),
            starts_on: "2026-06-13".into(),
            ends_on: "13/06/2026".into(),
            live_screen: true,
        };
        let draft = PointDraft::parse(&input, &["michery"]).expect("valid");
        assert_eq!(draft.kind, PointKind::Event);
        let errors = PointDraft::parse(&PointInput::default(), &["michery"]).expect_err("empty");
        assert!(errors.get("label").is_some());
        assert!(errors.get("kind").is_some());
        let mut input = input;
        input.commune = "paris".into();
        input.ends_on = "2026-06-01".into();
        let errors = PointDraft::parse(&input, &["michery"]).expect_err("bad");
        assert!(errors.get("commune").is_some());
        assert!(errors.get("ends_on").is_some());
    }
}
