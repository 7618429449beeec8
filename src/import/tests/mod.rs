mod dedup;

use proptest::prelude::*;
use time::macros::date;

use super::*;
use crate::export::fixture::{answer_values, definition, form_pairs};
use crate::export::{CsvOut, ResponseRecord, wide_header, wide_row};

/// The paper collection point imports go through.
const POINT: i64 = 7;
/// The collection day given with the files, and today.
const DAY: Date = date!(2026 - 06 - 13);
const TODAY: Date = date!(2026 - 12 - 02);

fn paper_point(id: i64) -> CollectionPoint {
    CollectionPoint {
        id,
        survey_id: 42,
        code: crate::survey::CollectionCode::parse("pap234").expect("code"),
        label: "Questionnaires papier".into(),
        kind: crate::survey::PointKind::Paper,
        commune: None,
        starts_on: None,
        ends_on: None,
        live_screen: false,
        response_count: 0,
        territory: crate::territory::TerritoryId::new(1),
    }
}

/// The file imported through the point `point_id`, its rows collected on [`DAY`] unless
/// they say otherwise.
fn parse_at(
    definition: &SurveyDefinition,
    point_id: i64,
    bytes: &[u8],
) -> Result<Vec<ImportedRow>, Vec<ImportProblem>> {
    parse_dated(definition, point_id, bytes, Some(DAY))
}

fn parse_dated(
    definition: &SurveyDefinition,
    point_id: i64,
    bytes: &[u8],
    collected: Option<Date>,
) -> Result<Vec<ImportedRow>, Vec<ImportProblem>> {
    let point = paper_point(point_id);
    let collected = collected.map(|day| {
        CollectionDate::check(day, &definition.survey, &point, TODAY).expect("a valid day")
    });
    let target = ImportTarget {
        point: &point,
        collected,
        today: TODAY,
    };
    parse_wide(definition, &target, bytes)
}

/// A survey's responses exported in the wide layout, as staff would download them.
fn export(definition: &SurveyDefinition, dialect: Dialect, responses: &[Vec<Answer>]) -> Vec<u8> {
    let mut out = CsvOut::new(Vec::new(), dialect).expect("vec");
    out.write_row(&wide_header(definition, dialect))
        .expect("vec");
    for (id, answers) in (1..).zip(responses) {
        let record = ResponseRecord {
            id,
            point_code: "MARCHE-CHARNY".into(),
            point_name: "Marché de Charny".into(),
            channel: "papier".into(),
            submitted_hour: 1_795_957_200 + id * 3600,
            answers: answers.clone(),
        };
        out.write_row(&wide_row(definition, dialect, &record))
            .expect("vec");
    }
    out.into_inner().expect("vec")
}

fn sorted(mut answers: Vec<Answer>) -> Vec<Answer> {
    answers.sort_by_key(|a| (a.question_id, a.option_id));
    answers
}

fn responses() -> impl Strategy<Value = Vec<Vec<Answer>>> {
    let d = definition();
    prop::collection::vec(form_pairs(), 1..6).prop_map(move |all| {
        all.iter()
            .map(|pairs| {
                let pairs: Vec<(&str, &str)> = pairs
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                answer_values(&d, &pairs)
            })
            .collect()
    })
}

