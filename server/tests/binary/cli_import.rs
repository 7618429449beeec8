//! `pouls import responses` on both backends: importing a file again stores only the
//! questionnaires not stored yet, and a broken file is refused whole with its line and
//! column.

use std::path::Path;
use std::process::{Command, Output};

use crate::support::TestDatabase;
use pouls::audit::Actor;
use pouls::survey::{PointDraft, PointInput};

fn import(url: &str, survey: &str, file: &Path, content: &str) -> Output {
    std::fs::write(file, content).expect("write the file");
    Command::new(env!("CARGO_BIN_EXE_pouls"))
        .args(["import", "responses", "--survey", survey])
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
        .create_point(point.survey_id, &paper, &Actor::CommandLine)
        .await
        .expect("paper point");
    storage.close().await;
    let dir = tempfile::tempdir().expect("temporary directory");
    let file = dir.path().join("papier.csv");

    let first = import(&db.url, &survey, &file, "Q1\noui\noui\nnon\n");
    assert!(
        stdout(&first)
            .contains("3 ligne(s) lue(s) : 3 réponse(s) importée(s), 0 déjà présente(s).")
    );
    let again = import(&db.url, &survey, &file, "Q1\n\nnon\noui\n\r\noui\n");
    assert!(
        stdout(&again)
            .contains("3 ligne(s) lue(s) : 0 réponse(s) importée(s), 3 déjà présente(s).")
    );
    let more = import(&db.url, &survey, &file, "Q1\nnon\noui\noui\nnon\n");
    assert!(stdout(&more).contains("1 réponse(s) importée(s), 3 déjà présente(s)."));
    let numbered = import(&db.url, &survey, &file, "id,Q1\nA-1,oui\nA-2,oui\n");
    assert!(stdout(&numbered).contains("2 réponse(s) importée(s), 0 déjà présente(s)."));

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
        6
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
