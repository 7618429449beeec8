//! Account administration, "my account" and the audit log, as an admin uses them.

use crate::support::{PASSWORD, TestApp};
use axum::http::StatusCode;
use pouls::domain::Role;

on_both_backends!(
    an_admin_creates_an_agent_and_a_partenaire_who_see_only_their_part,
    account_creation_explains_each_mistake_and_writes_nothing,
    role_changes_deactivation_and_password_resets_take_effect,
    the_last_admin_cannot_be_demoted_or_deactivated,
    account_changes_ask_for_the_admins_own_password_again,
    staff_change_their_own_password_after_reentering_it,
    the_audit_log_records_and_filters_without_secrets,
);

async fn an_admin_creates_an_agent_and_a_partenaire_who_see_only_their_part(app: TestApp) {
    let admin = app.staff(Role::Admin).await;
    for (email, role) in [
        ("agent@ccyn.fr", "agent"),
        ("elu@mairie-sergines.fr", "partenaire"),
    ] {
        let response = app
            .post(
                "/admin/comptes",
                Some(&admin),
                &[
                    ("email", email),
                    ("role", role),
                    ("password", "une phrase assez longue"),
                ],
            )
            .await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
        let page = app.get_as(&admin, response.header("location")).await;
        assert!(page.body.contains("Le compte a été créé."));
    }
    let list = app.get_as(&admin, "/admin/comptes").await;
    assert!(list.body.contains("agent@ccyn.fr"));
    assert!(list.body.contains("elu@mairie-sergines.fr"));
    assert!(list.body.contains("<td>Partenaire</td>"));

    let agent = app.login("agent@ccyn.fr", "une phrase assez longue").await;
    let dashboard = app.get_as(&agent, "/admin").await;
    assert!(
        !dashboard.body.contains("href=\"/admin/comptes\""),
        "no accounts link for agents"
    );
    assert_eq!(
        app.get_as(&agent, "/admin/comptes").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get_as(&agent, "/admin/journal").await.status,
        StatusCode::FORBIDDEN
    );

    let partenaire = app
        .login("elu@mairie-sergines.fr", "une phrase assez longue")
        .await;
    assert_eq!(
        app.get_as(&partenaire, "/admin").await.status,
        StatusCode::OK
    );
    let refused = app.get_as(&partenaire, "/admin/comptes").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("Accès refusé"));
    assert_eq!(
        app.get_as(&partenaire, "/admin/mon-compte").await.status,
        StatusCode::OK
    );
}

async fn account_creation_explains_each_mistake_and_writes_nothing(app: TestApp) {
    let admin = app.staff(Role::Admin).await;
    app.create_user("deja@ccyn.fr", Role::Agent).await;
    let before = app.count("SELECT COUNT(*) FROM staff_user").await;
    for (email, role, password, message) in [
        (
            "pas-une-adresse",
            "agent",
            "une phrase assez longue",
            "Saisissez une adresse électronique valide",
        ),
        (
            "nouveau@ccyn.fr",
            "agent",
            "court",
            "au moins 12 caractères",
        ),
        ("nouveau@ccyn.fr", "agent", "azertyuiop123", "trop courant"),
        (
            "nouveau@ccyn.fr",
            "agent",
            "Sergines-Pouls-2026",
            "noms liés à la plateforme ou au territoire",
        ),
        (
            "nouveau@ccyn.fr",
            "agent",
            "4rfv5tgb6yhn",
            "touches voisines du clavier",
        ),
        (
            "nouveau@ccyn.fr",
            "chef",
            "une phrase assez longue",
            "Choisissez un rôle",
        ),
        (
            "Deja@CCYN.fr",
            "agent",
            "une phrase assez longue",
            "Un compte existe déjà",
        ),
    ] {
        let response = app
            .post(
                "/admin/comptes",
                Some(&admin),
                &[("email", email), ("role", role), ("password", password)],
            )
            .await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{email} {password}"
        );
        assert!(response.body.contains(message), "{message}");
        assert!(
            response
                .body
                .contains("<title>Erreur : Comptes – Pouls</title>")
        );
        assert!(response.body.contains("class=\"error-summary\""));
        assert!(response.body.contains("aria-invalid=\"true\""));
        assert!(
            response.body.contains(&format!("value=\"{email}\"")),
            "typed email kept"
        );
        assert!(
            !response.body.contains(password) || password == "court",
            "password not echoed"
        );
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM staff_user").await, before);
}

