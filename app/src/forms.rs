//! Form building blocks: labelled fields with their errors, the error summary, the CSRF
//! field. Every field carries its error next to it, tied with `aria-describedby`, and the
//! summary at the top links to each field (RGAA 11.10, 11.11).

use leptos::prelude::*;

pub use pouls::domain::FieldErrors as FormErrors;

/// The page title, marked when the form came back with errors so screen readers hear it
/// first.
pub fn title_with_errors(title: &str, errors: &FormErrors) -> String {
    if errors.is_empty() {
        title.to_owned()
    } else {
        format!("Erreur : {title}")
    }
}

/// The id of a field's element, from its name.
pub fn field_id(name: &str) -> String {
    format!("champ-{}", name.replace(['[', ']', '.'], "-"))
}

#[component]
pub fn ErrorSummary(errors: FormErrors) -> impl IntoView {
    (!errors.is_empty()).then(|| {
        let heading = if errors.len() == 1 {
            "Le formulaire contient une erreur".to_owned()
        } else {
            format!("Le formulaire contient {} erreurs", errors.len())
        };
        view! {
            <div class="error-summary" id="erreurs" role="alert" tabindex="-1" autofocus aria-labelledby="erreurs-titre">
                <h2 id="erreurs-titre">{heading}</h2>
                <ul>
                    {errors
                        .iter()
                        .map(|(field, message)| {
                            let message = message.to_owned();
                            if field.is_empty() {
                                view! { <li>{message}</li> }.into_any()
                            } else {
                                view! { <li><a href=format!("#{}", field_id(field))>{message}</a></li> }.into_any()
                            }
                        })
                        .collect_view()}
                </ul>
            </div>
        }
    })
}

/// The hidden field carrying the session's CSRF token.
#[component]
pub fn CsrfField(token: String) -> impl IntoView {
    view! { <input type="hidden" name="csrf" value=token/> }
}

