//! The page frame shared by every public page: head, header, breadcrumbs, footer.

use leptos::prelude::*;
use pouls::domain::Role;
use pouls::territory::TerritoryId;

use crate::assets::stylesheet_href;
use crate::forms::CsrfField;

/// What the header shows to a logged-in staff member.
#[derive(Debug, Clone)]
pub(crate) struct StaffNav {
    pub email: String,
    pub role: Role,
    pub csrf_token: String,
    /// The path of the page, to mark its section in the menu.
    pub path: String,
    /// The territory the pages work in, and every one the account may choose (id, name).
    pub territory: TerritoryId,
    pub territories: Vec<(TerritoryId, String)>,
    /// Whether the departmental view is open to this account (an instance role).
    pub department: bool,
}

/// The staff menu: each section with the least role that may open it (the routes'
/// roles; `tests/api/staff_menu.rs` checks they agree).
const STAFF_MENU: [(&str, &str, Role); 11] = [
    ("Tableau de bord", "/admin", Role::Lecteur),
    ("Enquêtes", "/admin/enquetes", Role::Lecteur),
    ("Plan", "/admin/plan", Role::Lecteur),
    ("Observatoire", "/admin/observatoire", Role::Lecteur),
    ("Besoins", "/admin/besoins", Role::Lecteur),
    ("Remontées", "/admin/remontees", Role::Partenaire),
    ("Réunions", "/admin/reunions", Role::Lecteur),
    ("Exports", "/admin/exports", Role::Lecteur),
    ("Comptes", "/admin/comptes", Role::Admin),
    ("Journal", "/admin/journal", Role::Admin),
    ("Mon compte", "/admin/mon-compte", Role::Lecteur),
];

/// The menu section a staff path belongs to: pages under a section's path, and the
/// pages reached from it (collection points and templates from surveys, indicators
/// from the plan, decisions from meetings).
fn section_of(path: &str) -> Option<&'static str> {
    let path = match path {
        p if p.starts_with("/admin/points") || p.starts_with("/admin/modeles") => "/admin/enquetes",
        p if p.starts_with("/admin/indicateurs") => "/admin/plan",
        p if p.starts_with("/admin/decisions") => "/admin/reunions",
        p => p,
    };
    STAFF_MENU
        .iter()
        .map(|(_, href, _)| *href)
        .filter(|href| {
            path == *href || (*href != "/admin" && path.starts_with(&format!("{href}/")))
        })
        .max_by_key(|href| href.len())
}

/// One step of a breadcrumb trail; the last one is the current page and has no link.
#[derive(Debug, Clone)]
pub(crate) struct Crumb {
    pub label: String,
    pub href: Option<String>,
}

impl Crumb {
    pub fn link(label: impl Into<String>, href: impl Into<String>) -> Self {
        Self {
            label: label.into(),
            href: Some(href.into()),
        }
    }

    pub fn here(label: impl Into<String>) -> Self {
        Self {
            label: label.into(),
            href: None,
        }
    }
}

#[component]
pub(crate) fn Page(
    /// The page's own title; the site name is appended in `<title>`.
    title: String,
    #[prop(optional)] breadcrumbs: Vec<Crumb>,
    /// Staff pages show the staff menu and the logout button instead of the public menu.
    #[prop(optional)]
    staff: Option<StaffNav>,
    /// `<meta http-equiv="refresh">` content, for pages that reload themselves without
    /// JavaScript (the live screen, when asked to).
    #[prop(optional_no_strip)]
    refresh: Option<String>,
    /// Pages made to be printed or projected: no header, menu or footer.
    #[prop(optional)]
    bare: bool,
    /// A kiosk's pages (a tablet left for the public): no menu, and no link out of the
    /// form but the two notices the law asks for on every page (privacy, accessibility),
    /// so the next person finds the questionnaire.
    #[prop(optional)]
    kiosk: bool,
    /// A class on `<body>` for page-specific styles.
    #[prop(optional)]
    class: &'static str,
    /// The prefix of a territory's public pages (`/t/{slug}`), kept by the public menu.
    #[prop(optional)]
    base: String,
    /// The territory the page is of, named in its header and footer; staff pages take the
    /// one they work in. Empty on the instance's own pages (legal notices, the list).
    #[prop(optional)]
    territory: String,
    children: Children,
) -> impl IntoView {
    let territory = match (&staff, territory.is_empty()) {
        (Some(staff), true) => staff
            .territories
            .iter()
            .find(|(id, _)| *id == staff.territory)
            .map(|(_, name)| name.clone())
            .unwrap_or_default(),
        _ => territory,
    };
    let footer_sentence = if territory.is_empty() {
        "Pouls : la participation des habitants et l'observation partagée des besoins des territoires.".to_owned()
    } else {
        format!(
            "{territory} : la participation des habitants et l'observation partagée des besoins, avec Pouls."
        )
    };
    let menu = match staff {
        _ if kiosk => ().into_any(),
        Some(staff) => view! { <StaffMenu staff/> }.into_any(),
        None => view! {
            <nav aria-label="Menu principal">
                <ul class="nav-list">
                    <li><a href=format!("{base}/")>"Accueil"</a></li>
                    <li><a href=format!("{base}/plan")>"Plan d'actions"</a></li>
                    <li><a href=format!("{base}/resultats")>"Résultats"</a></li>
                </ul>
            </nav>
        }
        .into_any(),
    };
    let document_title = format!("{title} – Pouls");
    view! {
        <html lang="fr">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <title>{document_title}</title>
                <link rel="stylesheet" href=stylesheet_href()/>
                {refresh.map(|content| view! { <meta http-equiv="refresh" content=content/> })}
            </head>
            <body class=(!class.is_empty()).then_some(class)>
                {(!bare).then(|| view! {
                <a class="skip-link" href="#contenu">"Aller au contenu"</a>
                <header class="site-header">
                    <div class="wrap">
                        {brand(kiosk, territory.clone())}
                        {menu}
                    </div>
                </header>
                })}
                <main id="contenu" class="wrap" tabindex="-1">
                    <Breadcrumbs crumbs=breadcrumbs/>
                    {children()}
                </main>
                {(!bare).then(|| view! {
                <footer class="site-footer">
                    <div class="wrap">
                        <ul class="footer-links">
                            <li><a href="/accessibilite">"Accessibilité : non conforme"</a></li>
                            <li><a href="/confidentialite">"Vos données"</a></li>
                            {(!kiosk).then(|| view! {
                                <li><a href=format!("{base}/plan")>"Plan d'actions CTG 2026-2030"</a></li>
                                <li><a href="/admin">"Espace agents"</a></li>
                            })}
                        </ul>
                        <p>{footer_sentence}</p>
                    </div>
                </footer>
                })}
            </body>
        </html>
    }
}