async fn role_changes_deactivation_and_password_resets_take_effect(app: TestApp) {
    let admin = app.staff(Role::Admin).await;
    let id = app.create_user("agent@ccyn.fr", Role::Agent).await;
    let base = format!("/admin/comptes/{id}");

    let agent = app.login("agent@ccyn.fr", PASSWORD).await;
    app.post(
        &format!("{base}/role"),
        Some(&admin),
        &[("role", "partenaire"), ("confirm_role", PASSWORD)],
    )
    .await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM staff_membership WHERE user_id = {id} AND role = 'partenaire'"
        ))
        .await,
        1
    );
    assert!(
        app.get_as(&agent, "/admin")
            .await
            .body
            .contains("(Partenaire)"),
        "takes effect at once"
    );

    let response = app
        .post(
            &format!("{base}/etat"),
            Some(&admin),
            &[("active", "0"), ("confirm_state", PASSWORD)],
        )
        .await;
    assert_eq!(
        response.header("location"),
        format!("{base}?fait=desactive")
    );
    assert_eq!(
        app.get_as(&agent, "/admin").await.status,
        StatusCode::SEE_OTHER,
        "sessions ended"
    );
    let refused = app
        .post(
            "/connexion",
            None,
            &[("email", "agent@ccyn.fr"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    app.post(
        &format!("{base}/etat"),
        Some(&admin),
        &[("active", "1"), ("confirm_state", PASSWORD)],
    )
    .await;
    let agent = app.login("agent@ccyn.fr", PASSWORD).await;

    let short = app
        .post(
            &format!("{base}/mot-de-passe"),
            Some(&admin),
            &[("password", "trop court"), ("confirm_reset", PASSWORD)],
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.body.contains("au moins 12 caractères"));
    let reset = app
        .post(
            &format!("{base}/mot-de-passe"),
            Some(&admin),
            &[
                ("password", "nouvelle phrase provisoire"),
                ("confirm_reset", PASSWORD),
            ],
        )
        .await;
    assert_eq!(reset.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get_as(&agent, "/admin").await.status,
        StatusCode::SEE_OTHER
    );
    let old = app
        .post(
            "/connexion",
            None,
            &[("email", "agent@ccyn.fr"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(old.status, StatusCode::UNPROCESSABLE_ENTITY);
    app.login("agent@ccyn.fr", "nouvelle phrase provisoire")
        .await;
    assert_eq!(
        app.get_as(&admin, "/admin/comptes/999999").await.status,
        StatusCode::NOT_FOUND
    );
}

async fn the_last_admin_cannot_be_demoted_or_deactivated(app: TestApp) {
    let id = app.create_user("seul@ccyn.fr", Role::Admin).await;
    let admin = app.login("seul@ccyn.fr", PASSWORD).await;
    for (path, fields) in [
        ("role", [("role", "agent"), ("confirm_role", PASSWORD)]),
        ("etat", [("active", "0"), ("confirm_state", PASSWORD)]),
    ] {
        let response = app
            .post(
                &format!("/admin/comptes/{id}/{path}"),
                Some(&admin),
                &fields,
            )
            .await;
        assert_eq!(response.status, StatusCode::CONFLICT, "{path}");
        assert!(response.body.contains("au moins un administrateur actif"));
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM staff_user u JOIN staff_membership m ON m.user_id = u.id WHERE m.role = 'admin' AND u.active")
            .await,
        1
    );
    // With a second admin, the first may step down.
    app.create_user("autre@ccyn.fr", Role::Admin).await;
    let response = app
        .post(
            &format!("/admin/comptes/{id}/role"),
            Some(&admin),
            &[("role", "agent"), ("confirm_role", PASSWORD)],
        )
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
}

/// One form of an account's page: its path, its own fields and its password field.
type AccountForm = (
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static str,
);

/// The error shown next to `field`, if any.
fn error_next_to(body: &str, field: &str) -> Option<String> {
    let start = format!("id=\"champ-{field}-erreur\"");
    let after = body.split(&start).nth(1)?;
    after.split("</p>").next().map(str::to_owned)
}

async fn account_changes_ask_for_the_admins_own_password_again(app: TestApp) {
    let admin = app.staff(Role::Admin).await;
    let id = app.create_user("agent@ccyn.fr", Role::Agent).await;
    let agent = app.login("agent@ccyn.fr", PASSWORD).await;
    let base = format!("/admin/comptes/{id}");
    let page = app.get_as(&admin, &base).await;
    let forms: [AccountForm; 4] = [
        ("role", &[("role", "partenaire")], "confirm_role"),
        ("etat", &[("active", "0")], "confirm_state"),
        (
            "mot-de-passe",
            &[("password", "nouvelle phrase provisoire")],
            "confirm_reset",
        ),
        ("sessions", &[], "confirm_sessions"),
    ];
    for (_, _, confirm) in forms {
        assert!(
            page.body.contains(&format!(
                "<label for=\"champ-{confirm}\">Votre mot de passe</label>"
            )),
            "{confirm}"
        );
    }

    let post = async |path: &str, fields: &[(&str, &str)], confirm: &str, typed: &str| {
        let mut all = fields.to_vec();
        all.push((confirm, typed));
        app.post(&format!("{base}/{path}"), Some(&admin), &all)
            .await
    };
    let wrong = "pas mon mot de passe";
    for (attempt, (path, fields, confirm)) in forms.into_iter().enumerate() {
        let empty = post(path, fields, confirm, "").await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        let message = error_next_to(&empty.body, confirm).expect("an error next to the field");
        assert!(
            message.contains("Saisissez votre mot de passe pour confirmer."),
            "{message}"
        );

        let refused = post(path, fields, confirm, wrong).await;
        let message = error_next_to(&refused.body, confirm).expect("an error next to the field");
        assert!(message.contains("Rien n'a été modifié."), "{message}");
        assert!(refused.body.contains("class=\"error-summary\""));
        assert!(!refused.body.contains(wrong), "never echoed");
        if attempt < 3 {
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
            assert!(
                message.contains("Votre mot de passe est incorrect."),
                "{message}"
            );
        } else {
            // The admin's password is guessed like a login: after three misses, wait.
            assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS, "{path}");
            assert!(message.contains("attendez jusqu'à "), "{message}");
        }
        if path == "role" {
            assert!(
                refused
                    .body
                    .contains("<option value=\"partenaire\" selected"),
                "the role chosen is kept"
            );
        }
    }

    // Nothing changed: role, state, password, sessions.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM staff_user u JOIN staff_membership m ON m.user_id = u.id WHERE u.id = {id} AND m.role = 'agent' AND u.active"
        ))
        .await,
        1
    );
    assert_eq!(app.get_as(&agent, "/admin").await.status, StatusCode::OK);
    app.login("agent@ccyn.fr", PASSWORD).await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_event WHERE action = 'reauth_failed' AND object_id = '{id}'"
        ))
        .await,
        3,
        "each wrong password checked is audited"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_event WHERE action = 'user_role_changed'")
            .await,
        0
    );

    // Once the wait is over, the right password confirms the change.
    app.sql("UPDATE login_throttle SET next_at = 0").await;
    let done = post("role", &[("role", "partenaire")], "confirm_role", PASSWORD).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM staff_membership WHERE user_id = {id} AND role = 'partenaire'"
        ))
        .await,
        1
    );
}

