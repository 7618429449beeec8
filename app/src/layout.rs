//! The page frame shared by every public page: head, header, breadcrumbs, footer.

use leptos::prelude::*;
use pouls::domain::Role;

use crate::assets::stylesheet_href;
use crate::forms::CsrfField;

/// What the header shows to a logged-in staff member.
#[derive(Debug, Clone)]
pub(crate) struct StaffNav {
    pub email: String,
    pub role: Role,
    pub csrf_token: String,
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
    children: Children,
) -> impl IntoView {
    let menu = match staff {
        _ if kiosk => ().into_any(),
        Some(staff) => view! { <StaffMenu staff/> }.into_any(),
        None => view! {
            <nav aria-label="Menu principal">
                <ul class="nav-list">
                    <li><a href="/">"Accueil"</a></li>
                    <li><a href="/plan">"Plan d'actions"</a></li>
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
                        {brand(kiosk)}
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
                                <li><a href="/plan">"Plan d'actions CTG 2026-2030"</a></li>
                                <li><a href="/admin">"Espace agents"</a></li>
                            })}
                        </ul>
                        <p>"Pouls, l'outil de participation et d'observation des besoins de la Communauté de Communes Yonne Nord, avec la CAF de l'Yonne."</p>
                    </div>
                </footer>
                })}
            </body>
        </html>
    }
}

/// The site's name, a link home except on a kiosk.
fn brand(kiosk: bool) -> AnyView {
    let name = view! {
        <span class="brand-name">"Pouls"</span>
        <span class="brand-territory">"Communauté de Communes Yonne Nord"</span>
    };
    if kiosk {
        view! { <span class="brand">{name}</span> }.into_any()
    } else {
        view! { <a class="brand" href="/">{name}</a> }.into_any()
    }
}

#[component]
fn StaffMenu(staff: StaffNav) -> impl IntoView {
    let is_admin = staff.role == Role::Admin;
    let who = format!("{} ({})", staff.email, staff.role.label());
    view! {
        <nav aria-label="Menu de l'espace agents">
            <ul class="nav-list">
                <li><a href="/admin">"Tableau de bord"</a></li>
                <li><a href="/admin/enquetes">"Enquêtes"</a></li>
                {is_admin.then(|| view! {
                    <li><a href="/admin/comptes">"Comptes"</a></li>
                    <li><a href="/admin/journal">"Journal"</a></li>
                })}
                <li><a href="/admin/mon-compte">"Mon compte"</a></li>
                <li>
                    <form method="post" action="/deconnexion" class="inline-form">
                        <CsrfField token=staff.csrf_token/>
                        <button type="submit" class="link-button">"Se déconnecter"</button>
                    </form>
                </li>
            </ul>
            <p class="who">{who}</p>
        </nav>
    }
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
