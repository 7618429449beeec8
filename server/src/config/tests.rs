//! The command line as operators type it.

use clap::CommandFactory;

use super::*;

fn parse(args: &[&str]) -> Result<Invocation, clap::Error> {
    Invocation::parse_from(std::iter::once("pouls").chain(args.iter().copied()))
}

#[test]
fn cli_is_well_formed() {
    Cli::command().debug_assert();
}

#[test]
fn public_url_must_be_http() {
    assert_eq!(
        parse_public_url("https://pouls.ccyn.fr/"),
        Ok("https://pouls.ccyn.fr".to_owned())
    );
    assert!(parse_public_url("pouls.ccyn.fr").is_err());
    assert!(parse_public_url("http://").is_err());
}

#[test]
fn a_form_key_is_long_enough_and_never_printed() {
    let key = "0123456789abcdef0123456789abcdef";
    let cli = parse(&["--form-key", key]).expect("valid");
    let Command::Serve(settings) = &cli.command else {
        panic!("not serve: {cli:?}");
    };
    assert_eq!(settings.form_key, FormKey::parse(key).ok());
    assert!(!format!("{cli:?}").contains(key));
    assert!(parse(&["--form-key", "courte"]).is_err());
}

#[test]
fn pouls_alone_and_pouls_serve_take_the_serve_settings() {
    let port = |args: &[&str]| match parse(args).map(|cli| cli.command) {
        Ok(Command::Serve(settings)) => Some(settings.bind.port()),
        _ => None,
    };
    assert_eq!(port(&["--bind", "0.0.0.0:8080"]), Some(8080));
    assert_eq!(
        port(&["--log", "debug", "--bind", "0.0.0.0:8081"]),
        Some(8081)
    );
    assert_eq!(port(&["serve", "--bind", "0.0.0.0:8082"]), Some(8082));
    assert!(port(&[]).is_some());
    let serve = parse(&["serve", "--sqlite-sync", "normal"]).expect("valid");
    let Command::Serve(settings) = serve.command else {
        panic!("not serve: {serve:?}");
    };
    assert_eq!(settings.sqlite.sqlite_sync, SyncMode::Normal);
    assert!(matches!(
        parse(&["demo", "--public-url", "https://demo.example"]).map(|c| c.command),
        Ok(Command::Demo(_))
    ));
    let error = parse(&["--bind", "nulle-part"]).expect_err("refused");
    assert_eq!(error.kind(), ErrorKind::ValueValidation);
    assert_eq!(
        parse(&["--help"]).expect_err("help").kind(),
        ErrorKind::DisplayHelp
    );
}

#[test]
fn other_commands_refuse_the_serve_settings() {
    for args in [
        &["migrate", "--bind", "0.0.0.0:8080"][..],
        &["purge", "--metrics-bind", "127.0.0.1:9000"],
        &[
            "import",
            "responses",
            "--survey",
            "1",
            "a.csv",
            "--public-rate-limit",
            "0",
        ],
    ] {
        assert!(parse(args).is_err(), "{args:?}");
    }
}

#[test]
fn commands_that_open_the_database_take_its_url_after_their_name() {
    let url = "sqlite:///tmp/x.db";
    let cli = parse(&["migrate", "--database-url", url]).expect("valid");
    let Command::Migrate(database) = cli.command else {
        panic!("not migrate");
    };
    assert_eq!(database.url(), url);
    let cli = parse(&[
        "export",
        "needs",
        "--database-url",
        url,
        "--dialect",
        "standard",
    ])
    .expect("valid");
    let Command::Export(what) = cli.command else {
        panic!("not export");
    };
    assert_eq!(what.database().url(), url);
    assert!(
        parse(&[
            "user",
            "add",
            "--email",
            "a@b.fr",
            "--role",
            "agent",
            "--database-url",
            url
        ])
        .is_ok()
    );
    assert!(parse(&["backup", "copy.db", "--database-url", url]).is_ok());
}

#[test]
fn a_role_is_one_of_the_four() {
    let cli = parse(&["user", "add", "--email", "a@b.fr", "--role", "partenaire"]).expect("valid");
    assert!(matches!(
        cli.command,
        Command::User(UserCommand::Add {
            role: Some(RoleArg::Partenaire),
            ..
        })
    ));
    let cli = parse(&[
        "user",
        "add",
        "--email",
        "a@b.fr",
        "--instance-role",
        "lecteur",
        "--territory",
        "ccyn",
        "--territory",
        "val-d-exemple",
    ])
    .expect("valid");
    let Command::User(UserCommand::Add {
        role,
        territories,
        instance_role,
        ..
    }) = cli.command
    else {
        panic!("user add");
    };
    assert_eq!(
        (role, instance_role),
        (None, Some(InstanceRoleArg::Lecteur))
    );
    assert_eq!(territories, ["ccyn", "val-d-exemple"]);
    let error = parse(&["user", "add", "--email", "a@b.fr"]).expect_err("a role is needed");
    assert_eq!(error.kind(), ErrorKind::MissingRequiredArgument);
    let error =
        parse(&["user", "add", "--email", "a@b.fr", "--role", "chef"]).expect_err("refused");
    assert_eq!(error.kind(), ErrorKind::InvalidValue);
    assert!(
        error
            .to_string()
            .contains("[possible values: admin, agent, partenaire, lecteur]"),
        "{error}"
    );
}

#[test]
fn the_log_filter_is_for_every_command() {
    let cli = parse(&["migrate", "--log", "debug"]).expect("valid");
    assert_eq!(cli.log, "debug");
}

#[test]
fn the_default_territory_is_a_slug() {
    let cli = parse(&["--default-territory", "val-d-exemple"]).expect("valid");
    let Command::Serve(settings) = &cli.command else {
        panic!("not serve: {cli:?}");
    };
    assert_eq!(
        settings.default_territory,
        TerritorySlug::parse("val-d-exemple").ok()
    );
    assert!(parse(&["--default-territory", "Val d'Exemple"]).is_err());
    let cli = parse(&[]).expect("valid");
    let Command::Serve(settings) = &cli.command else {
        panic!("not serve: {cli:?}");
    };
    assert_eq!(settings.default_territory, None);
}
