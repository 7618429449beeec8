//! CSV exports, paper questionnaires and typing in paper answers (imports: imports.rs).

use crate::support::{Session, TestApp, valid_answers};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use pouls::domain::Role;

on_both_backends!(
    the_excel_export_opens_right_in_french_spreadsheets,
    the_standard_export_is_for_r_and_python,
    a_large_export_holds_every_response_once_in_order,
    columns_depend_on_the_survey_only,
    long_and_codebook_layouts,
    partenaires_only_get_aggregates,
    the_paper_questionnaire_prints_boxes_lines_and_the_code,
    staff_type_in_paper_answers_one_after_another,
    other_exports_list_reports_needs_decisions_and_indicators,
    inverted_date_ranges_are_errors_next_to_their_field,
);

async fn export(
    app: &TestApp,
    session: &Session,
    survey: i64,
    query: &str,
) -> (StatusCode, String, Vec<u8>) {
    let request = Request::get(format!("/admin/enquetes/{survey}/export?{query}"))
        .header(header::COOKIE, &session.cookie)
        .body(Body::empty())
        .expect("request");
    let response = app.request(request).await;
    let content_type = response.header("content-type").to_owned();
    (response.status, content_type, response.body.into_bytes())
}

async fn the_excel_export_opens_right_in_french_spreadsheets(app: TestApp) {
    let f = app.fixture().await;
    let mut answers = valid_answers();
    answers.push((
        "Q7",
        "=HYPERLINK(\"http://x\";\"clic\") ; et des « guillemets »\nsur deux lignes",
    ));
    let answers: Vec<(&str, &str)> = answers
        .into_iter()
        .map(|(q, v)| if q == "Q6" { (q, "2,5") } else { (q, v) })
        .collect();
    assert_eq!(
        app.answer(&f.online, &answers).await.status,
        StatusCode::SEE_OTHER
    );
    let agent = app.staff(Role::Agent).await;
    let (status, content_type, bytes) =
        export(&app, &agent, f.survey_id, "format=wide&dialecte=excel").await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("text/csv"));
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "UTF-8 with BOM");
    let text = String::from_utf8(bytes[3..].to_vec()).expect("UTF-8");
    assert!(text.contains("\r\n"), "CRLF");
    let header = text.lines().next().expect("header");
    assert!(header.starts_with(
        "reponse;point;point_nom;canal;date;Q1 - Quel service utilisez-vous le plus ?;"
    ));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader
        .records()
        .collect::<Result<_, _>>()
        .expect("valid CSV");
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert!(
        row.iter()
            .all(|cell| !cell.starts_with(['=', '+', '-', '@', '\t', '\r'])),
        "no cell runs as a formula"
    );
    assert!(
        row.iter()
            .any(|cell| cell.starts_with("'=HYPERLINK(") && cell.contains("\nsur deux lignes"))
    );
    assert!(row.iter().any(|cell| cell == "2,5"), "decimal comma");
    assert!(row.iter().any(|cell| cell == "RPE"), "labels in Excel");
    assert_eq!(&row[1], f.online, "the point's code");
    assert_eq!(&row[2], "En ligne (site Pouls)", "and its name");
    let date = &row[4];
    assert!(
        date.len() == 16 && date.as_bytes()[2] == b'/' && date.as_bytes()[5] == b'/',
        "dd/mm/yyyy HH:MM: {date}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'export_downloaded'")
            .await,
        1,
        "audited"
    );
}

async fn the_standard_export_is_for_r_and_python(app: TestApp) {
    let f = app.fixture().await;
    app.answer(&f.online, &valid_answers()).await;
    let agent = app.staff(Role::Agent).await;
    let (_, _, bytes) = export(&app, &agent, f.survey_id, "format=wide&dialecte=standard").await;
    assert!(!bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "no BOM");
    let text = String::from_utf8(bytes).expect("UTF-8");
    assert!(!text.contains('\r'), "LF only");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().expect("header").clone();
    assert_eq!(&header[1], "point");
    assert_eq!(&header[2], "point_nom");
    assert_eq!(&header[5], "Q1");
    let row = reader.records().next().expect("a row").expect("valid");
    assert_eq!(
        &row[2], "En ligne (site Pouls)",
        "the point's name beside its code"
    );
    assert_eq!(&row[5], "O2", "codes in the standard dialect");
    assert!(
        row[4].contains('T') && (row[4].ends_with("+01:00") || row[4].ends_with("+02:00")),
        "ISO 8601: {}",
        &row[4]
    );
}

