//! A small crawler for the escaping walk: reads links and forms out of the pages the
//! router serves, fills every text field of every form with a payload and posts it, then
//! reads every page again. Only what Pouls itself writes needs reading: double-quoted
//! attributes, as Leptos renders them.

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};

use super::{Session, TestApp, TestResponse};

/// One form of a page, as a browser would submit it.
#[derive(Debug, Clone)]
pub struct PageForm {
    pub method: String,
    pub action: String,
    pub multipart: bool,
    pub fields: Vec<FormField>,
}

#[derive(Debug, Clone)]
pub struct FormField {
    pub name: String,
    pub id: Option<String>,
    /// `text`, `textarea`, `hidden`, `select`, `radio`, `checkbox`, `date`, `number`...
    pub kind: String,
    /// The value the page gave it (an input's `value`, the selected or first option).
    pub value: String,
    /// Whether a check box or radio button starts checked.
    pub checked: bool,
}

impl FormField {
    /// A field a person types free text into.
    pub fn takes_text(&self) -> bool {
        matches!(self.kind.as_str(), "text" | "textarea" | "search" | "email")
    }
}

/// Decodes the entities Leptos writes in attributes and text.
pub fn unescape(value: &str) -> String {
    value
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The attributes of a start tag (the text between `<name` and `>`).
fn attributes(tag: &str) -> HashMap<String, String> {
    let mut attributes = HashMap::new();
    let mut rest = tag;
    while let Some(equals) = rest.find('=') {
        let name = rest[..equals]
            .rsplit(|c: char| c.is_whitespace())
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let after = &rest[equals + 1..];
        let Some(value) = after.strip_prefix('"') else {
            rest = after;
            continue;
        };
        let end = value.find('"').unwrap_or(value.len());
        attributes.insert(name, unescape(&value[..end]));
        rest = &value[(end + 1).min(value.len())..];
    }
    // Boolean attributes (`checked`, `selected`) carry no value.
    for word in tag.split_whitespace() {
        let word = word.trim_end_matches('/');
        if !word.contains('=') {
            attributes.entry(word.to_ascii_lowercase()).or_default();
        }
    }
    attributes
}

/// The start tags `<name ...>` of `html`, each with its position after the tag.
fn start_tags<'a>(html: &'a str, name: &str) -> Vec<(usize, &'a str)> {
    let open = format!("<{name}");
    let mut tags = Vec::new();
    let mut from = 0;
    while let Some(found) = html[from..].find(&open) {
        let start = from + found + open.len();
        let boundary = html[start..].chars().next();
        let Some(end) = html[start..].find('>') else {
            break;
        };
        if matches!(boundary, Some(c) if c.is_whitespace() || c == '>' || c == '/') {
            tags.push((start + end + 1, &html[start..start + end]));
        }
        from = start + end + 1;
    }
    tags
}

/// Every form of a page.
pub fn forms(html: &str) -> Vec<PageForm> {
    let mut forms = Vec::new();
    for (body_start, tag) in start_tags(html, "form") {
        let body_end = html[body_start..]
            .find("</form>")
            .map_or(html.len(), |end| body_start + end);
        let body = &html[body_start..body_end];
        let form_attributes = attributes(tag);
        let mut fields = Vec::new();
        for (_, input) in start_tags(body, "input") {
            let a = attributes(input);
            let Some(name) = a.get("name").cloned() else {
                continue;
            };
            let kind = a.get("type").cloned().unwrap_or_else(|| "text".to_owned());
            fields.push(FormField {
                name,
                id: a.get("id").cloned(),
                value: a.get("value").cloned().unwrap_or_default(),
                checked: a.contains_key("checked"),
                kind,
            });
        }
        for (content_start, textarea) in start_tags(body, "textarea") {
            let a = attributes(textarea);
            let Some(name) = a.get("name").cloned() else {
                continue;
            };
            let end = body[content_start..]
                .find("</textarea>")
                .map_or(body.len(), |e| content_start + e);
            let text = body[content_start..end]
                .strip_prefix('\n')
                .unwrap_or(&body[content_start..end]);
            fields.push(FormField {
                name,
                id: a.get("id").cloned(),
                kind: "textarea".to_owned(),
                value: unescape(text),
                checked: false,
            });
        }
        for (content_start, select) in start_tags(body, "select") {
            let a = attributes(select);
            let Some(name) = a.get("name").cloned() else {
                continue;
            };
            let end = body[content_start..]
                .find("</select>")
                .map_or(body.len(), |e| content_start + e);
            let options: Vec<HashMap<String, String>> =
                start_tags(&body[content_start..end], "option")
                    .into_iter()
                    .map(|(_, option)| attributes(option))
                    .collect();
            // A selected empty option is a "Choisissez..." prompt: take a real choice.
            let value = options
                .iter()
                .find(|o| {
                    o.contains_key("selected") && o.get("value").is_some_and(|v| !v.is_empty())
                })
                .or_else(|| {
                    options
                        .iter()
                        .find(|o| o.get("value").is_some_and(|v| !v.is_empty()))
                })
                .and_then(|o| o.get("value").cloned())
                .unwrap_or_default();
            fields.push(FormField {
                name,
                id: a.get("id").cloned(),
                kind: "select".to_owned(),
                value,
                checked: false,
            });
        }
        forms.push(PageForm {
            method: form_attributes
                .get("method")
                .map_or_else(|| "get".to_owned(), |m| m.to_ascii_lowercase()),
            action: form_attributes.get("action").cloned().unwrap_or_default(),
            multipart: form_attributes
                .get("enctype")
                .is_some_and(|e| e.contains("multipart")),
            fields,
        });
    }
    forms
}