async fn staff_change_their_own_password_after_reentering_it(app: TestApp) {
    app.create_user("agent@ccyn.fr", Role::Agent).await;
    let here = app.login("agent@ccyn.fr", PASSWORD).await;
    let elsewhere = app.login("agent@ccyn.fr", PASSWORD).await;
    let path = "/admin/mon-compte/mot-de-passe";
    let wrong = app
        .post(
            path,
            Some(&here),
            &[
                ("current", "pas le bon"),
                ("new", "ma nouvelle phrase"),
                ("confirm", "ma nouvelle phrase"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("Le mot de passe actuel est incorrect."));
    let mismatch = app
        .post(
            path,
            Some(&here),
            &[
                ("current", PASSWORD),
                ("new", "ma nouvelle phrase"),
                ("confirm", "ma nouvelle phrasE"),
            ],
        )
        .await;
    assert!(
        mismatch
            .body
            .contains("Les deux saisies du nouveau mot de passe sont différentes.")
    );
    let done = app
        .post(
            path,
            Some(&here),
            &[
                ("current", PASSWORD),
                ("new", "ma nouvelle phrase"),
                ("confirm", "ma nouvelle phrase"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert!(
        app.get_as(&here, "/admin/mon-compte?modifie=1")
            .await
            .body
            .contains("Votre mot de passe a été modifié.")
    );
    assert_eq!(
        app.get_as(&elsewhere, "/admin").await.status,
        StatusCode::SEE_OTHER,
        "other sessions end"
    );
    app.login("agent@ccyn.fr", "ma nouvelle phrase").await;
}

async fn the_audit_log_records_and_filters_without_secrets(app: TestApp) {
    let admin = app.staff(Role::Admin).await;
    app.post(
        "/admin/comptes",
        Some(&admin),
        &[
            ("email", "agent@ccyn.fr"),
            ("role", "agent"),
            ("password", "une phrase assez longue"),
        ],
    )
    .await;
    app.post(
        "/connexion",
        None,
        &[
            ("email", "agent@ccyn.fr"),
            ("password", "mauvais essai ici"),
        ],
    )
    .await;
    let agent = app.login("agent@ccyn.fr", "une phrase assez longue").await;
    app.post("/deconnexion", Some(&agent), &[]).await;

    for action in ["user_created", "login", "login_failed", "logout"] {
        assert!(
            app.count(&format!(
                "SELECT COUNT(*) FROM audit_event WHERE action = '{action}'"
            ))
            .await
                >= 1,
            "{action} recorded"
        );
    }
    let journal = app.get_as(&admin, "/admin/journal").await;
    assert_eq!(journal.status, StatusCode::OK);
    for label in [
        "Création de compte",
        "Connexion",
        "Échec de connexion",
        "Déconnexion",
    ] {
        assert!(
            journal.body.contains(&format!("<td>{label}</td>")),
            "{label}"
        );
    }
    let filtered = app
        .get_as(&admin, "/admin/journal?action=login_failed")
        .await;
    assert!(filtered.body.contains("<td>Échec de connexion</td>"));
    assert!(!filtered.body.contains("<td>Création de compte</td>"));
    let by_actor = app
        .get_as(&admin, "/admin/journal?acteur=agent%40ccyn")
        .await;
    assert!(by_actor.body.contains("<td>Déconnexion</td>"));
    assert!(
        !by_actor.body.contains("<td>Création de compte</td>"),
        "created by the admin"
    );
    let bad_date = app.get_as(&admin, "/admin/journal?du=hier").await;
    assert!(bad_date.body.contains("Date attendue"));

    let secrets = [
        "une phrase assez longue",
        "mauvais essai ici",
        "argon2",
        &agent.csrf,
    ];
    for secret in secrets {
        let pattern = secret.replace('\'', "''");
        assert_eq!(
            app.count(&format!("SELECT COUNT(*) FROM audit_event WHERE detail LIKE '%{pattern}%' OR COALESCE(object_id, '') LIKE '%{pattern}%' OR actor LIKE '%{pattern}%'")).await,
            0,
            "{secret} in the audit log"
        );
    }
}
