//! One data row: its cells become form values, checked like a resident's form.

use std::collections::HashSet;

use super::header::{DATE_COLUMN, Slot};
use super::scan::control_character;
use super::{Dating, ImportProblem};
use crate::export::{WideColumn, unneutralise};
use crate::survey::{
    Answer, CollectionDate, FormValues, Question, QuestionOption, SurveyDefinition,
};

/// A valid row: its answers, its identifier if the file has an identifier column, the day
/// it was collected.
pub(super) struct ReadRow<'r> {
    pub answers: Vec<Answer>,
    pub id: Option<&'r str>,
    pub collected: CollectionDate,
}

/// `None` for a row with nothing in it, which spreadsheets write for formatted empty lines.
pub(super) type RowOutcome<'r> = Option<ReadRow<'r>>;

/// Identifiers longer than this are not numbers written on paper forms.
const MAX_ID: usize = 100;

pub(super) fn read<'r>(
    definition: &SurveyDefinition,
    columns: &[WideColumn<'_>],
    slots: &[Slot],
    record: &'r csv::StringRecord,
    excel: bool,
    line: usize,
    dating: &Dating<'_>,
) -> Result<RowOutcome<'r>, Vec<ImportProblem>> {
    if record.iter().all(|cell| cell.trim().is_empty()) {
        return Ok(None);
    }
    let mut problems = Vec::new();
    // Questions whose cells were already refused, so the validator does not add a
    // second message ("Choisissez une réponse.") about the same cell.
    let mut refused: HashSet<&str> = HashSet::new();
    let mut cells = vec![""; columns.len()];
    let mut id = None;
    let mut date = "";
    let mut extra = false;
    for (position, cell) in record.iter().enumerate() {
        // The Excel export put a quote before cells a spreadsheet could run as formulas.
        let cell = if excel {
            unneutralise(cell.trim())
        } else {
            cell.trim()
        };
        let slot = slots.get(position).copied().unwrap_or(Slot::Extra);
        if let Some(control) = control_character(cell) {
            let column = match slot {
                Slot::Meta(name) | Slot::Id(name) => name.to_owned(),
                Slot::Date => DATE_COLUMN.to_owned(),
                Slot::Answer(index) => {
                    refused.insert(&columns[index].question().code);
                    columns[index].code()
                }
                Slot::Extra => (position + 1).to_string(),
            };
            problems.push(ImportProblem::new(
                line,
                Some(column),
                format!(
                    "Caractère de contrôle interdit (U+{:04X}) : supprimez-le. Une cellule peut contenir des tabulations et des retours à la ligne, pas d'autres caractères invisibles.",
                    u32::from(control)
                ),
            ));
            continue;
        }
        match slot {
            Slot::Meta(_) => {}
            Slot::Id(_) => id = Some(cell),
            Slot::Date => date = cell,
            Slot::Answer(index) => cells[index] = cell,
            Slot::Extra => extra |= !cell.is_empty(),
        }
    }
    if let Some(Slot::Id(name)) = slots.iter().find(|s| matches!(s, Slot::Id(_))) {
        let message = match id {
            Some("") | None => Some("Identifiant manquant : quand le fichier a une colonne d'identifiant, chaque questionnaire a le sien.".to_owned()),
            Some(id) if id.chars().count() > MAX_ID => Some(format!(
                "Identifiant trop long : {MAX_ID} caractères au plus."
            )),
            Some(_) => None,
        };
        if let Some(message) = message {
            problems.push(ImportProblem::new(line, Some((*name).to_owned()), message));
        }
    }
    if extra {
        problems.push(ImportProblem::new(
            line,
            None,
            "Cette ligne a des valeurs à droite de la dernière colonne de l'en-tête : supprimez-les ou déplacez-les dans la bonne colonne.",
        ));
    }
    if cells.iter().all(|cell| cell.is_empty()) && refused.is_empty() {
        problems.push(ImportProblem::new(
            line,
            None,
            "Ligne vide de réponses : remplissez-la ou supprimez-la.",
        ));
        return Err(problems);
    }

    let mut pairs = Vec::new();
    for (column, cell) in columns.iter().zip(&cells) {
        let question = column.question();
        if cell.is_empty() {
            continue;
        }
        match column {
            WideColumn::Question(_) if question.kind.has_options() => {
                match find_option(question, cell, excel) {
                    Some(option) => pairs.push((question.code.clone(), option.code.clone())),
                    None => {
                        refused.insert(&question.code);
                        problems.push(ImportProblem::new(
                            line,
                            Some(question.code.clone()),
                            format!(
                                "Valeur inconnue « {cell} » pour {} : utilisez un des codes ou libellés du livre de codes.",
                                question.code
                            ),
                        ));
                    }
                }
            }
            WideColumn::Question(_) => pairs.push((question.code.clone(), (*cell).to_owned())),
            WideColumn::Option(_, option) => match *cell {
                "0" => {}
                "1" => pairs.push((question.code.clone(), option.code.clone())),
                _ => {
                    refused.insert(&question.code);
                    let code = column.code();
                    problems.push(ImportProblem::new(
                        line,
                        Some(code.clone()),
                        format!(
                            "Valeur « {cell} » pour {code} : écrivez 1 si la case est cochée, 0 ou rien sinon."
                        ),
                    ));
                }
            },
        }
    }

    let collected = match dating.day(date) {
        Ok(day) => Some(day),
        Err(message) => {
            problems.push(ImportProblem::new(
                line,
                Some(DATE_COLUMN.to_owned()),
                message,
            ));
            None
        }
    };
    let answers =
        match crate::survey::validate_submission(definition, &FormValues::from_pairs(pairs)) {
            Ok(answers) => answers,
            Err(errors) => {
                for (field, message) in errors.iter() {
                    if !refused.contains(field) {
                        problems.push(ImportProblem::new(line, Some(field.to_owned()), message));
                    }
                }
                Vec::new()
            }
        };
    match collected {
        Some(collected) if problems.is_empty() => Ok(Some(ReadRow {
            answers,
            id,
            collected,
        })),
        _ => {
            // Left to right, as people read the line.
            let position = |problem: &ImportProblem| {
                problem.column.as_deref().map_or(0, |code| {
                    if code == DATE_COLUMN {
                        return 0;
                    }
                    columns
                        .iter()
                        .position(|c| c.question().code == code || c.code() == code)
                        .map_or(usize::MAX, |i| i + 1)
                })
            };
            problems.sort_by_key(position);
            Err(problems)
        }
    }
}