fn assert_round_trip(dialect: Dialect, responses: &[Vec<Answer>]) -> Result<(), TestCaseError> {
    let d = definition();
    let bytes = export(&d, dialect, responses);
    let rows = parse_at(&d, POINT, &bytes).map_err(|p| TestCaseError::fail(format!("{p:?}")))?;
    prop_assert_eq!(rows.len(), responses.len());
    for (row, answers) in rows.iter().zip(responses) {
        prop_assert_eq!(sorted(row.answers.clone()), sorted(answers.clone()));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn standard_export_imports_back_to_the_same_answers(responses in responses()) {
        assert_round_trip(Dialect::Standard, &responses)?;
    }

    #[test]
    fn excel_export_imports_back_to_the_same_answers(responses in responses()) {
        assert_round_trip(Dialect::ExcelFr, &responses)?;
    }
}

const HEADER: &str = "Q1,Q2_O1,Q2_O2,Q2_O3,Q2_O4,Q3,Q4,Q5,Q6,Q7,Q8,Q9\n";

fn problems(file: &str) -> Vec<(usize, Option<String>, String)> {
    parse_at(&definition(), POINT, file.as_bytes())
        .expect_err("refused")
        .into_iter()
        .map(|p| (p.line, p.column, p.message))
        .collect()
}

fn problem(line: usize, column: Option<&str>, message: &str) -> (usize, Option<String>, String) {
    (line, column.map(str::to_owned), message.to_owned())
}

#[test]
fn each_bad_row_is_reported_at_its_line_and_column() {
    let long = "é".repeat(281);
    let file = format!(
        "{HEADER}\
         O1,1,0,0,0,3,oui,mardi,12,,89068,18-25\n\
         O9,,,,,,non,,,,,\n\
         O1,,,,,,non,,2000,,,\n\
         \n\
         O1,,,,,,oui,{long},,,,\n\
         ,,,,,,oui,,,,,\n\
         O1,1,1,1,0,,non,,,,,\n\
         O1,,,,,,non,,,\"deux\nlignes\",,\n\
         O1,2,,,,,Peut-être,,douze,,,\n\
         ,,,,,,,,,,,\n\
         O1,,,,,,non,,,,,,,surplus\n"
    );
    assert_eq!(
        problems(&file),
        [
            problem(
                3,
                Some("Q1"),
                "Valeur inconnue « O9 » pour Q1 : utilisez un des codes ou libellés du livre de codes."
            ),
            problem(4, Some("Q6"), "Saisissez un nombre entre -10 et 1000."),
            problem(
                6,
                Some("Q5"),
                "Votre réponse est trop longue : 281 caractères pour 280 au plus."
            ),
            problem(7, Some("Q1"), "Choisissez une réponse."),
            problem(8, Some("Q2"), "Choisissez au plus 2 réponses."),
            problem(
                11,
                Some("Q2_O1"),
                "Valeur « 2 » pour Q2_O1 : écrivez 1 si la case est cochée, 0 ou rien sinon."
            ),
            problem(
                11,
                Some("Q4"),
                "Valeur inconnue « Peut-être » pour Q4 : utilisez un des codes ou libellés du livre de codes."
            ),
            problem(11, Some("Q6"), "Saisissez un nombre, par exemple 3 ou 2,5."),
            problem(
                13,
                None,
                "Cette ligne a des valeurs à droite de la dernière colonne de l'en-tête : supprimez-les ou déplacez-les dans la bonne colonne."
            ),
        ]
    );
}

#[test]
fn a_row_with_only_export_columns_has_no_answers() {
    let file = format!(
        "reponse,point,canal,date,{HEADER}\
         12,MARCHE,papier,2026-11-29T14:00:00+01:00,,,,,,,,,,,,\n"
    );
    assert_eq!(
        problems(&file),
        [problem(
            2,
            None,
            "Ligne vide de réponses : remplissez-la ou supprimez-la."
        )]
    );
}

#[test]
fn valid_rows_become_answers_with_their_lines() {
    let file = format!(
        "{HEADER}\
         O2,1,,,,5,oui,\"mardi, 18h\",\"2,5\",,hors-ccyn,\n\
         \n\
         assistante maternelle,,,,,,Non,,-3,\"deux\r\nlignes\",,\n"
    );
    let d = definition();
    let rows = parse_at(&d, POINT, file.as_bytes()).expect("valid");
    assert_eq!(rows.len(), 2);
    assert_eq!((rows[0].line, rows[1].line), (2, 4));
    let expected = answer_values(
        &d,
        &[
            ("Q1", "O2"),
            ("Q2", "O1"),
            ("Q3", "5"),
            ("Q4", "oui"),
            ("Q5", "mardi, 18h"),
            ("Q6", "2.5"),
            ("Q8", "hors-ccyn"),
        ],
    );
    assert_eq!(rows[0].answers, expected);
    assert_eq!(rows[1].answers[1].option_id, Some(402));
    assert_eq!(rows[1].answers[2].number, Some(-3.0));
    assert_eq!(rows[1].answers[3].text.as_deref(), Some("deux\r\nlignes"));
}

#[test]
fn excel_files_are_detected_and_their_quotes_removed() {
    // As Excel saves it: BOM, semicolons, labels, neutralised cells, CRLF.
    let file = "\u{feff}Q1 - Garde;Q2_O1;Q2_O2;Q2_O3;Q2_O4;Q3;Q4;Q5;Q6;Q7;Q8;Q9\r\n\
                '- de 2 km;;;;;;Oui;'=mardi;'-2,5;;Égriselles-le-Bocage;\r\n";
    let rows = parse_at(&definition(), POINT, file.as_bytes()).expect("valid");
    let answers = &rows[0].answers;
    assert_eq!(answers[0].option_id, Some(103));
    assert_eq!(answers[2].text.as_deref(), Some("=mardi"));
    assert_eq!(answers[3].number, Some(-2.5));
    assert_eq!(answers[4].option_id, Some(802));
    // Without a BOM, the semicolons alone tell the dialect; a quote without a formula
    // character after it is text.
    let file = "Q1;Q2_O1;Q2_O2;Q2_O3;Q2_O4;Q3;Q4;Q5;Q6;Q7;Q8;Q9\nO1;;;;;;non;;;'ok;;\n";
    let rows = parse_at(&definition(), POINT, file.as_bytes()).expect("valid");
    assert_eq!(rows[0].answers[2].text.as_deref(), Some("'ok"));
}

#[test]
fn bad_files_get_one_clear_message() {
    let d = definition();
    let only = |bytes: &[u8]| {
        let problems = parse_at(&d, POINT, bytes).expect_err("refused");
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, 1);
        problems[0].message.clone()
    };
    // "Crèche" in Windows-1252.
    let latin1 = b"Q1 - Cr\xe8che;Q2_O1\r\nO1;1\r\n";
    assert!(only(latin1).starts_with("Le fichier n'est pas encodé en UTF-8 : "));
    assert!(only(latin1).contains("CSV UTF-8"));
    let later = b"Q1,Q2_O1\nO1,1\nCr\xe8che,1\n";
    assert!(only(later).contains("ligne 3"));
    assert!(only(b"\xff\xfeQ\x001\x00").contains("UTF-16"));
    for empty in [&b""[..], b"\xEF\xBB\xBF", b"\r\n\r\n", b"  "] {
        assert!(only(empty).starts_with("Le fichier est vide"));
    }
    assert!(only(b"PK\x03\x04\x14\x00").starts_with("Ce fichier est un classeur"));
    assert!(only(b"%PDF\x00\x01").starts_with("Ce fichier n'est pas un fichier CSV"));
    assert!(only(b"nom,prenom\nDupont,Anne\n").starts_with("La première ligne n'est pas"));
    assert!(only(HEADER.as_bytes()).starts_with("Le fichier ne contient aucune réponse"));
}

