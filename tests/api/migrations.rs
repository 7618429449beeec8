//! Migration 0010 (territories): a database of the previous release, filled by the demo,
//! moves into territory 1 with every row kept; and both backends end with the same schema
//! (the drift guard cannot compare 0010's two files, which are written differently).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::str::FromStr;

use sqlx::migrate::Migrator;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, PgPool, SqliteConnection, SqlitePool};

use crate::support::TestDatabase;

/// The last migration of the previous release.
const PREVIOUS: &str = "0009";

/// Tables 0010 adds; every other table keeps exactly its rows.
const NEW_TABLES: [&str; 2] = ["territory", "staff_membership"];

/// Tables that hold territory_id after 0010 and must have all their rows in territory 1.
/// audit_event and staff_session are left out: their territory may be NULL.
const SCOPED: [&str; 29] = [
    "plan_meta",
    "plan_phase",
    "theme",
    "target_public",
    "commune",
    "plan_ambition",
    "plan_orientation",
    "plan_action",
    "plan_action_theme",
    "plan_action_public",
    "plan_indicator",
    "survey",
    "survey_action",
    "survey_theme",
    "question",
    "collection_point",
    "indicator_rule",
    "indicator_value",
    "field_report",
    "field_report_theme",
    "field_report_public",
    "need",
    "need_commune",
    "need_public",
    "meeting",
    "decision",
    "theme_tally",
    "theme_tally_month",
    "staff_membership",
];

fn backend(db: &TestDatabase) -> &'static str {
    if db.is_sqlite() { "sqlite" } else { "postgres" }
}

/// Migrates `db` to the previous release's schema: its migrations only, from a copy.
async fn migrate_to_previous_release(db: &TestDatabase) {
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend(db));
    let dir = tempfile::tempdir().expect("temporary directory");
    for entry in std::fs::read_dir(&source).expect("migrations") {
        let entry = entry.expect("an entry");
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.get(..4).is_some_and(|number| number <= PREVIOUS) {
            std::fs::copy(entry.path(), dir.path().join(&name)).expect("copy");
        }
    }
    let migrator = Migrator::new(dir.path()).await.expect("migrations");
    assert_eq!(migrator.iter().count(), 9, "0001 to {PREVIOUS}");
    if db.is_sqlite() {
        let options = SqliteConnectOptions::from_str(&db.url)
            .expect("url")
            .create_if_missing(true);
        let pool = SqlitePool::connect_with(options).await.expect("connect");
        migrator
            .run(&pool)
            .await
            .expect("previous release's migrations");
        pool.close().await;
    } else {
        let pool = PgPool::connect(&db.url).await.expect("connect");
        migrator
            .run(&pool)
            .await
            .expect("previous release's migrations");
        pool.close().await;
    }
}

/// The tables of `db` in the order they were created (so parents come before children),
/// each with its columns.
async fn tables(db: &TestDatabase) -> Vec<(String, Vec<String>)> {
    let rows: Vec<(String, String)> = if db.is_sqlite() {
        let pool = SqlitePool::connect(&db.url).await.expect("connect");
        let rows = sqlx::query_as(
            "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations' \
             ORDER BY m.rowid, p.cid",
        )
        .fetch_all(&pool)
        .await
        .expect("tables");
        pool.close().await;
        rows
    } else {
        let pool = PgPool::connect(&db.url).await.expect("connect");
        let rows = sqlx::query_as(
            "SELECT c.relname::text, a.attname::text FROM pg_class c \
             JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped \
             WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' \
             AND c.relname <> '_sqlx_migrations' ORDER BY c.oid, a.attnum",
        )
        .fetch_all(&pool)
        .await
        .expect("tables");
        pool.close().await;
        rows
    };
    let mut tables: Vec<(String, Vec<String>)> = Vec::new();
    for (table, column) in rows {
        match tables.last_mut() {
            Some((last, columns)) if *last == table => columns.push(column),
            _ => tables.push((table, vec![column])),
        }
    }
    tables
}

async fn counts(db: &TestDatabase) -> BTreeMap<String, i64> {
    let mut counts = BTreeMap::new();
    for (table, _) in tables(db).await {
        let count = db.scalar(&format!("SELECT COUNT(*) FROM {table}")).await;
        counts.insert(table, count);
    }
    counts
}

