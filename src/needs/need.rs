//! Qualified needs: what staff make of answers and field reports.

use super::NeedStatus;
use super::report::known;
use crate::domain::FieldErrors;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Need {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub theme: String,
    pub status: NeedStatus,
    pub communes: Vec<String>,
    pub publics: Vec<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// What a need rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NeedSource {
    Report {
        source_id: i64,
        report_id: i64,
        summary: String,
        /// Who filed it: a partenaire reads only their own reports' text.
        author: i64,
        organisation: super::Organisation,
        observed_on: time::Date,
    },
    Answer {
        source_id: i64,
        response_id: i64,
        question_id: i64,
        survey_id: i64,
        text: String,
        /// Whether staff have read it: only reviewed answers reach partenaires.
        reviewed: bool,
    },
    /// A pattern in a closed question's results.
    Question {
        source_id: i64,
        question_id: i64,
        survey_id: i64,
        label: String,
        note: String,
    },
}

/// One step of a need's status history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    pub status: NeedStatus,
    pub note: String,
    pub changed_by: String,
    pub changed_at: i64,
}

#[derive(Debug, Clone, Default)]
pub struct NeedInput {
    pub title: String,
    pub description: String,
    pub theme: String,
    pub communes: Vec<String>,
    pub publics: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedDraft {
    pub title: String,
    pub description: String,
    pub theme: String,
    pub communes: Vec<String>,
    pub publics: Vec<String>,
}

impl NeedDraft {
    pub fn parse(input: &NeedInput, lists: &super::Lists<'_>) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::default();
        let title = input.title.trim().to_owned();
        if title.is_empty() {
            errors.add(
                "title",
                "Donnez un intitulé au besoin, par exemple « Transport vers les services à Sens ».",
            );
        } else if title.chars().count() > 150 {
            errors.add("title", "150 caractères au plus.");
        }
        let description = input.description.trim().to_owned();
        if description.is_empty() {
            errors.add(
                "description",
                "Décrivez le besoin : qui, quoi, où, depuis quand.",
            );
        } else if description.chars().count() > 4000 {
            errors.add("description", "4 000 caractères au plus.");
        }
        let theme = input.theme.trim().to_owned();
        if !lists.themes.contains(&theme.as_str()) {
            errors.add("theme", "Choisissez le thème du besoin.");
        }
        let communes = known(&mut errors, "communes", &input.communes, lists.communes);
        let publics = known(&mut errors, "publics", &input.publics, lists.publics);
        errors.into_result(Self {
            title,
            description,
            theme,
            communes,
            publics,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::needs::Lists;

    #[test]
    fn a_need_has_a_title_a_description_and_a_theme() {
        let lists = Lists {
            communes: &["sergines"],
            themes: &["acces-aux-droits"],
            publics: &["familles"],
        };
        let input = NeedInput {
            title: "Transport vers les services".into(),
            description:
                "Des familles de Sergines renoncent à des rendez-vous à Sens faute de transport."
                    .into(),
            theme: "acces-aux-droits".into(),
            communes: vec!["sergines".into(), "sergines".into()],
            publics: vec![],
        };
        assert_eq!(
            NeedDraft::parse(&input, &lists).map(|d| d.communes),
            Ok(vec!["sergines".to_owned()])
        );
        let errors = NeedDraft::parse(&NeedInput::default(), &lists).expect_err("empty");
        for field in ["title", "description", "theme"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
    }
}
