//! The `pouls` binary as an operator runs it.

use std::process::{Command, Output};

use crate::support::{Server, request};

fn pouls(args: &[&str], database_url: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pouls"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs")
}

/// The settings only serving uses.
const SERVE_SETTINGS: [&str; 7] = [
    "POULS_BIND",
    "POULS_PUBLIC_URL",
    "POULS_PUBLIC_RATE_LIMIT",
    "POULS_TRUSTED_PROXIES",
    "POULS_METRICS_BIND",
    "POULS_FORM_KEY",
    "POULS_SQLITE_SYNC",
];

fn help(args: &[&str]) -> String {
    let output = pouls(args, "sqlite://unused.db");
    assert!(output.status.success(), "{args:?}: {output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn help_lists_the_commands_and_serve_documents_every_setting() {
    let top = help(&["--help"]);
    for needle in [
        "serve", "migrate", "demo", "user", "export", "import", "backup", "RUST_LOG",
    ] {
        assert!(top.contains(needle), "--help lacks {needle}:\n{top}");
    }
    assert!(top.contains("Without a command, pouls serves"), "{top}");
    let serve = help(&["serve", "--help"]);
    for needle in SERVE_SETTINGS.iter().chain(&["DATABASE_URL", "RUST_LOG"]) {
        assert!(
            serve.contains(needle),
            "serve --help lacks {needle}:\n{serve}"
        );
    }
    let demo = help(&["demo", "--help"]);
    assert!(
        demo.contains("POULS_BIND") && demo.contains("DATABASE_URL"),
        "{demo}"
    );
}

#[test]
fn each_command_lists_only_its_own_options() {
    let import = help(&["import", "responses", "--help"]);
    assert!(import.contains("DATABASE_URL"), "{import}");
    assert!(import.contains("--survey"), "{import}");
    for setting in SERVE_SETTINGS {
        assert!(
            !import.contains(setting),
            "import responses --help shows {setting}:\n{import}"
        );
    }
    for command in [
        &["migrate", "--help"][..],
        &["purge", "--help"],
        &["backup", "--help"],
        &["user", "add", "--help"],
        &["export", "needs", "--help"],
        &["indicators", "--help"],
    ] {
        let text = help(command);
        assert!(text.contains("DATABASE_URL"), "{command:?}:\n{text}");
        assert!(!text.contains("POULS_BIND"), "{command:?}:\n{text}");
    }
}

#[test]
fn serve_settings_in_the_environment_concern_only_serving() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = format!("sqlite://{}", dir.path().join("env.db").display());
    let output = Command::new(env!("CARGO_BIN_EXE_pouls"))
        .arg("migrate")
        .env("DATABASE_URL", &url)
        .env("RUST_LOG", "warn")
        .env("POULS_BIND", "nulle-part")
        .env("POULS_SQLITE_SYNC", "parfois")
        .output()
        .expect("the binary runs");
    assert!(output.status.success(), "{output:?}");
    let serve = Command::new(env!("CARGO_BIN_EXE_pouls"))
        .env("DATABASE_URL", &url)
        .env("POULS_BIND", "nulle-part")
        .output()
        .expect("the binary runs");
    assert!(!serve.status.success());
    let stderr = String::from_utf8_lossy(&serve.stderr);
    assert!(
        stderr.contains("invalid value 'nulle-part' for '--bind <BIND>'"),
        "{stderr}"
    );
}

#[test]
fn a_role_outside_the_four_is_refused_with_the_allowed_ones() {
    let output = pouls(
        &["user", "add", "--email", "chef@ccyn.fr", "--role", "chef"],
        "sqlite://unused.db",
    );
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("invalid value 'chef' for '--role <ROLE>'")
            && stderr.contains("[possible values: admin, agent, partenaire, lecteur]"),
        "{stderr}"
    );
}