/// Exports read the responses page by page: none is lost or repeated at a page's edge,
/// and a point's filter holds across pages.
async fn a_large_export_holds_every_response_once_in_order(app: TestApp) {
    let f = app.fixture().await;
    let at = 1_780_000_000;
    let stored = app
        .store_valid_answers(
            f.survey_id,
            &[
                (&f.online, at, 700),
                (&f.kiosk, at, 501),
                (&f.online, at, 302),
            ],
        )
        .await;
    assert_eq!(stored, 1_503);
    let agent = app.staff(Role::Agent).await;
    let ids = |bytes: Vec<u8>| -> Vec<i64> {
        csv::Reader::from_reader(&bytes[..])
            .records()
            .map(|r| r.expect("valid")[0].parse().expect("an id"))
            .collect()
    };
    let (_, _, all) = export(&app, &agent, f.survey_id, "dialecte=standard").await;
    let all = ids(all);
    assert_eq!(all.len(), 1_503);
    assert!(all.windows(2).all(|w| w[0] < w[1]), "each once, in order");
    let (_, _, kiosk) = export(
        &app,
        &agent,
        f.survey_id,
        &format!("dialecte=standard&point={}", f.kiosk),
    )
    .await;
    assert_eq!(ids(kiosk).len(), 501);
    let (_, _, long) = export(&app, &agent, f.survey_id, "dialecte=standard&format=long").await;
    let long = String::from_utf8(long).expect("UTF-8");
    assert_eq!(
        long.lines().count() - 1,
        1_503 * valid_answers().len(),
        "one line per answer"
    );
}

async fn columns_depend_on_the_survey_only(app: TestApp) {
    let f = app.fixture().await;
    let agent = app.staff(Role::Agent).await;
    let (_, _, empty) = export(&app, &agent, f.survey_id, "dialecte=standard").await;
    let empty_header = String::from_utf8(empty)
        .expect("UTF-8")
        .lines()
        .next()
        .map(str::to_owned)
        .expect("header");
    let mut full = valid_answers();
    full.extend([("Q7", "Merci"), ("Q9", "familles"), ("Q10", "26-39")]);
    app.answer(&f.online, &full).await;
    let minimal: Vec<(&str, &str)> = valid_answers()
        .into_iter()
        .filter(|(q, _)| *q != "Q4" && *q != "Q5")
        .chain([("Q4", "non")])
        .collect();
    app.answer(&f.event, &minimal).await;
    let (_, _, bytes) = export(&app, &agent, f.survey_id, "dialecte=standard").await;
    let text = String::from_utf8(bytes).expect("UTF-8");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().expect("header").clone();
    assert_eq!(
        header.iter().collect::<Vec<_>>().join(","),
        empty_header,
        "same columns with or without answers"
    );
    for row in reader.records() {
        assert_eq!(row.expect("row").len(), header.len());
    }
    // One collection point only.
    let (_, _, bytes) = export(
        &app,
        &agent,
        f.survey_id,
        &format!("dialecte=standard&point={}", f.event),
    )
    .await;
    assert_eq!(String::from_utf8(bytes).expect("UTF-8").lines().count(), 2);
}

async fn long_and_codebook_layouts(app: TestApp) {
    let f = app.fixture().await;
    app.answer(&f.online, &valid_answers()).await;
    let agent = app.staff(Role::Agent).await;
    let (_, _, long) = export(&app, &agent, f.survey_id, "format=long&dialecte=standard").await;
    let long = String::from_utf8(long).expect("UTF-8");
    assert_eq!(long.lines().next(), Some("reponse,question,option,valeur"));
    assert_eq!(long.lines().count(), 1 + 8, "one row per answer");
    assert!(long.lines().any(|l| l.ends_with(",Q2,O3,O3")));
    let (_, _, codebook) = export(
        &app,
        &agent,
        f.survey_id,
        "format=codebook&dialecte=standard",
    )
    .await;
    let codebook = String::from_utf8(codebook).expect("UTF-8");
    assert!(codebook.starts_with("question,libelle,type,obligatoire,option,libelle_option"));
    assert!(codebook.contains("Q8,"));
    assert!(codebook.contains(",sergines,Sergines"));
}