/// The site's name, a link home except on a kiosk.
fn brand(kiosk: bool, territory: String) -> AnyView {
    let name = view! {
        <span class="brand-name">"Pouls"</span>
        {(!territory.is_empty()).then(|| view! { <span class="brand-territory">{territory}</span> })}
    };
    if kiosk {
        view! { <span class="brand">{name}</span> }.into_any()
    } else {
        view! { <a class="brand" href="/">{name}</a> }.into_any()
    }
}

#[component]
fn StaffMenu(staff: StaffNav) -> impl IntoView {
    let who = format!("{} ({})", staff.email, staff.role.label());
    let current = section_of(&staff.path);
    let items = STAFF_MENU
        .iter()
        .filter(|(_, _, role)| staff.role.allows(*role))
        .map(|(label, href, _)| {
            let here = current == Some(*href);
            view! { <li><a href=*href aria-current=here.then_some("page")>{*label}</a></li> }
        })
        .collect_view();
    let department = staff.department.then(|| {
        let here = staff.path == "/admin/departement";
        view! { <li><a href="/admin/departement" aria-current=here.then_some("page")>"Vue départementale"</a></li> }
    });
    view! {
        <nav aria-label="Menu de l'espace agents" class="staff-nav">
            <ul class="nav-list">{items}{department}</ul>
            <div class="who">
                <span>{who}</span>
                <TerritoryChoice current=staff.territory territories=staff.territories csrf_token=staff.csrf_token.clone()/>
                <form method="post" action="/deconnexion" class="inline-form">
                    <CsrfField token=staff.csrf_token/>
                    <button type="submit" class="link-button">"Se déconnecter"</button>
                </form>
            </div>
        </nav>
    }
}

/// The territory the staff pages work in; a menu to change it when there are several.
#[component]
fn TerritoryChoice(
    current: TerritoryId,
    territories: Vec<(TerritoryId, String)>,
    csrf_token: String,
) -> impl IntoView {
    let name = territories
        .iter()
        .find(|(id, _)| *id == current)
        .map(|(_, name)| name.clone())
        .unwrap_or_default();
    if territories.len() < 2 {
        return view! { <span>{name}</span> }.into_any();
    }
    let options = territories
        .into_iter()
        .map(|(id, name)| view! { <option value=id.to_string() selected={id == current}>{name}</option> })
        .collect_view();
    view! {
        <form method="post" action="/admin/territoire" class="inline-form territory-choice">
            <CsrfField token=csrf_token/>
            <label for="territoire-choisi">"Territoire"</label>
            <select id="territoire-choisi" name="territoire">{options}</select>
            <button type="submit" class="secondary">"Changer"</button>
        </form>
    }
    .into_any()
}

#[component]
fn Breadcrumbs(crumbs: Vec<Crumb>) -> impl IntoView {
    (!crumbs.is_empty()).then(|| {
        view! {
            <nav class="breadcrumbs" aria-label="Fil d'Ariane">
                <ol>
                    {crumbs
                        .into_iter()
                        .map(|crumb| match crumb.href {
                            Some(href) => view! { <li><a href=href>{crumb.label}</a></li> }.into_any(),
                            None => view! { <li aria-current="page">{crumb.label}</li> }.into_any(),
                        })
                        .collect_view()}
                </ol>
            </nav>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::section_of;

    #[test]
    fn pages_mark_their_section() {
        assert_eq!(section_of("/admin"), Some("/admin"));
        assert_eq!(section_of("/admin/besoins/12"), Some("/admin/besoins"));
        assert_eq!(
            section_of("/admin/enquetes/3/resultats"),
            Some("/admin/enquetes")
        );
        assert_eq!(
            section_of("/admin/points/4/saisie"),
            Some("/admin/enquetes")
        );
        assert_eq!(section_of("/admin/indicateurs/A14.1"), Some("/admin/plan"));
        assert_eq!(section_of("/admin/plan/actions/14"), Some("/admin/plan"));
        assert_eq!(section_of("/admin/exports"), Some("/admin/exports"));
        assert_eq!(section_of("/admin/mon-compte"), Some("/admin/mon-compte"));
        assert_eq!(section_of("/admin/comptesx"), None);
    }
}