#[tokio::test]
async fn pouls_alone_serves_with_its_settings_from_the_environment() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = format!("sqlite://{}", dir.path().join("alone.db").display());
    let server =
        Server::spawn_without_command(&url, &[("POULS_PUBLIC_URL", "https://pouls.example.fr")]);
    server.wait_ready().await;
    let home = request(server.addr, "GET", "/", None, &[])
        .await
        .expect("home page");
    assert_eq!(home.status, 200);
    // https in POULS_PUBLIC_URL turns on HSTS: the variable was read.
    assert!(
        home.headers.contains_key("strict-transport-security"),
        "{:?}",
        home.headers
    );
}

#[test]
fn migrate_creates_and_fills_a_new_sqlite_database() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = format!("sqlite://{}", dir.path().join("new.db").display());
    let output = pouls(&["migrate"], &url);
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("17 actions, 83 indicators"), "{stdout}");
}

#[test]
fn an_unopenable_database_exits_non_zero_with_one_clear_line() {
    let output = pouls(&["migrate"], "sqlite:///no/such/directory/pouls.db");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(lines[0].starts_with(
        "pouls: error: cannot open the SQLite database at sqlite:///no/such/directory/pouls.db"
    ));
}

#[tokio::test]
async fn a_database_from_a_newer_pouls_is_refused() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = format!("sqlite://{}", dir.path().join("future.db").display());
    assert!(pouls(&["migrate"], &url).status.success());
    // Pretend a later version applied a migration this binary does not know.
    let pool = sqlx::SqlitePool::connect(&url).await.expect("opens");
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (99990101000000, 'future', 1, x'00', 0)",
    )
    .execute(&pool)
    .await
    .expect("marks the database");
    pool.close().await;
    let output = pouls(&["migrate"], &url);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("pouls: error: migration of the SQLite database"),
        "{stderr}"
    );
}

/// Runs the binary with `stdin` piped in (a password, for `user add`).
pub(crate) fn pouls_with_stdin(args: &[&str], database_url: &str, stdin: &str) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_pouls"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write the password");
    child.wait_with_output().expect("the binary ends")
}

#[test]
fn user_add_reads_the_password_from_standard_input() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = format!("sqlite://{}", dir.path().join("users.db").display());
    let add = |email: &str, password: &str| {
        pouls_with_stdin(
            &["user", "add", "--email", email, "--role", "admin"],
            &url,
            &format!("{password}\n"),
        )
    };
    let output = add("  Admin@CCYN.fr ", "velo rouge sous la pluie");
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("admin@ccyn.fr"), "{stdout}");
    assert!(stdout.contains("(ccyn) : Administrateur"), "{stdout}");
    assert!(
        !stdout.contains("velo rouge"),
        "the password is never printed"
    );

    let short = add("autre@ccyn.fr", "court");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("au moins 12 caractères"));
    let common = add("autre@ccyn.fr", "qwerty123456");
    assert!(!common.status.success());
    assert!(String::from_utf8_lossy(&common.stderr).contains("trop courant"));
    let duplicate = add("ADMIN@ccyn.fr", "une autre phrase longue");
    assert!(!duplicate.status.success());
    assert!(String::from_utf8_lossy(&duplicate.stderr).contains("already exists"));
}

#[test]
fn user_add_takes_no_password_argument() {
    let output = pouls(
        &[
            "user",
            "add",
            "--email",
            "a@ccyn.fr",
            "--role",
            "admin",
            "--password",
            "x",
        ],
        "sqlite://unused.db",
    );
    assert!(!output.status.success());
}

#[test]
fn purge_dry_run_reports_in_french() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = format!("sqlite://{}", dir.path().join("purge.db").display());
    let output = pouls(&["purge", "--dry-run"], &url);
    assert!(output.status.success(), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("Aucune réponse à supprimer"));
}

#[test]
fn demo_refuses_a_database_that_holds_data() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = format!("sqlite://{}", dir.path().join("used.db").display());
    let added = pouls_with_stdin(
        &["user", "add", "--email", "a@ccyn.fr", "--role", "admin"],
        &url,
        "velo rouge sous la pluie\n",
    );
    assert!(added.status.success());
    let output = pouls(&["demo"], &url);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("already holds data"));
}

