//! `pouls import responses` on both backends: importing a file again stores only the
//! questionnaires not stored yet, and a broken file is refused whole with its line and
//! column.

use std::path::Path;
use std::process::{Command, Output};

use crate::support::TestDatabase;
use pouls::audit::Actor;
use pouls::survey::{PointDraft, PointInput};

/// `pouls import responses`, the file's questionnaires collected on 13 June 2026.
fn import(url: &str, survey: &str, file: &Path, content: &str) -> Output {
    import_dated(url, survey, file, content, &["--date", "13/06/2026"])
}

fn import_dated(url: &str, survey: &str, file: &Path, content: &str, date: &[&str]) -> Output {
    std::fs::write(file, content).expect("write the file");
    Command::new(env!("CARGO_BIN_EXE_pouls"))
        .args(["import", "responses", "--survey", survey])
        .args(date)
        .arg(file)
        .env("DATABASE_URL", url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    assert!(!output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

async fn imports_again_only_what_is_new_and_refuses_broken_files(db: TestDatabase) {
    let survey = crate::support::open_survey(&db.url).await;
    let storage = pouls_server::prepare_storage(&db.url).await.expect("opens");
    let code = pouls::survey::CollectionCode::parse(&survey).expect("a code");
    let point = storage
        .point_by_code(&code)
        .await
        .expect("load")
        .expect("the point");
    let paper = PointDraft::parse(
        &PointInput {
            label: "Questionnaires papier".into(),
            kind: "papier".into(),
            ..PointInput::default()
        },
        &[],
    )
    .expect("point");
    storage
        .in_default_territory()
        .await
        .expect("territory")
        .create_point(point.survey_id, &paper, &Actor::CommandLine)
        .await
        .expect("paper point");
    storage.close().await;
    let dir = tempfile::tempdir().expect("temporary directory");
    let file = dir.path().join("papier.csv");

    let first = import(&db.url, &survey, &file, "Q1\noui\noui\nnon\n");
    assert!(stdout(&first).contains("3 lignes lues : 3 réponses importées, 0 déjà présente."));
    let again = import(&db.url, &survey, &file, "Q1\n\nnon\noui\n\r\noui\n");
    assert!(stdout(&again).contains("3 lignes lues : 0 réponse importée, 3 déjà présentes."));
    let more = import(&db.url, &survey, &file, "Q1\nnon\noui\noui\nnon\n");
    assert!(stdout(&more).contains("1 réponse importée, 3 déjà présentes."));
    let numbered = import(&db.url, &survey, &file, "id,Q1\nA-1,oui\nA-2,oui\n");
    assert!(stdout(&numbered).contains("2 réponses importées, 0 déjà présente."));

    // Stored at noon, Paris time, on the collection day, not the day of the import.
    let june = pouls::domain::paris::noon(time::macros::date!(2026 - 06 - 13));
    assert_eq!(
        db.scalar("SELECT COUNT(*) FROM response WHERE channel = 'papier'")
            .await,
        6
    );
    assert_eq!(
        db.scalar(&format!(
            "SELECT COUNT(*) FROM response WHERE submitted_hour = {june}"
        ))
        .await,
        6
    );
    // The same questionnaires collected another day are new; the column wins.
    let october = import_dated(
        &db.url,
        &survey,
        &file,
        "Q1
oui
",
        &["--date", "2026-10-03"],
    );
    assert!(stdout(&october).contains("1 réponse importée, 0 déjà présente."));
    let dated = import_dated(
        &db.url,
        &survey,
        &file,
        "date_collecte,Q1
12/04/2026,non
",
        &[],
    );
    assert!(stdout(&dated).contains("1 ligne lue : 1 réponse importée"));
    let april = pouls::domain::paris::noon(time::macros::date!(2026 - 04 - 12));
    assert_eq!(
        db.scalar(&format!(
            "SELECT COUNT(*) FROM response WHERE submitted_hour = {april}"
        ))
        .await,
        1
    );
    // No day at all, or a day to come: refused, nothing stored.
    let undated = import_dated(
        &db.url,
        &survey,
        &file,
        "Q1
oui
",
        &[],
    );
    let message = stderr(&undated);
    assert!(
        message.contains("Indiquez la date de collecte"),
        "{message}"
    );
    assert!(message.contains("--date"));
    let future = import_dated(
        &db.url,
        &survey,
        &file,
        "Q1
oui
",
        &["--date", "2099-01-01"],
    );
    assert!(
        stderr(&future).contains("--date: La date de collecte ne peut pas être dans le futur.")
    );

    let unclosed = import(&db.url, &survey, &file, "Q1\noui\n\"non\noui\n");
    let message = stderr(&unclosed);
    assert!(
        message.contains("Ligne 3, colonne Q1 : Guillemet non fermé"),
        "{message}"
    );
    assert!(message.contains("rien n'a été importé"));
    let nul = import(&db.url, &survey, &file, "Q1\noui\nn\0on\n");
    let message = stderr(&nul);
    assert!(
        message.contains("Ligne 3, colonne Q1 : Caractère de contrôle interdit (U+0000)"),
        "{message}"
    );
    assert_eq!(
        db.scalar("SELECT COUNT(*) FROM response WHERE channel = 'papier'")
            .await,
        8
    );
    crate::support::assert_consistent(&db.url).await;
}

#[tokio::test]
async fn sqlite_imports_again_only_what_is_new_and_refuses_broken_files() {
    imports_again_only_what_is_new_and_refuses_broken_files(TestDatabase::sqlite()).await;
}

#[tokio::test]
#[ignore = "needs POULS_TEST_POSTGRES_URL"]
async fn postgres_imports_again_only_what_is_new_and_refuses_broken_files() {
    let db = TestDatabase::postgres().await;
    imports_again_only_what_is_new_and_refuses_broken_files(db).await;
}
