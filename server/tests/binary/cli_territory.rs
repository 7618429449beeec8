//! `pouls territory add` and `pouls territory list`: a second CTG from a plan file.

use std::process::{Command, Output};

use super::cli::pouls_with_stdin;

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

#[test]
fn user_add_and_exports_name_their_territory() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = format!("sqlite://{}", dir.path().join("pouls.db").display());
    assert!(
        pouls(&["territory", "add", "--plan", EXAMPLE], &url)
            .status
            .success()
    );
    let password = "velo rouge sous la pluie\n";

    let lecteur = pouls_with_stdin(
        &[
            "user",
            "add",
            "--email",
            "conseil@caf89.fr",
            "--instance-role",
            "lecteur",
            "--territory",
            "ccyn",
            "--territory",
            "val-d-exemple",
        ],
        &url,
        password,
    );
    assert!(lecteur.status.success(), "{lecteur:?}");
    let out = text(&lecteur.stdout);
    assert!(
        out.contains("(ccyn) : Lecteur") && out.contains("(val-d-exemple) : Lecteur"),
        "{out}"
    );
    assert!(out.contains("Lecteur départemental"), "{out}");

    let agent = pouls_with_stdin(
        &[
            "user",
            "add",
            "--email",
            "agent@exemple.fr",
            "--role",
            "agent",
            "--territory",
            "val-d-exemple",
        ],
        &url,
        password,
    );
    assert!(agent.status.success(), "{agent:?}");
    assert!(!text(&agent.stdout).contains("(ccyn)"), "{agent:?}");

    // An unknown slug is refused and writes no account.
    let unknown = pouls_with_stdin(
        &[
            "user",
            "add",
            "--email",
            "x@exemple.fr",
            "--role",
            "agent",
            "--territory",
            "nulle-part",
        ],
        &url,
        password,
    );
    assert!(!unknown.status.success());
    assert!(
        text(&unknown.stderr).contains("no territory has this slug"),
        "{unknown:?}"
    );
    let retry = pouls_with_stdin(
        &["user", "add", "--email", "x@exemple.fr", "--role", "agent"],
        &url,
        password,
    );
    assert!(
        retry.status.success(),
        "the refused account was not written: {retry:?}"
    );

    // Exports read the territory asked for: the example's plan has 3 actions.
    let example = pouls(
        &[
            "export",
            "indicators",
            "--territory",
            "val-d-exemple",
            "--dialect",
            "standard",
        ],
        &url,
    );
    assert!(example.status.success(), "{example:?}");
    let ccyn = pouls(&["export", "indicators", "--dialect", "standard"], &url);
    let (example, ccyn) = (text(&example.stdout), text(&ccyn.stdout));
    assert!(
        !example.contains("A14.1") && example.contains("A1.1"),
        "{example}"
    );
    assert!(ccyn.contains("A14.1"), "the default territory is the CCYN");
    let nowhere = pouls(&["export", "needs", "--territory", "nulle-part"], &url);
    assert!(!nowhere.status.success());
    assert!(
        text(&nowhere.stderr).contains("--territory nulle-part"),
        "{nowhere:?}"
    );
}