#[test]
fn wrong_columns_are_named_and_nothing_is_imported() {
    let file = "Q1,Q2_O1,Q2_O2,Q2_O3,Q2_O4,Q4,Q5,Q6,Q7,Q8,Q9,Q10\nO1,,,,,non,,,,,,\n";
    assert_eq!(
        problems(file),
        [
            problem(1, Some("Q10"), "Colonne inconnue : Q10"),
            problem(1, Some("Q3"), "Colonne manquante : Q3"),
        ]
    );
}

#[test]
fn templates_hold_the_answer_columns_only() {
    let d = definition();
    let standard = template(&d, Dialect::Standard);
    assert_eq!(
        String::from_utf8(standard).expect("utf-8"),
        format!("date_collecte,{HEADER}")
    );
    let excel = template(&d, Dialect::ExcelFr);
    let text = String::from_utf8(excel).expect("utf-8");
    assert!(text.starts_with(
        "\u{feff}date_collecte - Date de collecte (jj/mm/aaaa);Q1 - Quel mode de garde utilisez-vous ?;Q2_O1 - "
    ));
    assert!(text.ends_with("Q9 - Quel âge avez-vous ?\r\n"));
    // A template filled in Excel imports, with or without its day.
    let filled =
        format!("{text}14/06/2026;Assistante maternelle;1;;;;;non;;;;;\r\n;O2;;;;;;non;;;;;\r\n");
    let rows = parse_at(&d, POINT, filled.as_bytes()).expect("valid");
    assert_eq!(rows[0].collected.date(), date!(2026 - 06 - 14));
    assert_eq!(rows[1].collected.date(), DAY);
}

