//! Query strings of the links and redirects the pages build, encoded as a browser
//! encodes a GET form (`form_urlencoded`), so the handlers' `Query` reads them back.

/// `name=value&...`, each name and value encoded.
pub(crate) fn encode<K: AsRef<str>, V: AsRef<str>>(
    pairs: impl IntoIterator<Item = (K, V)>,
) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_values_are_encoded_as_a_form_would() {
        assert_eq!(
            encode([("suite", "/admin/x?a=b&c"), ("q", "été 2026")]),
            "suite=%2Fadmin%2Fx%3Fa%3Db%26c&q=%C3%A9t%C3%A9+2026"
        );
        assert_eq!(encode([("public", "")]), "public=");
        assert_eq!(encode(Vec::<(&str, &str)>::new()), "");
    }
}
