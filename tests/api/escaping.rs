//! Text typed by anyone reaches HTML only escaped. Starting from the demo's data, every
//! form the crawl finds (staff and public) is posted with a payload in each of its text
//! fields; then every page, as each role and anonymously, must show the payload as text.
//! The payload closes a text area and adds a field and a button that would post the page's
//! own CSRF token elsewhere: the attack that once made a partenaire admin.

use std::collections::HashSet;

use crate::support::crawl::{self, PageForm, fields_in_error};
use crate::support::{PASSWORD, Session, TestApp, TestResponse};
use axum::http::StatusCode;
use pouls::domain::Role;

on_both_backends!(text_from_every_form_is_escaped_on_every_page);

const PAYLOAD: &str =
    "</textarea><input name=x value=1><button formaction=/admin/comptes/1/role>ok</button>";
const ESCAPED: &str = "&lt;/textarea&gt;&lt;input name=x value=1&gt;";

/// Whether a page carries the payload as markup rather than as text.
fn injected(body: &str) -> bool {
    body.contains("<input name=x") || body.contains("<button formaction")
}

/// The values a browser would send for `form`: the payload in every text field except
/// those in `plain`, which get an ordinary value.
fn fill(form: &PageForm, plain: &HashSet<String>, attempt: usize) -> Vec<(String, String)> {
    let mut values = Vec::new();
    let mut groups_done = HashSet::new();
    for field in &form.fields {
        let value = match field.kind.as_str() {
            "radio" | "checkbox" => {
                let group_has_checked = form
                    .fields
                    .iter()
                    .any(|f| f.name == field.name && f.checked);
                let first = groups_done.insert(field.name.clone());
                if field.checked || (!group_has_checked && first) {
                    field.value.clone()
                } else {
                    continue;
                }
            }
            "password" => PASSWORD.to_owned(),
            "file" | "submit" => continue,
            "date" if plain.contains(&field.name) => "2030-12-31".to_owned(),
            "date" if field.value.is_empty() => "2029-06-15".to_owned(),
            "number" if field.value.is_empty() => "3".to_owned(),
            _ if field.takes_text() && !plain.contains(&field.name) => PAYLOAD.to_owned(),
            _ if field.takes_text() && attempt < 2 && field.value.is_empty() => {
                if field.kind == "email" {
                    format!("crawl-{:x}@ccyn.fr", rand::random::<u32>())
                } else {
                    // Fits the fields that want a number as well as those that want text.
                    "3".to_owned()
                }
            }
            _ => field.value.clone(),
        };
        values.push((field.name.clone(), value));
    }
    values
}

/// Posts one form with the payload, then again with ordinary values in the fields the
/// server refused, until it is accepted or only the refused fields are left.
async fn post_form(
    app: &TestApp,
    session: &Session,
    action: &str,
    form: &PageForm,
) -> Vec<TestResponse> {
    let mut plain = HashSet::new();
    let mut responses = Vec::new();
    for attempt in 0..3 {
        let values = fill(form, &plain, attempt);
        let fields: Vec<(&str, &str)> = values
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let ip = [10, rand::random(), rand::random(), rand::random()];
        let response = app
            .post_from(ip, action, Some(&session.cookie), &fields, &[])
            .await;
        let refused = response.status == StatusCode::UNPROCESSABLE_ENTITY;
        let errors = if refused {
            fields_in_error(&response.body, form)
        } else {
            Vec::new()
        };

        responses.push(response);
        let before = plain.len();
        plain.extend(errors);
        if !refused || plain.len() == before {
            break;
        }
    }
    responses
}

/// Forms that would end the walk's own session, or that are uploads.
fn left_out(action: &str, form: &PageForm, own_account: &str) -> bool {
    form.multipart
        || action.starts_with("/deconnexion")
        || action.starts_with(own_account)
        || action.starts_with("/admin/mon-compte")
}

/// Forms that close or remove things go last, so the others find what they act on.
fn destructive(action: &str) -> bool {
    [
        "fermer",
        "etat",
        "role",
        "sessions",
        "supprimer",
        "mot-de-passe",
        "figer",
    ]
    .iter()
    .any(|word| action.contains(word))
}

async fn text_from_every_form_is_escaped_on_every_page(app: TestApp) {
    pouls_server::fill_demo(&app.storage)
        .await
        .expect("demo data");
    let admin_id = app.create_user("walk-admin@ccyn.fr", Role::Admin).await;
    let admin = app.login("walk-admin@ccyn.fr", PASSWORD).await;
    let own_account = format!("/admin/comptes/{admin_id}/");
    let seeds = ["/admin", "/", "/plan", "/resultats"];

    let mut checked = 0;
    let mut posted = HashSet::new();
    for round in 0..2 {
        let pages = crawl::crawl(&app, Some(&admin), &seeds, 3).await;
        let mut forms: Vec<_> = crawl::distinct_forms(&pages)
            .into_iter()
            .filter(|(action, form)| !left_out(action, form, &own_account))
            .filter(|(action, form)| {
                posted.insert(format!("{} {}", form.method, crawl::pattern(action)))
            })
            .collect();
        forms.sort_by_key(|(action, _)| destructive(action));
        assert!(
            round > 0 || forms.len() >= 25,
            "the walk finds the forms: {}",
            forms.len()
        );
        for (action, form) in &forms {
            let responses = if form.method == "post" {
                post_form(&app, &admin, action, form).await
            } else {
                let query: Vec<String> = fill(form, &HashSet::new(), 0)
                    .into_iter()
                    .map(|(k, v)| {
                        format!(
                            "{k}={}",
                            v.replace(' ', "+")
                                .replace('<', "%3C")
                                .replace('>', "%3E")
                                .replace('=', "%3D")
                                .replace('/', "%2F")
                        )
                    })
                    .collect();
                let path = format!(
                    "{}?{}",
                    action.split('?').next().unwrap_or_default(),
                    query.join("&")
                );
                vec![app.get_as(&admin, &path).await]
            };
            for response in responses {
                assert!(
                    !response.status.is_server_error(),
                    "{} {action} answered {}",
                    form.method,
                    response.status
                );
                assert!(
                    !injected(&response.body),
                    "{} {action} echoes markup:\n{}",
                    form.method,
                    response.body
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 25, "{checked} form submissions");

    // Every page, as each role and anonymously.
    let agent = app.staff(Role::Agent).await;
    let partenaire = app.staff(Role::Partenaire).await;
    let mut escaped_pages = 0;
    let mut pages_read = 0;
    for session in [Some(&admin), Some(&agent), Some(&partenaire), None] {
        let pages = crawl::crawl(&app, session, &seeds, 4).await;
        for (path, page) in &pages.pages {
            assert!(
                !page.status.is_server_error(),
                "GET {path}: {}",
                page.status
            );
            assert!(
                !injected(&page.body),
                "GET {path} shows the payload as markup:\n{}",
                page.body
            );
            escaped_pages += usize::from(page.body.contains(ESCAPED));
            pages_read += 1;
        }
    }
    eprintln!("{pages_read} pages read, {escaped_pages} show the payload escaped");
    assert!(pages_read >= 60, "{pages_read} pages read");
    assert!(
        escaped_pages >= 10,
        "the payload is shown (escaped) on {escaped_pages} pages"
    );
}