#[test]
fn lines_are_counted_as_an_editor_shows_them() {
    let d = definition();
    for end in ["\n", "\r\n", "\r"] {
        let file = [
            "",
            HEADER.trim_end(),
            "O1,,,,,,non,,,,,",
            "",
            "",
            "O1,,,,,,non,,,\"trois",
            "lignes",
            "ici\",,",
            "O1,,,,,,non,,,,,",
        ]
        .join(end);
        let rows = parse_at(&d, POINT, file.as_bytes()).expect("valid");
        let lines: Vec<usize> = rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [3, 6, 9], "{end:?}");
        let file = file.replace("O1,,,,,,non,,,,,", "O1,,,,,,nan,,,,,");
        let lines: Vec<usize> = parse_at(&d, POINT, file.as_bytes())
            .expect_err("refused")
            .iter()
            .map(|p| p.line)
            .collect();
        assert_eq!(lines, [3, 9], "{end:?}");
    }
}

#[test]
fn each_row_is_dated_by_its_own_day_or_the_file_s() {
    let d = definition();
    let file = format!(
        "{}date_collecte\nO1,,,,,,non,,,,,,2026-04-12\nO1,,,,,,non,,,,,,\nO1,,,,,,non,,,,,, 3/5/2026 \n",
        HEADER.trim_end().to_owned() + ","
    );
    let rows = parse_at(&d, POINT, file.as_bytes()).expect("valid");
    let days: Vec<Date> = rows.iter().map(|r| r.collected.date()).collect();
    assert_eq!(
        days,
        [date!(2026 - 04 - 12), DAY, date!(2026 - 05 - 03)],
        "the column wins when it has a day"
    );
    assert_eq!(
        crate::domain::paris::local(rows[0].collected.unix()).hour(),
        12,
        "noon, Paris time"
    );
    // Without a day for the file, every row needs its own.
    let problems = parse_dated(&d, POINT, file.as_bytes(), None).expect_err("undated row");
    assert_eq!(problems.len(), 1);
    assert_eq!(
        (problems[0].line, problems[0].column.as_deref()),
        (3, Some("date_collecte"))
    );
    assert!(problems[0].is_missing_date());
    // Without the column either, the file says it once.
    let undated = format!("{HEADER}O1,,,,,,non,,,,,\nO1,,,,,,non,,,,,\n");
    let problems = parse_dated(&d, POINT, undated.as_bytes(), None).expect_err("undated");
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].line, 1);
    assert!(problems[0].is_missing_date());
    assert!(
        problems[0]
            .message
            .starts_with("Indiquez la date de collecte")
    );
}

#[test]
fn days_in_the_future_before_opening_or_unreadable_are_refused_where_they_are() {
    let file = format!(
        "date_collecte,{HEADER}03/12/2026,O1,,,,,,non,,,,,\n31/12/2025,O1,,,,,,non,,,,,\nhier,O9,,,,,,non,,,,,\n"
    );
    assert_eq!(
        problems(&file),
        [
            problem(
                2,
                Some("date_collecte"),
                "La date de collecte ne peut pas être dans le futur."
            ),
            problem(
                3,
                Some("date_collecte"),
                "L'enquête ouvre le 1er janvier 2026 : la date de collecte ne peut pas être antérieure."
            ),
            problem(
                4,
                Some("date_collecte"),
                "Saisissez une date valide, par exemple 13/06/2026."
            ),
            problem(
                4,
                Some("Q1"),
                "Valeur inconnue « O9 » pour Q1 : utilisez un des codes ou libellés du livre de codes."
            ),
        ]
    );
    assert!(!problems(&file).is_empty());
}