/// Copies the rows of `demo` (the current schema) that the previous release could hold
/// into `old` (the previous release's schema), column by column: the CCYN's rows (the
/// demo also adds the example territory) and the accounts with a role there, each with
/// that role in `staff_user.role` as the previous release stored it. instance_secret
/// keeps the rows `old`'s own migrations made.
async fn copy_rows(demo: &TestDatabase, old: &TestDatabase) {
    let scoped: BTreeSet<String> = tables(demo)
        .await
        .into_iter()
        .filter(|(_, columns)| columns.iter().any(|c| c == "territory_id"))
        .map(|(table, _)| table)
        .collect();
    let mut statements = Vec::new();
    for (table, columns) in tables(old).await {
        if table == "instance_secret" {
            continue;
        }
        let targets = columns.join(", ");
        // 0010 turns plan_meta's id (always 1) into its territory; 0011 moves the role
        // into the memberships.
        let sources = columns
            .iter()
            .map(|c| match (table.as_str(), c.as_str()) {
                ("plan_meta", "id") => "1".to_owned(),
                ("staff_user", "role") => "(SELECT m.role FROM {src}.staff_membership m \
                     WHERE m.user_id = staff_user.id AND m.territory_id = 1)"
                    .to_owned(),
                (_, column) => column.to_owned(),
            })
            .collect::<Vec<_>>()
            .join(", ");
        let filter = match table.as_str() {
            "staff_user" => "WHERE EXISTS (SELECT 1 FROM {src}.staff_membership m \
                 WHERE m.user_id = staff_user.id AND m.territory_id = 1 AND m.role <> 'lecteur')"
                .to_owned(),
            "audit_event" => "WHERE territory_id IS NULL OR territory_id = 1".to_owned(),
            t if scoped.contains(t) => "WHERE territory_id = 1".to_owned(),
            // A need's sources and history follow their need.
            _ if columns.iter().any(|c| c == "need_id") => {
                "WHERE need_id IN (SELECT id FROM {src}.need WHERE territory_id = 1)".to_owned()
            }
            _ => String::new(),
        };
        statements.push((
            table,
            targets,
            format!("{sources} FROM {{src}}.{{table}} {filter}"),
        ));
    }
    if let Some(file) = demo.sqlite_file() {
        let mut connection = SqliteConnection::connect(&old.url).await.expect("connect");
        sqlx::query("ATTACH DATABASE $1 AS demo")
            .bind(file.to_string_lossy().into_owned())
            .execute(&mut connection)
            .await
            .expect("attach");
        for (table, targets, sources) in statements {
            let sources = sources.replace("{src}", "demo").replace("{table}", &table);
            sqlx::query(&format!(
                "INSERT INTO main.{table} ({targets}) SELECT {sources} ORDER BY rowid"
            ))
            .execute(&mut connection)
            .await
            .expect("copy");
        }
        connection.close().await.expect("close");
    } else {
        let (from, base) = demo.postgres_schema().expect("a schema");
        let (to, _) = old.postgres_schema().expect("a schema");
        let pool = PgPool::connect(base).await.expect("connect");
        for (table, targets, sources) in statements {
            let sources = sources.replace("{src}", from).replace("{table}", &table);
            sqlx::query(&format!(
                "INSERT INTO {to}.{table} ({targets}) OVERRIDING SYSTEM VALUE \
                 SELECT {sources} ORDER BY 1"
            ))
            .execute(&pool)
            .await
            .expect("copy");
        }
        pool.close().await;
    }
}

async fn fresh(sqlite: bool) -> TestDatabase {
    if sqlite {
        TestDatabase::sqlite()
    } else {
        TestDatabase::postgres().await
    }
}

