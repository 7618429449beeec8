//! Which rows a second import stores again, unclosed quotes and control characters.

use std::collections::HashSet;

use super::*;

fn tokens(file: &str, point: i64) -> Vec<String> {
    parse_at(&definition(), point, file.as_bytes())
        .expect("valid")
        .into_iter()
        .map(|row| row.token)
        .collect()
}

fn set(tokens: &[String]) -> HashSet<&str> {
    tokens.iter().map(String::as_str).collect()
}

const A: &str = "O1,,,,,,non,,,,,";
const B: &str = "O2,1,,,,5,oui,\"mardi, 18h\",\"2,5\",,hors-ccyn,";

#[test]
fn the_same_file_again_in_any_order_with_blank_lines_brings_nothing_new() {
    let first = tokens(&format!("{HEADER}{A}\n{A}\n{B}\n"), POINT);
    assert_eq!(
        set(&first).len(),
        3,
        "two identical questionnaires are two responses"
    );
    assert!(
        first
            .iter()
            .all(|t| t.len() == 32 && t.chars().all(|c| c.is_ascii_hexdigit()))
    );
    // The same answers as a spreadsheet may write them back: case, labels, empty
    // boxes as 0, a decimal point, quotes, CRLF.
    let resaved_b = "\"o2\",1,0,0,0,5,Oui,\"mardi, 18h\",2.5,,hors-ccyn,";
    let resaved_a = "Assistante maternelle,0,0,0,0,,NON,,,,,";
    for again in [
        format!("{HEADER}\n{A}\n{A}\n{B}\n"),
        format!("{HEADER}{B}\n{A}\n\n\n{A}\n"),
        format!(
            "{}\r\n{resaved_a}\r\n{resaved_b}\r\n{resaved_a}\r\n",
            HEADER.trim_end()
        ),
    ] {
        let again = tokens(&again, POINT);
        assert_eq!(set(&again), set(&first), "{again:?}");
    }
    // More questionnaires typed into the same file: only those are new.
    let more = tokens(&format!("{HEADER}{A}\n{B}\n{A}\n{A}\n{B}\n"), POINT);
    let new: Vec<&String> = more.iter().filter(|t| !first.contains(t)).collect();
    assert_eq!(new.len(), 2);
}

#[test]
fn another_file_or_another_point_is_imported() {
    let first = tokens(&format!("{HEADER}{A}\n{B}\n"), POINT);
    // Another file, whose lines 2 and 3 hold other answers than the first's.
    let other = "O3,,,,,,oui,,,,,";
    let second = tokens(&format!("{HEADER}{other}\n{other}\n"), POINT);
    assert!(second.iter().all(|t| !first.contains(t)));
    // The same file through another paper point holds other questionnaires.
    let elsewhere = tokens(&format!("{HEADER}{A}\n{B}\n"), POINT + 1);
    assert!(elsewhere.iter().all(|t| !first.contains(t)));
    // And another survey's import never collides.
    let mut d = definition();
    d.survey.id += 1;
    let rows = parse_at(&d, POINT, format!("{HEADER}{A}\n{B}\n").as_bytes()).expect("valid");
    assert!(rows.iter().all(|r| !first.contains(&r.token)));
}

#[test]
fn the_same_questionnaire_collected_another_day_is_another_response() {
    let d = definition();
    let file = format!("{HEADER}{A}\n{B}\n");
    let june = parse_at(&d, POINT, file.as_bytes()).expect("valid");
    let again = parse_at(&d, POINT, file.as_bytes()).expect("valid");
    assert_eq!(
        june, again,
        "the same file on the same day brings nothing new"
    );
    let later = time::macros::date!(2026 - 10 - 03);
    let october = parse_dated(&d, POINT, file.as_bytes(), Some(later)).expect("valid");
    assert!(
        october
            .iter()
            .all(|r| june.iter().all(|j| j.token != r.token))
    );
    // A day in the column counts as the file's day would.
    let dated = format!("date_collecte,{HEADER}2026-10-03,{A}\n03/10/2026,{B}\n");
    let column = parse_at(&d, POINT, dated.as_bytes()).expect("valid");
    let tokens = |rows: &[ImportedRow]| rows.iter().map(|r| r.token.clone()).collect::<Vec<_>>();
    assert_eq!(tokens(&column), tokens(&october));
}

