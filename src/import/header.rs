//! The header line: which cell holds which answer column.

use super::ImportProblem;
use crate::export::{META_COLUMNS, WideColumn, unneutralise};

/// The optional column naming each paper questionnaire, as its header may spell it. When
/// present, a row's identifier (not its content) tells whether it was imported already.
pub(super) const ID_COLUMNS: [&str; 2] = ["id", "identifiant"];

/// The optional column giving each questionnaire's collection day; it wins over the day
/// given for the whole file.
pub const DATE_COLUMN: &str = "date_collecte";

/// What the cells under one header cell hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Slot {
    /// A column of the export the import ignores (`reponse`, `date`...), by its name.
    Meta(&'static str),
    /// The questionnaire's identifier, under the column of this name.
    Id(&'static str),
    /// The day the questionnaire was filled in ([`DATE_COLUMN`]).
    Date,
    /// The answer column at this index of the wide columns.
    Answer(usize),
    /// Unnamed cells after the last column, which spreadsheets sometimes add: they
    /// must stay empty.
    Extra,
}

/// The code a header cell names: `Q1` in `Q1 - Quel mode de garde ?`.
fn code_of(cell: &str) -> &str {
    let cell = unneutralise(cell.trim());
    cell.split_once(" - ").map_or(cell, |(code, _)| code).trim()
}

/// Maps each header cell to its column. The answer columns must all be there, once, in
/// the order of the survey; the export's other columns and an identifier column may be
/// there or not.
pub(super) fn read(
    columns: &[WideColumn<'_>],
    record: &csv::StringRecord,
    line: usize,
) -> Result<Vec<Slot>, Vec<ImportProblem>> {
    let expected: Vec<String> = columns.iter().map(WideColumn::code).collect();
    let codes: Vec<&str> = record.iter().map(code_of).collect();
    let named = codes
        .iter()
        .rposition(|c| !c.is_empty())
        .map_or(0, |i| i + 1);
    let mut problems = Vec::new();
    let mut slots = Vec::with_capacity(codes.len());
    let mut seen = vec![false; expected.len()];
    for (position, code) in codes.iter().enumerate() {
        if position >= named {
            slots.push(Slot::Extra);
        } else if code.is_empty() {
            slots.push(Slot::Extra);
            problems.push(ImportProblem::new(
                line,
                None,
                format!(
                    "La colonne {} n'a pas de nom : donnez-lui le nom d'une colonne du modèle ou supprimez-la.",
                    position + 1
                ),
            ));
        } else if let Some(meta) = META_COLUMNS.iter().find(|m| m.eq_ignore_ascii_case(code)) {
            slots.push(Slot::Meta(meta));
        } else if let Some(id) = ID_COLUMNS.iter().find(|i| i.eq_ignore_ascii_case(code)) {
            if slots.iter().any(|s| matches!(s, Slot::Id(_))) {
                problems.push(ImportProblem::new(
                    line,
                    Some((*id).to_owned()),
                    format!(
                        "Deux colonnes d'identifiant ({}) : gardez-en une seule.",
                        ID_COLUMNS.join(" ou ")
                    ),
                ));
            }
            slots.push(Slot::Id(id));
        } else if code.eq_ignore_ascii_case(DATE_COLUMN) {
            if slots.contains(&Slot::Date) {
                problems.push(ImportProblem::new(
                    line,
                    Some(DATE_COLUMN.to_owned()),
                    format!("Deux colonnes {DATE_COLUMN} : gardez-en une seule."),
                ));
            }
            slots.push(Slot::Date);
        } else if let Some(index) = expected.iter().position(|e| e.eq_ignore_ascii_case(code)) {
            if seen[index] {
                problems.push(ImportProblem::new(
                    line,
                    Some(expected[index].clone()),
                    format!("Colonne en double : {}", expected[index]),
                ));
            }
            seen[index] = true;
            slots.push(Slot::Answer(index));
        } else {
            slots.push(Slot::Extra);
            problems.push(ImportProblem::new(
                line,
                Some((*code).to_owned()),
                format!("Colonne inconnue : {code}"),
            ));
        }
    }
    if !slots.iter().any(|s| matches!(s, Slot::Answer(_))) {
        // Nothing recognised: listing every column would only bury the real cause.
        return Err(vec![ImportProblem::new(
            line,
            None,
            format!(
                "La première ligne n'est pas l'en-tête de cette enquête : elle doit nommer les colonnes {}. Téléchargez le modèle de l'enquête et recopiez les réponses en dessous.",
                expected.join(", ")
            ),
        )]);
    }
    for (code, _) in expected.iter().zip(&seen).filter(|(_, seen)| !**seen) {
        problems.push(ImportProblem::new(
            line,
            Some(code.clone()),
            format!("Colonne manquante : {code}"),
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let order: Vec<usize> = slots
        .iter()
        .filter_map(|s| match s {
            Slot::Answer(i) => Some(*i),
            _ => None,
        })
        .collect();
    if order.windows(2).any(|w| w[0] > w[1]) {
        return Err(vec![ImportProblem::new(
            line,
            None,
            format!(
                "Les colonnes ne sont pas dans l'ordre du modèle : remettez-les dans l'ordre {}.",
                expected.join(", ")
            ),
        )]);
    }
    Ok(slots)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::fixture::definition;
    use crate::export::wide_columns;

    fn header(cells: &[&str]) -> Result<Vec<Slot>, Vec<ImportProblem>> {
        let d = definition();
        read(
            &wide_columns(&d),
            &csv::StringRecord::from(cells.to_vec()),
            1,
        )
    }

    const CODES: [&str; 12] = [
        "Q1", "Q2_O1", "Q2_O2", "Q2_O3", "Q2_O4", "Q3", "Q4", "Q5", "Q6", "Q7", "Q8", "Q9",
    ];

    #[test]
    fn codes_are_read_before_the_dash_and_meta_columns_are_optional() {
        assert_eq!(code_of(" Q1 - Quel mode - de garde ? "), "Q1");
        assert_eq!(code_of("Q2_O1 - Lieux : Médiathèque"), "Q2_O1");
        let slots = header(&CODES).expect("bare codes");
        assert_eq!(slots[11], Slot::Answer(11));
        let mut with_meta = vec!["reponse", "point", "canal", "date"];
        with_meta.extend(CODES);
        with_meta.extend(["", ""]);
        let slots = header(&with_meta).expect("with meta and trailing cells");
        assert_eq!(
            slots[..5],
            [
                Slot::Meta("reponse"),
                Slot::Meta("point"),
                Slot::Meta("canal"),
                Slot::Meta("date"),
                Slot::Answer(0)
            ]
        );
        assert_eq!(slots[16..], [Slot::Extra, Slot::Extra]);
    }

    #[test]
    fn an_identifier_column_is_optional_anywhere_and_single() {
        let mut cells = CODES.to_vec();
        cells.insert(3, "Identifiant - n° du questionnaire");
        let slots = header(&cells).expect("with an identifier");
        assert_eq!(slots[3], Slot::Id("identifiant"));
        assert_eq!(slots[4], Slot::Answer(3));
        let mut cells = CODES.to_vec();
        cells.insert(0, "ID");
        assert_eq!(header(&cells).expect("id")[0], Slot::Id("id"));
        cells.push("identifiant");
        let problems = header(&cells).expect_err("two identifiers");
        assert_eq!(
            problems[0].message,
            "Deux colonnes d'identifiant (id ou identifiant) : gardez-en une seule."
        );
        // An identifier alone is not this survey's header.
        let problems = header(&["id", "nom"]).expect_err("foreign");
        assert!(
            problems[0]
                .message
                .starts_with("La première ligne n'est pas")
        );
    }

    #[test]
    fn a_collection_date_column_is_optional_anywhere_and_single() {
        let mut cells = CODES.to_vec();
        cells.insert(0, "date_collecte - Date de collecte (jj/mm/aaaa)");
        let slots = header(&cells).expect("with a date");
        assert_eq!(slots[0], Slot::Date);
        assert_eq!(slots[1], Slot::Answer(0));
        cells.push("DATE_COLLECTE");
        let problems = header(&cells).expect_err("two dates");
        assert_eq!(
            problems[0].message,
            "Deux colonnes date_collecte : gardez-en une seule."
        );
    }

    #[test]
    fn unknown_missing_duplicated_and_unnamed_columns_are_named() {
        let mut cells = CODES.to_vec();
        cells[2] = "Q9";
        cells.push("Q10 - Autre");
        cells.insert(5, "");
        let problems = header(&cells).expect_err("bad header");
        let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "La colonne 6 n'a pas de nom : donnez-lui le nom d'une colonne du modèle ou supprimez-la.",
                "Colonne en double : Q9",
                "Colonne inconnue : Q10",
                "Colonne manquante : Q2_O2",
            ]
        );
        assert_eq!(problems[3].column.as_deref(), Some("Q2_O2"));
        assert!(problems.iter().all(|p| p.line == 1));
    }

    #[test]
    fn order_must_match_and_a_foreign_header_gets_one_message() {
        let mut cells = CODES.to_vec();
        cells.swap(0, 1);
        let problems = header(&cells).expect_err("order");
        assert!(
            problems[0]
                .message
                .starts_with("Les colonnes ne sont pas dans l'ordre")
        );
        let problems = header(&["nom", "prénom", "âge"]).expect_err("foreign");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("Q1, Q2_O1"));
    }
}