async fn previous_release_demo_moves_into_territory_1(sqlite: bool) {
    let demo = fresh(sqlite).await;
    let storage = pouls_server::prepare_storage(&demo.url)
        .await
        .expect("database");
    pouls_server::fill_demo(&storage).await.expect("demo data");
    storage.close().await;

    let old = fresh(sqlite).await;
    migrate_to_previous_release(&old).await;
    copy_rows(&demo, &old).await;
    let before = counts(&old).await;
    assert!(before["response"] > 1000, "the demo's answers were copied");
    let roles = ["admin", "agent", "partenaire"];
    let mut roles_before = Vec::new();
    for role in roles {
        let sql = format!("SELECT COUNT(*) FROM staff_user WHERE role = '{role}'");
        roles_before.push(old.scalar(&sql).await);
    }
    assert_eq!(
        roles_before,
        [1, 1, 1],
        "the CCYN's three accounts were copied"
    );
    assert!(before["need"] > 0 && before["decision"] > 0 && before["field_report"] > 0);

    let storage = pouls::storage::Storage::connect(&old.url)
        .await
        .expect("connect");
    storage.migrate().await.expect("migrations 0010 and 0011");
    storage.close().await;

    let mut after = counts(&old).await;
    for table in NEW_TABLES {
        after.remove(table);
    }
    assert_eq!(before, after, "every table keeps its rows");
    assert_eq!(old.scalar("SELECT COUNT(*) FROM territory").await, 1);
    assert_eq!(
        old.scalar(
            "SELECT COUNT(*) FROM territory WHERE id = 1 AND slug = 'ccyn' AND kind = 'epci'"
        )
        .await,
        1
    );
    for table in SCOPED {
        let all = old.scalar(&format!("SELECT COUNT(*) FROM {table}")).await;
        let first = old
            .scalar(&format!(
                "SELECT COUNT(*) FROM {table} WHERE territory_id = 1"
            ))
            .await;
        assert_eq!(first, all, "{table}: every row in territory 1");
    }
    assert_eq!(
        old.scalar("SELECT COUNT(*) FROM staff_membership").await,
        before["staff_user"],
        "one membership per account"
    );
    let mut roles_after = Vec::new();
    for role in roles {
        let sql = format!("SELECT COUNT(*) FROM staff_membership WHERE role = '{role}'");
        roles_after.push(old.scalar(&sql).await);
    }
    assert_eq!(roles_after, roles_before, "each account keeps its role");
    assert_eq!(
        old.scalar("SELECT COUNT(*) FROM staff_user WHERE instance_role = 'admin'")
            .await,
        1,
        "admins are instance admins"
    );
    assert_eq!(
        old.scalar("SELECT COUNT(*) FROM audit_event WHERE territory_id IS NULL AND action NOT LIKE 'login%' AND action NOT LIKE 'user_%' AND action NOT IN ('logout', 'password_changed', 'reauth_failed')")
            .await,
        0,
        "only account events are instance-wide"
    );
    // The plan reads back whole on the migrated database, and a restart loads nothing.
    let storage = pouls_server::prepare_storage(&old.url)
        .await
        .expect("starts");
    let counts = storage
        .in_default_territory()
        .await
        .expect("territory")
        .plan_counts()
        .await
        .expect("counts");
    assert_eq!(
        (counts.actions, counts.indicators, counts.communes),
        (17, 83, 23)
    );
    storage.close().await;
    assert_eq!(old.scalar("SELECT COUNT(*) FROM territory").await, 1);
}

#[tokio::test]
async fn sqlite_previous_release_demo_moves_into_territory_1() {
    previous_release_demo_moves_into_territory_1(true).await;
}

#[tokio::test]
#[ignore = "needs POULS_TEST_POSTGRES_URL"]
async fn postgres_previous_release_demo_moves_into_territory_1() {
    previous_release_demo_moves_into_territory_1(false).await;
}

/// Every table, column and whether it may be NULL, after all the migrations.
async fn schema(db: &TestDatabase) -> BTreeSet<(String, String, bool)> {
    if db.is_sqlite() {
        let pool = SqlitePool::connect(&db.url).await.expect("connect");
        let rows: Vec<(String, String, bool)> = sqlx::query_as(
            "SELECT m.name, p.name, p.\"notnull\" OR p.pk > 0 FROM sqlite_master m \
             JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'",
        )
        .fetch_all(&pool)
        .await
        .expect("schema");
        pool.close().await;
        rows.into_iter().collect()
    } else {
        let pool = PgPool::connect(&db.url).await.expect("connect");
        let rows: Vec<(String, String, bool)> = sqlx::query_as(
            "SELECT table_name::text, column_name::text, is_nullable = 'NO' \
             FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations'",
        )
        .fetch_all(&pool)
        .await
        .expect("schema");
        pool.close().await;
        rows.into_iter().collect()
    }
}

#[tokio::test]
#[ignore = "needs POULS_TEST_POSTGRES_URL"]
async fn both_backends_end_with_the_same_tables_and_columns() {
    let sqlite = TestDatabase::sqlite();
    let postgres = TestDatabase::postgres().await;
    for db in [&sqlite, &postgres] {
        let storage = pouls::storage::Storage::connect(&db.url)
            .await
            .expect("connect");
        storage.migrate().await.expect("migrations");
        storage.close().await;
    }
    let (lite, pg) = (schema(&sqlite).await, schema(&postgres).await);
    let only_sqlite: Vec<_> = lite.difference(&pg).collect();
    let only_postgres: Vec<_> = pg.difference(&lite).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "only on SQLite: {only_sqlite:?}\nonly on PostgreSQL: {only_postgres:?}"
    );
    assert!(lite.iter().any(|(t, c, _)| t == "territory" && c == "slug"));
}
