//! The day paper questionnaires were filled in. Typed in or imported months later, their
//! responses are dated by that day, so a June fair counts in June.

use time::Date;
use time::macros::format_description;

use super::{CollectionPoint, Survey, parse_french_date};
use crate::domain::{ParseError, paris};
use crate::french;

/// A collection day checked against the calendar and the survey: not in the future, not
/// before the survey or its collection point opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CollectionDate(Date);

impl CollectionDate {
    /// Reads a day typed as `13/06/2026` (also `1/6/2026`) or `2026-06-13`.
    pub fn parse(
        input: &str,
        survey: &Survey,
        point: &CollectionPoint,
        today: Date,
    ) -> Result<Self, ParseError> {
        let input = input.trim();
        if input.is_empty() {
            return Err(ParseError::new(
                "Indiquez le jour où les questionnaires ont été remplis.",
            ));
        }
        let loose = format_description!("[day padding:none]/[month padding:none]/[year]");
        let day = parse_french_date(input)
            .or_else(|_| Date::parse(input, loose))
            .map_err(|_| ParseError::new("Saisissez une date valide, par exemple 13/06/2026."))?;
        Self::check(day, survey, point, today)
    }

    /// `day`, if questionnaires may have been filled in then.
    pub fn check(
        day: Date,
        survey: &Survey,
        point: &CollectionPoint,
        today: Date,
    ) -> Result<Self, ParseError> {
        if day > today {
            return Err(ParseError::new(
                "La date de collecte ne peut pas être dans le futur.",
            ));
        }
        if day < survey.opens_on {
            return Err(ParseError::new(format!(
                "L'enquête ouvre le {} : la date de collecte ne peut pas être antérieure.",
                french::date(survey.opens_on)
            )));
        }
        if let Some(start) = point.starts_on.filter(|start| day < *start) {
            return Err(ParseError::new(format!(
                "Le point de collecte « {} » commence le {} : la date de collecte ne peut pas être antérieure.",
                point.label,
                french::date(start)
            )));
        }
        Ok(Self(day))
    }

    pub fn date(self) -> Date {
        self.0
    }

    /// When the responses are stored as given: noon that day in Paris (only the hour is
    /// kept, as for every response).
    pub fn unix(self) -> i64 {
        paris::noon(self.0)
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::survey::{CollectionCode, PointKind, SurveyStatus};

    fn survey() -> Survey {
        Survey {
            id: 1,
            title: "Foire".into(),
            intro: String::new(),
            why: String::new(),
            status: SurveyStatus::Open,
            opens_on: date!(2026 - 04 - 01),
            closes_on: date!(2026 - 12 - 31),
            retention_until: date!(2028 - 12 - 31),
            actions: vec![15],
            themes: Vec::new(),
            response_count: 0,
            created_at: 0,
            updated_at: 0,
            territory: crate::territory::TerritoryId::new(1),
        }
    }

    fn point(starts_on: Option<Date>) -> CollectionPoint {
        CollectionPoint {
            id: 7,
            survey_id: 1,
            code: CollectionCode::parse("abc234").expect("code"),
            label: "Questionnaires papier".into(),
            kind: PointKind::Paper,
            commune: None,
            starts_on,
            ends_on: None,
            live_screen: false,
            response_count: 0,
            territory: crate::territory::TerritoryId::new(1),
        }
    }

    const TODAY: Date = date!(2026 - 12 - 02);

    #[test]
    fn days_in_either_form_at_noon_paris_time() {
        let (s, p) = (survey(), point(None));
        for input in ["13/06/2026", " 2026-06-13 ", "13/6/2026"] {
            let day = CollectionDate::parse(input, &s, &p, TODAY).expect(input);
            assert_eq!(day.date(), date!(2026 - 06 - 13));
            assert_eq!(paris::local(day.unix()).hour(), 12);
        }
        let first = CollectionDate::parse("01/04/2026", &s, &p, TODAY).expect("opening day");
        assert_eq!(first.date(), s.opens_on);
        assert!(
            CollectionDate::parse("02/12/2026", &s, &p, TODAY).is_ok(),
            "today"
        );
    }

    #[test]
    fn refused_empty_unreadable_in_the_future_or_before_opening() {
        let (s, p) = (survey(), point(Some(date!(2026 - 06 - 13))));
        let message = |input: &str| {
            CollectionDate::parse(input, &s, &p, TODAY)
                .expect_err(input)
                .0
        };
        assert!(message("").starts_with("Indiquez le jour"));
        assert!(message("31/02/2026").starts_with("Saisissez une date valide"));
        assert_eq!(
            message("03/12/2026"),
            "La date de collecte ne peut pas être dans le futur."
        );
        assert_eq!(
            message("31/03/2026"),
            "L'enquête ouvre le 1er avril 2026 : la date de collecte ne peut pas être antérieure."
        );
        assert_eq!(
            message("12/06/2026"),
            "Le point de collecte « Questionnaires papier » commence le 13 juin 2026 : la date de collecte ne peut pas être antérieure."
        );
    }
}