/// The option a cell names by its code or its label, ignoring case. The dialect's own
/// form is tried first (labels in Excel, codes otherwise) in case a label looks like
/// another option's code.
fn find_option<'q>(question: &'q Question, cell: &str, excel: bool) -> Option<&'q QuestionOption> {
    let lower = cell.to_lowercase();
    let code = |o: &QuestionOption| o.code == cell;
    let label = |o: &QuestionOption| o.label.trim() == cell;
    let code_any_case = |o: &QuestionOption| o.code.to_lowercase() == lower;
    let label_any_case = |o: &QuestionOption| o.label.trim().to_lowercase() == lower;
    let tests: [&dyn Fn(&QuestionOption) -> bool; 4] = if excel {
        [&label, &code, &label_any_case, &code_any_case]
    } else {
        [&code, &label, &code_any_case, &label_any_case]
    };
    tests
        .iter()
        .find_map(|test| question.options.iter().find(|o| test(o)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::fixture::definition;

    #[test]
    fn options_by_code_or_label_in_any_case() {
        let d = definition();
        let q1 = d.questions.iter().find(|q| q.code == "Q1").expect("Q1");
        for (cell, code) in [
            ("O2", "O2"),
            ("o2", "O2"),
            ("- de 2 km", "O3"),
            ("ASSISTANTE MATERNELLE", "O1"),
            ("crèche \"les p'tits loups\"; charny", "O2"),
        ] {
            for excel in [true, false] {
                assert_eq!(
                    find_option(q1, cell, excel).map(|o| o.code.as_str()),
                    Some(code),
                    "{cell}"
                );
            }
        }
        assert!(find_option(q1, "Crèche", false).is_none());
    }

    #[test]
    fn each_dialect_prefers_its_own_form() {
        let mut d = definition();
        // A label that is also another option's code.
        d.questions[0].options[0].label = "O2".into();
        let q1 = &d.questions[0];
        assert_eq!(find_option(q1, "O2", true).map(|o| o.id), Some(101));
        assert_eq!(find_option(q1, "O2", false).map(|o| o.id), Some(102));
    }
}