#[test]
fn an_identifier_column_names_each_questionnaire() {
    let first = tokens(&format!("id,{HEADER}17,{A}\n18,{A}\n"), POINT);
    assert_eq!(set(&first).len(), 2);
    // The identifier decides, whatever the row says, the header's spelling or the order.
    let again = tokens(&format!("Identifiant,{HEADER}18,{B}\n\n 17 ,{A}\n"), POINT);
    assert_eq!(set(&again), set(&first));
    // Another batch of identical questionnaires, numbered on.
    let batch = tokens(&format!("id,{HEADER}19,{A}\n20,{A}\n"), POINT);
    assert!(batch.iter().all(|t| !first.contains(t)));
    // Anywhere in the header.
    let header = HEADER.trim_end();
    let last = tokens(&format!("{header},id\n{A},17\n"), POINT);
    assert_eq!(last[0], first[0]);

    assert_eq!(
        problems(&format!("id,{HEADER}17,{A}\n,{A}\n18,{B}\n17,{B}\n")),
        [
            problem(
                3,
                Some("id"),
                "Identifiant manquant : quand le fichier a une colonne d'identifiant, chaque questionnaire a le sien."
            ),
            problem(
                5,
                Some("id"),
                "L'identifiant « 17 » est déjà celui de la ligne 2 : chaque questionnaire a le sien."
            ),
        ]
    );
}

const UNCLOSED: &str = "Guillemet non fermé : cette cellule commence par un guillemet (\") que rien ne referme, si bien que la suite du fichier y serait lue. Ajoutez le guillemet fermant à la fin de la cellule, ou retirez celui du début.";

#[test]
fn an_unclosed_quote_is_reported_where_it_opens_and_nothing_is_imported() {
    // Read as CSV, rows 3 and 4 would become part of the text answer of row 2.
    let file = format!("{HEADER}{A}\nO1,,,,,,non,\"mardi,,,,\nO3,,,,,,oui,,,,,\n{A}\n");
    assert_eq!(problems(&file), [problem(3, Some("Q5"), UNCLOSED)]);
    let excel = format!(
        "{}\r\n\r\nO1;;;;;;non;;;\"deux\r\nlignes\";;\r\nO1;;;;;;non;;;;;\"\r\n",
        HEADER.trim_end().replace(',', ";")
    );
    assert_eq!(problems(&excel), [problem(5, Some("Q9"), UNCLOSED)]);
    let header = format!("\"Q1,{}{A}\n", &HEADER[3..]);
    assert_eq!(problems(&header), [problem(1, None, UNCLOSED)]);
}

#[test]
fn control_characters_are_refused_with_their_line_and_column() {
    let message = |code: &str| {
        format!(
            "Caractère de contrôle interdit (U+{code}) : supprimez-le. Une cellule peut contenir des tabulations et des retours à la ligne, pas d'autres caractères invisibles."
        )
    };
    let file = format!(
        "reponse,{HEADER}\
         1,O1,,,,,,non,mar\0di,,,,\n\
         2,O1,,,,,,non,,,\"deux\tcolonnes\r\nlignes\",,\n\
         \u{7},O1,,,,,,non,,,,,\n\
         4,O1,,,,,,n\u{1b}on,,,,,\n"
    );
    assert_eq!(
        problems(&file),
        [
            problem(2, Some("Q5"), &message("0000")),
            problem(5, Some("reponse"), &message("0007")),
            problem(6, Some("Q4"), &message("001B")),
        ]
    );
}