async fn partenaires_only_get_aggregates(app: TestApp) {
    let f = app.fixture().await;
    for _ in 0..3 {
        app.answer(&f.online, &valid_answers()).await;
    }
    let partenaire = app.staff(Role::Partenaire).await;
    let (status, _, _) = export(&app, &partenaire, f.survey_id, "").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let aggregate = app
        .get_as(
            &partenaire,
            &format!(
                "/admin/enquetes/{}/export-agrege?dialecte=standard",
                f.survey_id
            ),
        )
        .await;
    assert_eq!(aggregate.status, StatusCode::OK);
    assert!(
        aggregate
            .body
            .contains("Q1,Quel service utilisez-vous le plus ?,O2,RPE,< 5")
    );
    assert!(
        !aggregate.body.contains(",3\n"),
        "exact small counts never leave"
    );
    let agent = app.staff(Role::Agent).await;
    let exact = app
        .get_as(
            &agent,
            &format!(
                "/admin/enquetes/{}/export-agrege?dialecte=standard",
                f.survey_id
            ),
        )
        .await;
    assert!(
        exact
            .body
            .contains("Q1,Quel service utilisez-vous le plus ?,O2,RPE,3")
    );
}

async fn the_paper_questionnaire_prints_boxes_lines_and_the_code(app: TestApp) {
    let f = app.fixture().await;
    let agent = app.staff(Role::Agent).await;
    let page = app
        .get_as(
            &agent,
            &format!("/admin/enquetes/{}/papier?point={}", f.survey_id, f.event),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<h1>Besoins des familles</h1>"));
    assert!(page.body.contains("class=\"box\""), "boxes to tick");
    assert!(
        page.body.contains("class=\"lines long\""),
        "lines to write on"
    );
    assert!(page.body.contains(&format!("code {}", f.event)));
    assert!(page.body.contains("<svg"), "the QR code");
    assert!(page.body.contains("Seulement si vous avez répondu « Oui »"));
    // Without a paper point, the page says one is needed and offers to create it.
    let path = format!("/admin/enquetes/{}/papier", f.survey_id);
    let page = app.get_as(&agent, &path).await;
    assert!(
        page.body
            .contains("pas encore de point de collecte « Papier »")
    );
    let create = format!(
        "href=\"/admin/enquetes/{}/points/nouveau?type=papier\"",
        f.survey_id
    );
    assert!(page.body.contains(&create), "{}", page.body);
    let form = app
        .get_as(
            &agent,
            &format!("/admin/enquetes/{}/points/nouveau?type=papier", f.survey_id),
        )
        .await;
    assert!(form.body.contains("<option value=\"papier\" selected>"));
    // With one, the sheet carries the paper point's own code, and staff may pick another.
    let (_, paper) = app.paper_point(&f).await;
    let page = app.get_as(&agent, &path).await;
    assert!(!page.body.contains("pas encore de point de collecte"));
    assert!(
        page.body.contains(&format!("Ou en ligne : code {paper}")),
        "{}",
        page.body
    );
    assert!(page.body.contains(&format!("(code {paper}). Merci")));
    assert!(
        !page
            .body
            .contains(&format!("Ou en ligne : code {}", f.online))
    );
    assert!(
        page.body
            .contains(&format!("<option value=\"{paper}\" selected>"))
    );
    assert!(
        page.body
            .contains(&format!("<option value=\"{}\">", f.online))
    );
    // Someone scanning the sheet's QR code answers on the web, through the paper point.
    assert_eq!(
        app.answer(&paper, &valid_answers()).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM response WHERE channel = 'web'")
            .await,
        1
    );
}

async fn staff_type_in_paper_answers_one_after_another(app: TestApp) {
    let f = app.fixture().await;
    let agent = app.staff(Role::Agent).await;
    // "Saisir des réponses papier" is always on the survey's page; without a paper point
    // it says why one is needed and offers to create it.
    let survey = format!("/admin/enquetes/{}", f.survey_id);
    let page = app.get_as(&agent, &survey).await;
    assert!(page.body.contains(&format!("href=\"{survey}/saisie\"")));
    assert!(
        page.body
            .contains("pas encore de point de collecte « Papier »")
    );
    let start = app.get_as(&agent, &format!("{survey}/saisie")).await;
    assert_eq!(start.status, StatusCode::OK);
    assert!(start.body.contains("Créer un point de collecte papier"));
    let (id, _) = app.paper_point(&f).await;
    let start = app.get_as(&agent, &format!("{survey}/saisie")).await;
    assert_eq!(start.status, StatusCode::SEE_OTHER);
    assert_eq!(
        start.header("location"),
        format!("/admin/points/{id}/saisie")
    );
    assert!(
        !app.get_as(&agent, &survey)
            .await
            .body
            .contains("pas encore de point de collecte")
    );

    let form = app
        .get_as(&agent, &format!("/admin/points/{id}/saisie"))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("name=\"csrf\""));
    assert!(
        form.body.contains("name=\"date_collecte\""),
        "the collection day"
    );
    let token = |body: &str| {
        body.split("name=\"jeton\" value=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .expect("token")
            .to_owned()
    };
    let first = token(&form.body);
    // The day is asked for, and refused in the future or before the survey opened.
    for (day, message) in [
        (
            "",
            "Indiquez le jour où les questionnaires ont été remplis.",
        ),
        (
            "2099-06-13",
            "La date de collecte ne peut pas être dans le futur.",
        ),
        (
            "2025-12-31",
            "la date de collecte ne peut pas être antérieure.",
        ),
    ] {
        let mut fields = valid_answers();
        fields.extend([("jeton", first.as_str()), ("date_collecte", day)]);
        let refused = app
            .post(&format!("/admin/points/{id}/saisie"), Some(&agent), &fields)
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{day}");
        assert!(refused.body.contains(message), "{day}: {}", refused.body);
        assert!(refused.body.contains("champ-date_collecte-erreur"));
        assert!(
            refused.body.contains("value=\"O2\" checked"),
            "answers kept"
        );
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 0);

    let mut fields = valid_answers();
    fields.extend([("jeton", first.as_str()), ("date_collecte", "13/06/2026")]);
    let stored = app
        .post(&format!("/admin/points/{id}/saisie"), Some(&agent), &fields)
        .await;
    assert_eq!(stored.status, StatusCode::SEE_OTHER, "{}", stored.body);
    assert_eq!(
        stored.header("location"),
        format!("/admin/points/{id}/saisie?saisie=1&date=2026-06-13")
    );
    let next = app.get_as(&agent, stored.header("location")).await;
    assert!(
        next.body
            .contains("Réponse enregistrée, datée du 13 juin 2026 (1 réponse pour ce point)"),
        "{}",
        next.body
    );
    assert!(
        next.body.contains("value=\"2026-06-13\""),
        "the day is kept for the next sheet"
    );
    assert!(
        !next.body.contains(&first),
        "an empty form with a new token"
    );
    assert!(!next.body.contains("checked"), "an empty form");
    // Stored at noon, Paris time, on the day of the collection, not of the typing.
    let june = pouls::domain::paris::noon(time::macros::date!(2026 - 06 - 13));
    assert_eq!(
        app.count("SELECT submitted_hour FROM response WHERE channel = 'papier'")
            .await,
        june
    );
    let mut fields = valid_answers();
    let second = token(&next.body);
    fields.extend([("jeton", second.as_str()), ("date_collecte", "2026-06-13")]);
    let again = app
        .post(&format!("/admin/points/{id}/saisie"), Some(&agent), &fields)
        .await;
    let next = app.get_as(&agent, again.header("location")).await;
    assert!(next.body.contains("(2 réponses pour ce point)"));
    let wrong = app
        .post(
            &format!("/admin/points/{id}/saisie"),
            Some(&agent),
            &[("Q6", "trente"), ("date_collecte", "2026-06-13")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("value=\"trente\""));
    assert!(wrong.body.contains("value=\"2026-06-13\""));
    // Only paper points have an entry screen.
    let online: i64 = app
        .count(&format!(
            "SELECT id FROM collection_point WHERE code = '{}'",
            f.online
        ))
        .await;
    assert_eq!(
        app.get_as(&agent, &format!("/admin/points/{online}/saisie"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

async fn other_exports_list_reports_needs_decisions_and_indicators(app: TestApp) {
    let f = app.fixture().await;
    let agent = app.staff(Role::Agent).await;
    for kind in ["indicateurs", "remontees", "besoins", "decisions"] {
        let response = app
            .get_as(&agent, &format!("/admin/exports/{kind}?dialecte=excel"))
            .await;
        assert_eq!(response.status, StatusCode::OK, "{kind}");
        assert!(response.header("content-disposition").contains(kind));
    }
    let indicators = app
        .get_as(
            &agent,
            "/admin/exports/indicateurs?dialecte=standard&periode=2026",
        )
        .await;
    assert_eq!(indicators.body.lines().count(), 84);
    assert_eq!(
        indicators.body.lines().next(),
        Some("code,action,libelle,periode,categorie,valeur,unite,n,unite_n,source"),
        "stable column names for scripts"
    );
    // Two of three chose 4 or 5: 66.666...% reads 66.67, never with 14 decimals.
    let low: Vec<(&str, &str)> = valid_answers()
        .into_iter()
        .map(|(q, v)| if q == "Q3" { (q, "2") } else { (q, v) })
        .collect();
    for answers in [valid_answers(), valid_answers(), low] {
        assert_eq!(
            app.answer(&f.online, &answers).await.status,
            StatusCode::SEE_OTHER
        );
    }
    let definition = app.definition(f.survey_id).await;
    let share = pouls::indicators::RuleDraft::parse(
        "share",
        &["4".to_owned(), "5".to_owned()],
        &definition.questions[2],
        &definition.survey.actions,
        15,
    )
    .expect("rule");
    app.territory
        .add_rule("A15.5", &share, &f.admin)
        .await
        .expect("add")
        .expect("same kind");
    let year = pouls::domain::paris::today().year();
    let standard = app
        .get_as(
            &agent,
            &format!("/admin/exports/indicateurs?dialecte=standard&periode={year}"),
        )
        .await;
    let row = standard
        .body
        .lines()
        .find(|l| l.starts_with("A15.5,"))
        .expect("A15.5");
    assert!(row.contains(&format!(",{year},,66.67,%,3,")), "{row}");
    let excel = app
        .get_as(
            &agent,
            &format!("/admin/exports/indicateurs?dialecte=excel&periode={year}"),
        )
        .await;
    let text = excel.body.trim_start_matches('\u{feff}');
    assert_eq!(
        text.lines().next(),
        Some(
            "Code;Action;Indicateur;Période;Catégorie;Valeur;Unité;Effectif (n);Unité de l'effectif;Source"
        ),
        "French headers for a spreadsheet"
    );
    let row = text
        .lines()
        .find(|l| l.starts_with("A15.5;"))
        .expect("A15.5");
    assert!(row.contains(&format!(";{year};;66,67;%;3;")), "{row}");
    let partenaire = app.staff(Role::Partenaire).await;
    assert_eq!(
        app.get_as(&partenaire, "/admin/exports/indicateurs")
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.get_as(&partenaire, "/admin/exports/remontees")
            .await
            .status,
        StatusCode::FORBIDDEN,
        "others' field reports are not for partenaires"
    );
    let decisions = app
        .get_as(&partenaire, "/admin/exports/decisions?dialecte=standard")
        .await;
    assert_eq!(
        decisions.status,
        StatusCode::OK,
        "staff-written, so theirs too"
    );
    assert_eq!(
        decisions.body.lines().next(),
        Some(
            "decision,reunion,type_reunion,date_reunion,action,besoin,intitule_besoin,ce_qui_change,porteur,echeance,etat"
        )
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'export_downloaded'")
            .await,
        9,
        "every download is recorded"
    );
}

/// An end before the start would export, or list, nothing without saying why.
async fn inverted_date_ranges_are_errors_next_to_their_field(app: TestApp) {
    let f = app.fixture().await;
    app.answer(&f.online, &valid_answers()).await;
    let agent = app.staff(Role::Agent).await;
    let page = app
        .get_as(&agent, &format!("/admin/enquetes/{}", f.survey_id))
        .await;
    assert!(
        page.body.contains("name=\"du\""),
        "the export form has dates"
    );
    let (status, content_type, body) = export(
        &app,
        &agent,
        f.survey_id,
        "format=wide&dialecte=standard&du=2026-06-30&au=2026-06-01",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(content_type.starts_with("text/html"));
    let body = String::from_utf8(body).expect("UTF-8");
    assert!(body.contains("La date de fin doit suivre la date de début."));
    assert!(
        body.contains("aria-describedby=\"champ-au-erreur\""),
        "the error is tied to its field: {body}"
    );
    assert!(
        body.contains("value=\"2026-06-30\""),
        "what was typed is kept"
    );
    let (status, _, body) = export(&app, &agent, f.survey_id, "du=31/02/2026").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        String::from_utf8(body)
            .expect("UTF-8")
            .contains("Saisissez une date valide")
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'export_downloaded'")
            .await,
        0,
        "no file, no export"
    );
    // A range in order exports what it covers.
    let year = pouls::domain::paris::today().year();
    let (status, _, body) = export(
        &app,
        &agent,
        f.survey_id,
        &format!("dialecte=standard&du={year}-01-01&au={year}-12-31"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(String::from_utf8(body).expect("UTF-8").lines().count(), 2);
    // The audit log's filter too.
    let admin = app.staff(Role::Admin).await;
    let journal = app
        .get_as(&admin, "/admin/journal?du=2026-06-30&au=2026-06-01")
        .await;
    assert!(
        journal
            .body
            .contains("La date de fin doit suivre la date de début.")
    );
    assert!(!journal.body.contains("Aucune entrée ne correspond"));
}
