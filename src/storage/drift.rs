//! The SQLite and PostgreSQL migrations are one schema written twice: each pair of files
//! must be the same but for the few spellings the two databases disagree on, so a column
//! added to one backend only fails here.
//!
//! Exempt: 0010 (territories) rebuilds tables on SQLite, which cannot change a key in
//! place, and alters them on PostgreSQL, so its two files have nothing line for line in
//! common. `tests/api/migrations.rs` checks instead that after all the migrations both
//! backends have the same tables, columns and nullability, and that a database of the
//! previous release keeps every row.

use std::path::Path;

/// PostgreSQL spellings and their SQLite equivalents.
const SPELLINGS: [(&str, &str); 4] = [
    (
        "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
        "INTEGER PRIMARY KEY",
    ),
    (
        "replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')",
        "lower(hex(randomblob(32)))",
    ),
    ("json_agg(json_build_array(", "json_group_array(json_array("),
    ("))::text", "))"),
];

/// Migrations written differently on each backend; see the module comment.
const EXEMPT: [&str; 1] = ["0010_territories.sql"];

fn files(backend: &str) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("the migrations directory")
        .map(|entry| {
            entry
                .expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".sql"))
        .collect();
    names.sort();
    names
}

fn read(backend: &str, name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend)
        .join(name);
    std::fs::read_to_string(path).expect("a migration file")
}

#[test]
fn both_backends_have_the_same_migrations() {
    assert_eq!(files("sqlite"), files("postgres"));
    assert!(files("sqlite").len() >= 7);
}

#[test]
fn each_migration_pair_differs_only_by_known_spellings() {
    for name in files("sqlite") {
        if EXEMPT.contains(&name.as_str()) {
            continue;
        }
        let sqlite = read("sqlite", &name);
        let mut postgres = read("postgres", &name);
        for (pg, lite) in SPELLINGS {
            postgres = postgres.replace(pg, lite);
        }
        for (number, (a, b)) in sqlite.lines().zip(postgres.lines()).enumerate() {
            assert_eq!(
                a,
                b,
                "{name}, line {}: the two backends disagree (add the spelling to SPELLINGS if it is one)",
                number + 1
            );
        }
        assert_eq!(
            sqlite.lines().count(),
            postgres.lines().count(),
            "{name}: one backend has more lines"
        );
    }
}