/// The hint and error paragraphs of a field, and the ids for `aria-describedby`.
fn described(id: &str, hint: Option<String>, error: Option<String>) -> (Option<String>, AnyView) {
    let hint_id = format!("{id}-aide");
    let error_id = format!("{id}-erreur");
    let described_by: Vec<&str> = [
        hint.as_ref().map(|_| hint_id.as_str()),
        error.as_ref().map(|_| error_id.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect();
    let described_by = (!described_by.is_empty()).then(|| described_by.join(" "));
    let view = view! {
        {hint.map(|hint| view! { <p class="hint" id=hint_id.clone()>{hint}</p> })}
        {error.map(|error| view! {
            <p class="error-message" id=error_id.clone()>
                <span class="visually-hidden">"Erreur : "</span>{error}
            </p>
        })}
    }
    .into_any();
    (described_by, view)
}

/// A one-line text input (text, email, password, number, date...).
#[component]
pub fn TextField(
    name: &'static str,
    label: String,
    #[prop(optional)] value: String,
    #[prop(optional_no_strip)] error: Option<String>,
    #[prop(optional)] hint: Option<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional)] maxlength: Option<usize>,
) -> impl IntoView {
    let id = field_id(name);
    let invalid = error.is_some();
    let (described_by, messages) = described(&id, hint, error);
    // Never send a password back to the browser.
    let value = (kind != "password").then_some(value);
    view! {
        <div class=if invalid { "field field-error" } else { "field" }>
            <label for=id.clone()>{label}</label>
            {messages}
            <input
                id=id
                name=name
                type=kind
                value=value
                autocomplete=autocomplete
                required=required
                maxlength=maxlength
                aria-describedby=described_by
                aria-invalid=invalid.then_some("true")
            />
        </div>
    }
}

/// A drop-down list.
#[component]
pub fn SelectField(
    name: &'static str,
    label: String,
    options: Vec<(String, String)>,
    #[prop(optional)] selected: String,
    #[prop(optional_no_strip)] error: Option<String>,
    #[prop(optional)] hint: Option<String>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let id = field_id(name);
    let invalid = error.is_some();
    let (described_by, messages) = described(&id, hint, error);
    view! {
        <div class=if invalid { "field field-error" } else { "field" }>
            <label for=id.clone()>{label}</label>
            {messages}
            <select
                id=id
                name=name
                required=required
                aria-describedby=described_by
                aria-invalid=invalid.then_some("true")
            >
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let is_selected = value == selected;
                        view! { <option value=value selected=is_selected>{text}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// A multi-line text area.
#[component]
pub fn TextAreaField(
    name: &'static str,
    label: String,
    #[prop(optional)] value: String,
    #[prop(optional_no_strip)] error: Option<String>,
    #[prop(optional)] hint: Option<String>,
    #[prop(default = 4)] rows: u32,
    #[prop(optional)] maxlength: Option<usize>,
) -> impl IntoView {
    let id = field_id(name);
    let invalid = error.is_some();
    let (described_by, messages) = described(&id, hint, error);
    view! {
        <div class=if invalid { "field field-error" } else { "field" }>
            <label for=id.clone()>{label}</label>
            {messages}
            <TextArea id name=name.to_owned() value rows maxlength described_by invalid/>
        </div>
    }
}

/// The one `<textarea>` of the platform: every text area goes through it.
///
/// Leptos writes the children of `<textarea>` raw, as for `<script>` (leptos-rs/leptos
/// #4730 escaped them, #4819 reverted it), so a value holding `</textarea>` would close the
/// element and add markup of its choosing to the page. The value is escaped here with the
/// encoder Leptos uses for every other text node. A newline goes first because HTML
/// drops the first newline of a text area: a value starting with one keeps it.
#[component]
pub fn TextArea(
    id: String,
    name: String,
    value: String,
    rows: u32,
    #[prop(optional_no_strip)] maxlength: Option<usize>,
    #[prop(optional_no_strip)] described_by: Option<String>,
    #[prop(optional)] invalid: bool,
    #[prop(optional)] autocomplete: Option<&'static str>,
) -> impl IntoView {
    let content = format!("\n{}", html_escape::encode_text(&value));
    view! {
        <textarea id=id name=name rows=rows maxlength=maxlength autocomplete=autocomplete
            aria-describedby=described_by aria-invalid=invalid.then_some("true")>{content}</textarea>
    }
}

/// A group of check boxes sharing one name, in a fieldset with its legend.
#[component]
pub fn CheckboxesField(
    name: &'static str,
    legend: String,
    options: Vec<(String, String)>,
    #[prop(optional)] checked: Vec<String>,
    #[prop(optional_no_strip)] error: Option<String>,
    #[prop(optional)] hint: Option<String>,
) -> impl IntoView {
    let id = field_id(name);
    let invalid = error.is_some();
    let (described_by, messages) = described(&id, hint, error);
    let boxes = options
        .into_iter()
        .enumerate()
        .map(|(index, (value, text))| {
            let input_id = if index == 0 { id.clone() } else { format!("{id}-{}", index + 1) };
            let is_checked = checked.contains(&value);
            view! {
                <div class="choice">
                    <input type="checkbox" id=input_id.clone() name=name value=value checked=is_checked/>
                    <label for=input_id>{text}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <fieldset class=if invalid { "field field-error" } else { "field" } aria-describedby=described_by>
            <legend>{legend}</legend>
            {messages}
            <div class="choices">{boxes}</div>
        </fieldset>
    }
}

/// One check box with its label (a yes/no setting).
#[component]
pub fn CheckboxField(
    name: &'static str,
    label: String,
    #[prop(optional)] checked: bool,
    #[prop(optional)] hint: Option<String>,
) -> impl IntoView {
    let id = field_id(name);
    let (described_by, messages) = described(&id, hint, None);
    view! {
        <div class="field choice">
            <input type="checkbox" id=id.clone() name=name value="1" checked=checked aria-describedby=described_by/>
            <label for=id>{label}</label>
            {messages}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn a_text_area_value_cannot_close_the_element() {
        let payload = "</textarea><input name=role value=admin><button formaction=/x>&amp;";
        let html = view! { <TextArea id="t".to_owned() name="t".to_owned() value=payload.to_owned() rows=3/> }
            .to_html();
        assert!(!html.contains("</textarea><input"), "{html}");
        assert!(
            html.contains("&lt;/textarea&gt;&lt;input name=role value=admin&gt;"),
            "{html}"
        );
        assert!(
            html.contains("&amp;amp;"),
            "an entity is shown as typed: {html}"
        );
        assert_eq!(html.matches("</textarea>").count(), 1, "{html}");
    }

    #[test]
    fn a_leading_newline_survives() {
        let html = view! { <TextArea id="t".to_owned() name="t".to_owned() value="\nligne".to_owned() rows=3/> }
            .to_html();
        assert!(html.contains(">\n\nligne</textarea>"), "{html}");
    }

    /// Elements whose children Leptos writes raw (`textarea`, `script`, `style`,
    /// `noscript`) may appear in a view only here, in [`TextArea`], which escapes; and a
    /// `<script src=...>` without children (the live screen's), which writes nothing raw.
    #[test]
    fn no_view_writes_raw_text_elements() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut offenders = Vec::new();
        let mut dirs = vec![root.clone()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("read app/src") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                if path.extension().is_none_or(|e| e != "rs") {
                    continue;
                }
                let source = std::fs::read_to_string(&path).expect("read source");
                // Tests may spell the tags out; views live before them.
                let views = source.split("\n#[cfg(test)]").next().unwrap_or_default();
                for (number, line) in views.lines().enumerate() {
                    let code = line.trim_start();
                    if code.starts_with("//") {
                        continue;
                    }
                    for tag in ["<textarea", "<script", "<style", "<noscript"] {
                        let allowed = (path.ends_with("forms.rs")
                            && tag == "<textarea"
                            && code.starts_with("<textarea id=id name=name"))
                            || (tag == "<script"
                                && code.split("<script").skip(1).all(|rest| {
                                    rest.starts_with(" src=")
                                        && rest.split_once('>').is_some_and(|(_, after)| {
                                            after.starts_with("</script>")
                                        })
                                }));
                        if code.contains(tag) && !allowed {
                            offenders.push(format!("{}:{}: {code}", path.display(), number + 1));
                        }
                    }
                }
            }
        }
        assert!(
            offenders.is_empty(),
            "write text areas with forms::TextArea, never raw:\n{}",
            offenders.join("\n")
        );
    }
}
