//! Link tables: the set of codes or numbers an object is tagged with (a survey's actions
//! and themes, a need's communes and publics...). An edit form sends the whole set, so
//! saving the object replaces its links rather than diffing them.

/// A table of `(owner, value)` rows: which values an object holds.
pub(crate) struct LinkTable {
    pub table: &'static str,
    /// The column naming the object.
    pub owner: &'static str,
    /// The column of the value.
    pub value: &'static str,
    /// Whether the rows carry the owner's territory_id (for the composite keys that keep
    /// a value, a theme for example, one of the owner's territory).
    pub scoped: bool,
}

impl LinkTable {
    pub(crate) fn delete_sql(&self) -> String {
        format!("DELETE FROM {} WHERE {} = $1", self.table, self.owner)
    }

    /// The start of a multi-row insert, before its `VALUES`.
    pub(crate) fn insert_sql(&self) -> String {
        let territory = if self.scoped { "territory_id, " } else { "" };
        format!(
            "INSERT INTO {} ({territory}{}, {}) ",
            self.table, self.owner, self.value
        )
    }
}

/// Replaces the links of object `$owner` (an `i64`) of territory `$territory` (an `i64`)
/// in the [`LinkTable`] `$links` by `$values`, inside the caller's transaction: the old
/// rows are deleted and the new ones inserted in one statement.
macro_rules! replace_links {
    ($tx:expr, $links:expr, $territory:expr, $owner:expr, $values:expr) => {{
        let links: &$crate::storage::links::LinkTable = &$links;
        let territory: i64 = $territory;
        let owner: i64 = $owner;
        sqlx::query(&links.delete_sql())
            .bind(owner)
            .execute(&mut *$tx)
            .await?;
        let mut values = ::std::iter::IntoIterator::into_iter($values).peekable();
        if values.peek().is_some() {
            let mut insert = sqlx::QueryBuilder::new(links.insert_sql());
            insert.push_values(values, |mut row, value| {
                if links.scoped {
                    row.push_bind(territory);
                }
                row.push_bind(owner).push_bind(value);
            });
            insert.build().execute(&mut *$tx).await?;
        }
    }};
}
pub(crate) use replace_links;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_name_the_table_and_its_columns() {
        let links = LinkTable {
            table: "need_public",
            owner: "need_id",
            value: "public_code",
            scoped: true,
        };
        assert_eq!(
            links.delete_sql(),
            "DELETE FROM need_public WHERE need_id = $1"
        );
        assert_eq!(
            links.insert_sql(),
            "INSERT INTO need_public (territory_id, need_id, public_code) "
        );
        let agenda = LinkTable {
            scoped: false,
            ..links
        };
        assert_eq!(
            agenda.insert_sql(),
            "INSERT INTO need_public (need_id, public_code) "
        );
    }
}
