//! What every layout shares (the response as read, its answers as cell values), the long
//! layout (one row per answer) and the codebook that explains the codes. The wide layout
//! is in `wide.rs`.

use super::Dialect;
use crate::survey::{Answer, Question, SurveyDefinition};

/// The columns before the answers in the wide layout; the importer ignores them.
pub const META_COLUMNS: [&str; 5] = ["reponse", "point", "point_nom", "canal", "date"];

/// One stored response, as the exports read it.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseRecord {
    pub id: i64,
    pub point_code: String,
    /// The collection point's name, as staff called it ("Ville à Joie - stand CCYN").
    pub point_name: String,
    /// The channel code (`web`, `kiosque`, `papier`).
    pub channel: String,
    /// Unix time, rounded down to the hour when stored.
    pub submitted_hour: i64,
    pub answers: Vec<Answer>,
}
pub fn long_header() -> Vec<String> {
    ["reponse", "question", "option", "valeur"]
        .map(str::to_owned)
        .to_vec()
}

/// One row per answer, in question order: response, question code, option code (empty
/// for texts and numbers), value.
pub fn long_rows(
    definition: &SurveyDefinition,
    dialect: Dialect,
    record: &ResponseRecord,
) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for question in &definition.questions {
        // The options of a multiple choice in the question's order, however they were
        // stored: the same response always gives the same lines.
        let mut own: Vec<&Answer> = record
            .answers
            .iter()
            .filter(|a| a.question_id == question.id)
            .collect();
        own.sort_by_key(|a| {
            a.option_id
                .and_then(|id| question.options.iter().position(|o| o.id == id))
        });
        for answer in own {
            let option = answer
                .option_id
                .and_then(|id| question.options.iter().find(|o| o.id == id))
                .map(|o| o.code.clone())
                .unwrap_or_default();
            rows.push(vec![
                record.id.to_string(),
                question.code.clone(),
                option,
                answer_value(question, dialect, answer),
            ]);
        }
    }
    rows
}

/// The codebook, header first: one row per question, each followed by its options.
pub fn codebook_rows(definition: &SurveyDefinition) -> Vec<Vec<String>> {
    let header = [
        "question",
        "libelle",
        "type",
        "obligatoire",
        "option",
        "libelle_option",
    ];
    let mut rows = vec![header.map(str::to_owned).to_vec()];
    for question in &definition.questions {
        rows.push(vec![
            question.code.clone(),
            question.label.clone(),
            question.kind.label().to_owned(),
            if question.required { "oui" } else { "non" }.to_owned(),
            String::new(),
            String::new(),
        ]);
        for option in &question.options {
            rows.push(vec![
                question.code.clone(),
                String::new(),
                String::new(),
                String::new(),
                option.code.clone(),
                option.label.clone(),
            ]);
        }
    }
    rows
}

/// An option's code for R, its label for Excel; a number per dialect; a text as typed.
fn answer_value(question: &Question, dialect: Dialect, answer: &Answer) -> String {
    let mut value = String::new();
    write_answer_value(question, dialect, answer, &mut value);
    value
}

pub(super) fn write_answer_value(
    question: &Question,
    dialect: Dialect,
    answer: &Answer,
    out: &mut String,
) {
    if let Some(id) = answer.option_id {
        // An option deleted since gives an empty cell rather than a dangling id.
        if let Some(option) = question.options.iter().find(|o| o.id == id) {
            out.push_str(match dialect {
                Dialect::ExcelFr => &option.label,
                Dialect::Standard => &option.code,
            });
        }
        return;
    }
    if let Some(number) = answer.number {
        out.push_str(&dialect.number(number));
        return;
    }
    if let Some(text) = &answer.text {
        out.push_str(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::fixture::{definition, record};

    #[test]
    fn long_rows_one_per_answer() {
        let d = definition();
        let r = record(
            7,
            &[
                ("Q1", "O3"),
                ("Q2", "O2"),
                ("Q2", "O3"),
                ("Q4", "non"),
                ("Q6", "3"),
            ],
        );
        assert_eq!(long_header(), ["reponse", "question", "option", "valeur"]);
        let standard = long_rows(&d, Dialect::Standard, &r);
        assert_eq!(
            standard,
            [
                ["7", "Q1", "O3", "O3"],
                ["7", "Q2", "O2", "O2"],
                ["7", "Q2", "O3", "O3"],
                ["7", "Q4", "non", "non"],
                ["7", "Q6", "", "3"],
            ]
        );
        // Stored in another order (as an older database may hold them): same lines.
        let mut shuffled = r.clone();
        shuffled.answers.reverse();
        assert_eq!(long_rows(&d, Dialect::Standard, &shuffled), standard);
        let excel = long_rows(&d, Dialect::ExcelFr, &r);
        assert_eq!(excel[0][3], "- de 2 km");
        assert_eq!(excel[1][3], "Piscine, l'été");
        assert_eq!(excel[3][3], "Non");
    }

    #[test]
    fn codebook_lists_questions_then_their_options() {
        let d = definition();
        let rows = codebook_rows(&d);
        assert_eq!(
            rows[0],
            [
                "question",
                "libelle",
                "type",
                "obligatoire",
                "option",
                "libelle_option"
            ]
        );
        assert_eq!(
            rows[1],
            [
                "Q1",
                "Quel mode de garde utilisez-vous ?",
                "Choix unique",
                "oui",
                "",
                ""
            ]
        );
        assert_eq!(rows[2], ["Q1", "", "", "", "O1", "Assistante maternelle"]);
        let options: usize = d.questions.iter().map(|q| q.options.len()).sum();
        assert_eq!(rows.len(), 1 + d.questions.len() + options);
        assert!(rows.iter().any(|r| r[2] == "Échelle de 1 à 5"));
    }
}