#[test]
fn demo_fills_a_temporary_database_prints_a_login_serves_and_cleans_up() {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::process::Stdio;

    // The demo's temporary database goes where TMPDIR says: here, a directory of our own.
    let tmp = tempfile::tempdir().expect("temporary directory");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_pouls"))
        .args(["demo", "--bind", &format!("127.0.0.1:{port}")])
        .env_remove("DATABASE_URL")
        .env("TMPDIR", tmp.path())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary runs");
    let stdout = child.stdout.take().expect("stdout");
    let lines: Vec<String> = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .take_while(|line| !line.starts_with("mot de passe:"))
        .chain(std::iter::once("mot de passe: (read)".to_owned()))
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("email: coordination@ccyn.demo")),
        "{lines:?}"
    );
    assert!(
        lines.iter().any(|l| l.contains("pouls-demo-")),
        "a temporary file: {lines:?}"
    );
    // The server answers once it is up.
    let mut answered = String::new();
    for _ in 0..50 {
        if let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            stream
                .write_all(b"GET /t/ccyn/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                .expect("request");
            stream.read_to_string(&mut answered).expect("response");
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let files = || -> Vec<String> {
        std::fs::read_dir(tmp.path())
            .expect("lists")
            .map(|entry| {
                entry
                    .expect("entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect()
    };
    let while_serving = files();
    // A graceful stop (SIGTERM, as Ctrl-C or systemd would) removes the temporary files.
    let signalled = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if std::time::Instant::now() > deadline {
            child.kill().ok();
            panic!("pouls demo did not stop on SIGTERM");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert!(signalled.success());
    assert!(answered.starts_with("HTTP/1.1 200"), "{answered}");
    assert!(
        answered.contains("Vos services au quotidien"),
        "the home page lists the demo survey open now"
    );
    assert!(
        while_serving.iter().any(|f| f.starts_with("pouls-demo-")),
        "{while_serving:?}"
    );
    assert!(status.success(), "exit status {status}");
    assert_eq!(
        files(),
        Vec::<String>::new(),
        "the temporary database is gone"
    );
}

#[test]
fn indicators_print_one_csv_row_per_indicator() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let url = format!("sqlite://{}", dir.path().join("indicators.db").display());
    let output = pouls(&["indicators", "--period", "2026"], &url);
    assert!(output.status.success(), "{output:?}");
    let csv = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "code,action,libelle,periode,categorie,valeur,unite,n,unite_n,source"
    );
    assert_eq!(lines.len(), 84, "83 indicators");
    assert!(
        lines.contains(&"A14.1,14,Nombre d'outils de recueil déployés et utilisés.,2026,,,,,,")
    );
    // Fed by platform activity with no setup: no field report yet, so 0.
    assert!(
        lines.iter().any(|l| l.starts_with(
            "A14.2,14,Nombre de contributions issues des professionnels de première ligne.,2026,,0,remontée de terrain,0,remontée de terrain,Calculé par la plateforme"
        )),
        "{csv}"
    );
    let action = pouls(
        &["indicators", "--period", "2027-S1", "--action", "16"],
        &url,
    );
    let csv = String::from_utf8_lossy(&action.stdout);
    assert_eq!(csv.lines().count(), 3);
    assert!(csv.contains(",2027-S1,"));
    let bad = pouls(&["indicators", "--period", "2035"], &url);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--period"));
}

/// A database holding one survey made from a template, with a paper point.
async fn survey_database(dir: &std::path::Path) -> (String, i64, String) {
    use pouls::audit::Actor;
    use pouls::survey::templates::template;
    use pouls::survey::{PointDraft, PointInput};
    let url = format!("sqlite://{}", dir.join("survey.db").display());
    let storage = pouls_server::prepare_storage(&url).await.expect("opens");
    let today = pouls::domain::paris::today();
    let template = template("idees-territoire").expect("template");
    let id = storage
        .in_default_territory()
        .await
        .expect("territory")
        .create_survey_from_template(template, today, today, &Actor::CommandLine)
        .await
        .expect("survey");
    let input = PointInput {
        label: "Papier".into(),
        kind: "papier".into(),
        ..PointInput::default()
    };
    let draft = PointDraft::parse(&input, &[]).expect("point");
    let code = storage
        .in_default_territory()
        .await
        .expect("territory")
        .create_point(id, &draft, &Actor::CommandLine)
        .await
        .expect("point");
    storage.close().await;
    (url, id, code.to_string())
}

#[tokio::test]
async fn import_then_export_paper_answers_from_the_command_line() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let (url, id, code) = survey_database(dir.path()).await;
    let today = pouls::domain::paris::today().to_string();
    let template = pouls(
        &[
            "export",
            "responses",
            "--survey",
            &id.to_string(),
            "--layout",
            "codebook",
            "--dialect",
            "standard",
        ],
        &url,
    );
    assert!(template.status.success(), "{template:?}");
    assert!(
        String::from_utf8_lossy(&template.stdout)
            .contains("Q1,\"Votre idée, en quelques phrases\"")
    );
    // The wide header of this survey: Q1 long text, Q2 single, Q3 multiple (5 options), Q4 yes/no, Q5 commune, Q6 public.
    let header = "Q1,Q2,Q3_O1,Q3_O2,Q3_O3,Q3_O4,Q3_O5,Q4,Q5,Q6";
    let good = "Un skatepark,O2,1,0,1,0,0,oui,sergines,jeunes";
    let bad = "Un skatepark,O9,1,0,1,0,0,oui,sergines,jeunes";
    let file = dir.path().join("papier.csv");
    std::fs::write(&file, format!("{header}\n{good}\n{bad}\n")).expect("write");
    let refused = pouls(
        &[
            "import",
            "responses",
            "--survey",
            &code,
            "--date",
            &today,
            file.to_str().expect("path"),
        ],
        &url,
    );
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("Ligne 3, colonne Q2"), "{stderr}");
    assert!(stderr.contains("rien n'a été importé"));
    std::fs::write(&file, format!("{header}\n{good}\n{good}\n")).expect("write");
    let imported = pouls(
        &[
            "import",
            "responses",
            "--survey",
            &code,
            "--date",
            &today,
            file.to_str().expect("path"),
        ],
        &url,
    );
    assert!(imported.status.success(), "{imported:?}");
    assert!(
        String::from_utf8_lossy(&imported.stdout).contains("2 réponses importées, 0 déjà présente")
    );
    let again = pouls(
        &[
            "import",
            "responses",
            "--survey",
            &code,
            "--date",
            &today,
            file.to_str().expect("path"),
        ],
        &url,
    );
    assert!(
        String::from_utf8_lossy(&again.stdout).contains("0 réponse importée, 2 déjà présentes")
    );
    let export = pouls(
        &[
            "export",
            "responses",
            "--survey",
            &code,
            "--dialect",
            "excel",
        ],
        &url,
    );
    assert!(export.status.success());
    assert!(export.stdout.starts_with(&[0xEF, 0xBB, 0xBF]));
    let text = String::from_utf8_lossy(&export.stdout[3..]).into_owned();
    assert_eq!(text.lines().count(), 3, "a header and two responses");
    assert!(text.contains("Un skatepark"));
    assert!(text.contains(";Papier;"), "the paper channel");
    assert!(
        text.contains(&format!(";{code};Papier;Papier;")),
        "the point's code and name"
    );
    // An end before the start is refused rather than giving an empty file.
    let inverted = pouls(
        &[
            "export",
            "responses",
            "--survey",
            &code,
            "--from",
            "2026-06-30",
            "--to",
            "2026-06-01",
        ],
        &url,
    );
    assert!(!inverted.status.success());
    assert!(
        String::from_utf8_lossy(&inverted.stderr)
            .contains("--to: La date de fin doit suivre la date de début.")
    );
    for kind in ["indicators", "reports", "needs", "decisions"] {
        let output = pouls(&["export", kind, "--dialect", "standard"], &url);
        assert!(output.status.success(), "{kind}: {output:?}");
    }
}
