//! The filters of a survey's results (point, commune, public, dates), read from the page
//! address, shared by the results page, its review list and its print view.

use std::collections::HashMap;

use pouls::disclosure::Audience;
use pouls::survey::{CollectionPoint, ResultsFilter, parse_french_date};

use crate::format;
use crate::forms::FormErrors;

/// The fields of the address that filter the results.
const FIELDS: [&str; 5] = ["point", "commune", "public", "du", "au"];

pub(super) struct Filters {
    pub filter: ResultsFilter,
    pub errors: FormErrors,
    /// Why the period shown is wider than the one asked for, if it is.
    pub widened: Option<String>,
    values: HashMap<String, String>,
}

impl Filters {
    /// Partenaires filter by whole months, so two views never differ by one day's answers.
    pub fn parse(query: &HashMap<String, String>, audience: Audience) -> Self {
        let values: HashMap<String, String> = query
            .iter()
            .map(|(k, v)| (k.clone(), v.trim().to_owned()))
            .collect();
        let field = |name: &str| values.get(name).cloned().unwrap_or_default();
        let mut errors = FormErrors::default();
        let mut date = |name: &str| {
            let typed = field(name);
            if typed.is_empty() {
                return None;
            }
            parse_french_date(&typed)
                .map_err(|e| errors.add(name, e.0))
                .ok()
        };
        let (from, to) = (date("du"), date("au"));
        if let (Some(from), Some(to)) = (from, to)
            && from > to
        {
            errors.add("au", "La date de fin doit suivre la date de début.");
        }
        let period = audience.period(from, to);
        let widened = period.widened.then(|| {
            format!(
                "Pour préserver l'anonymat, la période est arrondie au mois entier : {}.",
                span(period.from, period.to)
            )
        });
        let filter = ResultsFilter {
            point_id: field("point").parse().ok(),
            commune: Some(field("commune")).filter(|c| !c.is_empty()),
            public: Some(field("public")).filter(|c| !c.is_empty()),
            from: period.from,
            to: period.to,
        };
        Self {
            filter,
            errors,
            widened,
            values,
        }
    }

    /// A field as typed (trimmed), or empty.
    pub fn field(&self, name: &str) -> String {
        self.values.get(name).cloned().unwrap_or_default()
    }

    /// The filters as an address query (`point=..&du=..`), without the empty ones.
    pub fn query(&self) -> String {
        crate::query::encode(FIELDS.iter().filter_map(|name| {
            self.values
                .get(*name)
                .filter(|v| !v.is_empty())
                .map(|v| (*name, v.as_str()))
        }))
    }

    /// The filters in words, for a printed summary.
    pub fn describe(
        &self,
        points: &[CollectionPoint],
        communes: &[(String, String)],
        publics: &[(String, String)],
    ) -> Vec<String> {
        let label = |list: &[(String, String)], code: &str| {
            list.iter()
                .find(|(c, _)| c == code)
                .map_or_else(|| code.to_owned(), |(_, l)| l.clone())
        };
        let mut words = Vec::new();
        if let Some(point) = self
            .filter
            .point_id
            .and_then(|id| points.iter().find(|p| p.id == id))
        {
            words.push(format!("point de collecte : {}", point.label));
        }
        if let Some(commune) = &self.filter.commune {
            words.push(format!("commune : {}", label(communes, commune)));
        }
        if let Some(public) = &self.filter.public {
            words.push(format!("public : {}", label(publics, public)));
        }
        words
    }
}

/// A span of days in words: "du 1er juin 2026 au 30 juin 2026", "à partir du ...".
pub(super) fn span(from: Option<time::Date>, to: Option<time::Date>) -> String {
    match (from.map(format::date), to.map(format::date)) {
        (Some(from), Some(to)) => format!("du {from} au {to}"),
        (Some(from), None) => format!("à partir du {from}"),
        (None, Some(to)) => format!("jusqu'au {to}"),
        (None, None) => String::new(),
    }
}

/// `base` with `query` appended, if there is one.
pub(super) fn with_query(base: &str, query: &str) -> String {
    if query.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{query}")
    }
}

/// The query of a local address (`/path?a=1&b=2`) as a map: how a posted form's `retour`
/// brings back the filters of the page it came from.
pub(super) fn query_of(path: &str) -> HashMap<String, String> {
    let query = path.split_once('?').map_or("", |(_, q)| q);
    let query = query.split('#').next().unwrap_or_default();
    serde_urlencoded::from_str(query).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn filters_keep_what_was_asked_and_drop_the_rest() {
        let filters = Filters::parse(
            &query(&[
                ("commune", " michery "),
                ("page", "2"),
                ("du", "2026-06-01"),
            ]),
            Audience::Staff,
        );
        assert_eq!(filters.filter.commune.as_deref(), Some("michery"));
        assert_eq!(filters.query(), "commune=michery&du=2026-06-01");
        assert!(filters.errors.is_empty());
        assert_eq!(filters.widened, None);
    }

    #[test]
    fn an_inverted_range_is_an_error_on_the_end_date() {
        let filters = Filters::parse(
            &query(&[("du", "2026-06-19"), ("au", "2026-06-14")]),
            Audience::Staff,
        );
        assert!(filters.errors.get("au").is_some());
    }

    #[test]
    fn the_query_of_a_return_address_is_read_back() {
        let map = query_of("/admin/enquetes/3/resultats?commune=michery&relecture=toutes#x");
        assert_eq!(map.get("commune").map(String::as_str), Some("michery"));
        assert_eq!(map.get("relecture").map(String::as_str), Some("toutes"));
        assert!(query_of("/admin/enquetes/3/resultats").is_empty());
        assert_eq!(with_query("/a", ""), "/a");
        assert_eq!(with_query("/a", "b=1"), "/a?b=1");
    }
}
