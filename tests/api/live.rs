//! The live screen of an event (`/q/{code}/direct`): every point of the survey or those
//! chosen, options nobody chose left off, the QR code and short address on screen, "< 5"
//! for answers chosen by fewer than five, and figures that update themselves (a
//! same-origin script, or a reload asked for with `?auto=1`).

use crate::support::{Fixture, PUBLIC_URL, TestApp, valid_answers};
use axum::http::StatusCode;

on_both_backends!(
    the_live_screen_waits_for_five_answers_and_never_shows_text,
    the_live_screen_hides_answers_chosen_by_fewer_than_five,
    the_live_screen_counts_every_point_or_those_chosen,
    options_nobody_chose_are_left_off,
    the_live_screen_shows_its_qr_code_and_short_address,
    the_live_screen_updates_itself_with_a_same_origin_script,
);

/// The part of a live screen about the question `label`.
fn section(body: &str, label: &str) -> String {
    let (_, after) = body
        .split_once(&format!("<h2>{label}</h2>"))
        .or_else(|| body.split_once(&format!("<h2>{}</h2>", label.replace('\'', "&#x27;"))))
        .expect("the question is on screen");
    after
        .split("</section>")
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Five answers at the event point choosing "RPE", six at the kiosk choosing "Crèche".
async fn two_points(app: &TestApp, f: &Fixture) {
    for (code, choice, times) in [(&f.event, "O2", 5), (&f.kiosk, "O1", 6)] {
        let answers: Vec<(&str, &str)> = valid_answers()
            .into_iter()
            .map(|(q, v)| if q == "Q1" { (q, choice) } else { (q, v) })
            .collect();
        for _ in 0..times {
            assert_eq!(
                app.answer(code, &answers).await.status,
                StatusCode::SEE_OTHER
            );
        }
    }
}

async fn the_live_screen_counts_every_point_or_those_chosen(app: TestApp) {
    let f = app.fixture().await;
    two_points(&app, &f).await;
    let path = format!("/q/{}/direct", f.event);
    let all = app.get(&path).await.body;
    assert!(
        all.contains("<strong>11 réponses</strong>"),
        "every point: {all}"
    );
    assert!(all.contains("Réponses reçues : "));
    for point in ["Foire de printemps - stand RPE", "Tablette France Services"] {
        assert!(all.contains(point), "{point} named");
    }
    let q1 = section(&all, "Quel service utilisez-vous le plus ?");
    assert!(q1.contains(">Crèche<") && q1.contains(">RPE<"));
    assert!(q1.contains(">55 %</span>"), "6 of 11: {q1}");

    let event = app.get(&format!("{path}?points={}", f.event)).await.body;
    assert!(event.contains("<strong>5 réponses</strong>"), "{event}");
    let q1 = section(&event, "Quel service utilisez-vous le plus ?");
    assert!(
        q1.contains(">100 %</span>") && !q1.contains("Crèche"),
        "{q1}"
    );
    assert!(
        !event.contains("Tablette France Services"),
        "only the point chosen"
    );
    assert!(
        event.contains(&format!("href=\"{path}?points={}&amp;auto=1\"", f.event)),
        "links keep the points chosen"
    );

    let both = app
        .get(&format!("{path}?points={},{}", f.event, f.kiosk))
        .await
        .body;
    assert!(both.contains("<strong>11 réponses</strong>"));
    assert!(both.contains("Tablette France Services"));
    // Codes that are not this survey's points are left out; none at all means every point.
    let unknown = app
        .get(&format!("{path}?points={},zzzzzz", f.kiosk))
        .await
        .body;
    assert!(unknown.contains("<strong>6 réponses</strong>"), "{unknown}");
    let none = app.get(&format!("{path}?points=zzzzzz")).await.body;
    assert!(none.contains("<strong>11 réponses</strong>"));
}

async fn options_nobody_chose_are_left_off(app: TestApp) {
    let f = app.fixture().await;
    two_points(&app, &f).await;
    let body = app.get(&format!("/q/{}/direct", f.event)).await.body;
    let q1 = section(&body, "Quel service utilisez-vous le plus ?");
    assert!(!q1.contains("Accueil de loisirs"), "nobody chose it: {q1}");
    let q2 = section(&body, "Qu'est-ce qui vous manque ?");
    assert!(q2.contains(">Places en crèche<") && q2.contains(">Transport<"));
    assert!(
        !q2.contains("Horaires élargis") && !q2.contains("Information"),
        "{q2}"
    );
    let communes = section(&body, "Dans quelle commune habitez-vous ?");
    assert_eq!(
        communes.matches("<li>").count(),
        1,
        "Sergines only: {communes}"
    );
}

async fn the_live_screen_shows_its_qr_code_and_short_address(app: TestApp) {
    let f = app.fixture().await;
    let body = app.get(&format!("/q/{}/direct", f.event)).await.body;
    let url = format!("{PUBLIC_URL}/q/{}", f.event);
    let svg = pouls::qr::svg(&url, &format!("QR code vers {url}")).expect("a QR code");
    assert!(
        body.contains(&format!("<div class=\"live-qr\"><div>{svg}</div>")),
        "the QR code of the point's address, inline: {body}"
    );
    assert!(body.contains(&format!(
        "Répondez vous aussi : <strong>pouls.test/q/{}</strong>",
        f.event
    )));
}

async fn the_live_screen_updates_itself_with_a_same_origin_script(app: TestApp) {
    let f = app.fixture().await;
    let path = format!("/q/{}/direct", f.event);
    let screen = app.get(&path).await;
    let body = &screen.body;
    let script = body
        .split("<script src=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a script")
        .to_owned();
    assert!(script.starts_with("/style/direct-") && script.ends_with(".js"));
    assert_eq!(
        body.matches("<script").count(),
        1,
        "no inline script beside it"
    );
    let csp = screen.header("content-security-policy");
    assert!(csp.contains("default-src 'self'") && !csp.contains("unsafe-inline"));
    let file = app.get(&script).await;
    assert_eq!(file.status, StatusCode::OK);
    assert!(file.header("content-type").starts_with("text/javascript"));
    assert!(file.body.contains("setInterval") && file.body.contains("'chiffres'"));
    // What the script swaps in, and the way to stop it, ready in the page.
    assert!(body.contains("<div id=\"chiffres\" data-secondes=\"15\">"));
    assert!(
        body.contains("<p class=\"live-total\" id=\"total\">")
            || body.contains("<p id=\"total\" class=\"live-total\">")
    );
    assert!(body.contains(&format!(
        "<p id=\"mise-a-jour-en-cours\" hidden class=\"screen-only live-controls\">Les chiffres se mettent à jour toutes les 15 secondes. <a href=\"{path}?auto=0\">Arrêter la mise à jour automatique</a></p>"
    )));
    // Stopped: no reload, and the way to start again; the script stays off by itself.
    let stopped = app.get(&format!("{path}?auto=0")).await.body;
    assert!(!stopped.contains("http-equiv=\"refresh\""));
    assert!(stopped.contains(&format!("href=\"{path}?auto=1\"")));
    // Reloading without script: no script needed.
    let reloading = app.get(&format!("{path}?auto=1")).await.body;
    assert!(!reloading.contains("<script"));
}

async fn the_live_screen_waits_for_five_answers_and_never_shows_text(app: TestApp) {
    let f = app.fixture().await;
    assert_eq!(
        app.get(&format!("/q/{}/direct", f.online)).await.status,
        StatusCode::NOT_FOUND,
        "opt-in"
    );
    let path = format!("/q/{}/direct", f.event);
    let screen = app.get(&path).await;
    assert_eq!(screen.status, StatusCode::OK);
    // It reloads itself only when asked, and then offers to stop (RGAA 13.1).
    assert!(!screen.body.contains("http-equiv=\"refresh\""));
    assert!(screen.body.contains(&format!("href=\"{path}?auto=1\"")));
    let auto = app.get(&format!("{path}?auto=1")).await;
    assert_eq!(auto.status, StatusCode::OK);
    assert!(
        auto.body
            .contains("<meta http-equiv=\"refresh\" content=\"15\">")
    );
    assert!(auto.body.contains(&format!(
        "<a href=\"{path}?auto=0\">Arrêter la mise à jour automatique</a>"
    )));
    assert!(screen.body.contains("à partir de 5 réponses"));
    for _ in 0..4 {
        app.answer(&f.event, &valid_answers()).await;
    }
    assert!(app.get(&path).await.body.contains("à partir de 5 réponses"));
    app.answer(&f.event, &valid_answers()).await;
    let screen = app.get(&path).await;
    assert!(!screen.body.contains("à partir de 5 réponses"));
    assert!(
        screen
            .body
            .contains("<strong>5 réponses</strong> pour l&#x27;instant")
            || screen
                .body
                .contains("<strong>5 réponses</strong> pour l'instant")
    );
    assert!(
        screen.body.contains("class=\"live-bars\""),
        "{}",
        screen.body
    );
    assert!(screen.body.contains("Quel service utilisez-vous le plus ?"));
    assert!(
        !screen.body.contains("Le mercredi après-midi"),
        "never free text"
    );
    assert!(
        !screen.body.contains("Quel jour vous arrangerait"),
        "text questions are left out"
    );
}

async fn the_live_screen_hides_answers_chosen_by_fewer_than_five(app: TestApp) {
    let f = app.fixture().await;
    let path = format!("/q/{}/direct", f.event);
    // Five people choose the same service and say who they are; a sixth differs and keeps
    // to herself: her answers are the only "Crèche" and the only "non".
    let mut usual = valid_answers();
    usual.push(("Q9", "familles"));
    for _ in 0..5 {
        app.answer(&f.event, &usual).await;
    }
    let sixth: Vec<(&str, &str)> = valid_answers()
        .into_iter()
        .map(|(name, value)| match name {
            "Q1" => ("Q1", "O1"),
            "Q4" => ("Q4", "non"),
            _ => (name, value),
        })
        .filter(|(name, _)| *name != "Q5")
        .collect();
    assert_eq!(
        app.answer(&f.event, &sixth).await.status,
        StatusCode::SEE_OTHER
    );
    let body = app.get(&path).await.body;
    assert!(body.contains("<strong>6 réponses</strong>"), "{body}");
    // 1 of 6 would be 17 %: shown as "< 5", with an empty bar, and no share anywhere.
    assert!(!body.contains("17 %"), "{body}");
    assert!(body.contains("83 %"), "the other answers keep their share");
    assert!(
        body.matches("class=\"live-bar-value\">&lt; 5</span>")
            .count()
            >= 2,
        "Crèche and non: {body}"
    );
    assert!(body.contains("affichée « &lt; 5 »"));
    // Five answered the optional "who are you": its breakdown shows.
    assert!(
        section(&body, "Vous êtes…").contains(">100 %</span>"),
        "{body}"
    );
    // Nobody answered the age question: no breakdown at all, not even zeros.
    let age = section(&body, "Quel âge avez-vous ?");
    assert!(
        age.contains("Moins de 5 réponses à cette question"),
        "{age}"
    );
    assert!(!age.contains("live-bars"), "{age}");

    for _ in 0..4 {
        app.answer(&f.event, &sixth).await;
    }
    let body = app.get(&path).await.body;
    assert!(!body.contains("&lt; 5</span>"), "5 of each now: {body}");
    assert!(body.contains(">50 %</span>"));
}