/// The site-local links of a page (`href="/..."`), without their fragment.
pub fn links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(unescape)
        .filter(|href| href.starts_with('/') && !href.starts_with("//"))
        .map(|href| href.split('#').next().unwrap_or_default().to_owned())
        .filter(|href| !href.is_empty())
        .collect()
}

/// A path with its numbers and point codes blurred, so similar pages count as one.
pub fn pattern(path: &str) -> String {
    let path = path.split('?').next().unwrap_or_default();
    path.split('/')
        .map(|segment| {
            if segment.chars().any(|c| c.is_ascii_digit()) {
                "N".to_owned()
            } else {
                segment.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// What a crawl saw: every HTML body, by the path it came from.
#[derive(Default)]
pub struct Crawl {
    pub pages: Vec<(String, TestResponse)>,
}

/// Pages served as something other than HTML, or that end the crawl's session.
fn skipped(path: &str) -> bool {
    path.starts_with("/style/")
        || path.starts_with("/connexion")
        || path.starts_with("/deconnexion")
        || path.ends_with(".svg")
        || path.ends_with(".png")
        || path.contains("/export")
        || path.contains("format=csv")
}

/// Reads every page reachable from `seeds`, at most `per_pattern` pages of each shape.
pub async fn crawl(
    app: &TestApp,
    session: Option<&Session>,
    seeds: &[&str],
    per_pattern: usize,
) -> Crawl {
    let mut queue: VecDeque<String> = seeds.iter().map(|s| (*s).to_owned()).collect();
    let mut seen: HashSet<String> = queue.iter().cloned().collect();
    let mut shapes: HashMap<String, usize> = HashMap::new();
    let mut crawl = Crawl::default();
    while let Some(path) = queue.pop_front() {
        let response = match session {
            Some(session) => app.get_as(session, &path).await,
            None => app.get(&path).await,
        };
        if !response.header("content-type").starts_with("text/html") {
            continue;
        }
        for link in links(&response.body) {
            if skipped(&link) || seen.contains(&link) {
                continue;
            }
            let shape = shapes.entry(pattern(&link)).or_default();
            if *shape >= per_pattern {
                continue;
            }
            *shape += 1;
            seen.insert(link.clone());
            queue.push_back(link);
        }
        crawl.pages.push((path, response));
    }
    crawl
}

/// The forms of a crawl, one of each shape (method, action pattern, field names).
pub fn distinct_forms(crawl: &Crawl) -> Vec<(String, PageForm)> {
    let mut seen = HashSet::new();
    let mut distinct = Vec::new();
    for (path, page) in &crawl.pages {
        for form in forms(&page.body) {
            let names: BTreeSet<&str> = form.fields.iter().map(|f| f.name.as_str()).collect();
            let action = if form.action.is_empty() {
                path.clone()
            } else {
                form.action.clone()
            };
            let key = format!("{} {} {names:?}", form.method, pattern(&action));
            if seen.insert(key) {
                distinct.push((action, form));
            }
        }
    }
    distinct
}

/// The field names a 422 page reports errors for, from its error summary's links.
pub fn fields_in_error(html: &str, form: &PageForm) -> Vec<String> {
    let Some(summary) = html.split("class=\"error-summary\"").nth(1) else {
        return Vec::new();
    };
    let summary = summary.split("</div>").next().unwrap_or_default();
    let ids: HashSet<String> = summary
        .split("href=\"#")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect();
    form.fields
        .iter()
        .filter(|field| field.id.as_ref().is_some_and(|id| ids.contains(id)))
        .map(|field| field.name.clone())
        .collect()
}
