//! `pouls territory add` and `pouls territory list`: a second CTG from a plan file.

use std::process::{Command, Output};

fn pouls(args: &[&str], database_url: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pouls"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/plan-example.toml");

#[test]
fn territory_add_loads_a_plan_file_once_and_list_shows_it() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = format!("sqlite://{}", dir.path().join("pouls.db").display());
    let added = pouls(&["territory", "add", "--plan", EXAMPLE], &url);
    assert!(added.status.success(), "{added:?}");
    assert!(text(&added.stdout).contains("Val d'Exemple"), "{added:?}");
    let again = pouls(&["territory", "add", "--plan", EXAMPLE], &url);
    assert!(!again.status.success());
    assert!(text(&again.stderr).contains("val-d-exemple"), "{again:?}");
    let listed = pouls(&["territory", "list"], &url);
    assert!(listed.status.success(), "{listed:?}");
    let lines: Vec<String> = text(&listed.stdout).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].starts_with("1\tccyn\tepci\t"), "{lines:?}");
    assert!(lines[1].contains("\tval-d-exemple\tepci\t"), "{lines:?}");
}

#[test]
fn a_plan_file_with_a_mistake_is_refused_with_its_line_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = format!("sqlite://{}", dir.path().join("pouls.db").display());
    let plan = std::fs::read_to_string(EXAMPLE).expect("the example plan");
    let broken = plan.replace("slug = \"val-d-exemple\"", "slug = \"Val d'Exemple\"");
    assert_ne!(broken, plan);
    let file = dir.path().join("broken.toml");
    std::fs::write(&file, broken).expect("written");
    let refused = pouls(
        &["territory", "add", "--plan", &file.display().to_string()],
        &url,
    );
    assert!(!refused.status.success());
    let message = text(&refused.stderr);
    assert!(
        message.contains("line ") && message.contains("territory.slug"),
        "{message}"
    );
    // Only the CCYN, which the first start of the database loads.
    let listed = pouls(&["territory", "list"], &url);
    let listed = text(&listed.stdout);
    assert_eq!(listed.lines().count(), 1, "{listed}");
    assert!(!listed.contains("val-d-exemple"), "{listed}");
}
