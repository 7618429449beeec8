//! QR codes, posters and the live screen of collection points.

use crate::support::{PUBLIC_URL, TestApp, valid_answers};
use axum::http::StatusCode;

on_both_backends!(
    the_png_qr_code_decodes_to_the_public_url,
    the_svg_qr_code_is_served_and_inlined,
    the_poster_has_everything_to_print,
    the_live_screen_waits_for_five_answers_and_never_shows_text,
    the_live_screen_hides_answers_chosen_by_fewer_than_five,
);

async fn the_png_qr_code_decodes_to_the_public_url(app: TestApp) {
    let f = app.fixture().await;
    let response = app.request(
        axum::http::Request::get(format!("/q/{}/qr.png", f.event))
            .body(axum::body::Body::empty())
            .expect("request"),
    );
    let response = response.await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.header("content-type"), "image/png");
    // The body went through a lossy UTF-8 conversion in TestResponse; fetch the bytes again.
    let bytes = app.bytes(&format!("/q/{}/qr.png", f.event)).await;
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).expect("a frame");
    assert!(info.width >= 1000, "print resolution: {} px", info.width);
    let (width, height) = (info.width as usize, info.height as usize);
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| pixels[y * width + x]);
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1);
    let (meta, content) = grids[0].decode().expect("decodes");
    assert_eq!(content, format!("{PUBLIC_URL}/q/{}", f.event));
    assert_eq!(meta.ecc_level, 0, "level M");
}

async fn the_svg_qr_code_is_served_and_inlined(app: TestApp) {
    let f = app.fixture().await;
    let svg = app.get(&format!("/q/{}/qr.svg", f.online)).await;
    assert_eq!(svg.status, StatusCode::OK);
    assert_eq!(svg.header("content-type"), "image/svg+xml");
    assert!(svg.body.starts_with("<svg"));
    assert!(
        svg.body
            .contains(&format!("QR code vers {PUBLIC_URL}/q/{}", f.online))
    );
}

async fn the_poster_has_everything_to_print(app: TestApp) {
    let f = app.fixture().await;
    let poster = app.get(&format!("/q/{}/affiche", f.event)).await;
    assert_eq!(poster.status, StatusCode::OK);
    let body = &poster.body;
    assert!(body.contains("<h1>Besoins des familles</h1>"));
    assert!(
        body.contains("Pour adapter l&#x27;accueil des jeunes enfants.")
            || body.contains("Pour adapter l'accueil des jeunes enfants.")
    );
    assert!(body.contains("class=\"poster-qr\"><svg"), "QR code inlined");
    assert!(
        body.contains(&format!("pouls.test/q/{}", f.event)),
        "short URL in text"
    );
    assert!(body.contains("Anonyme, 1 minute"));
    assert!(body.contains("Communauté de Communes Yonne Nord"));
    assert!(!body.contains("<nav"), "no navigation on a poster");
    assert!(!body.contains("<script"));
    // French typography: the title never breaks before its colon or question mark.
    app.sql("UPDATE survey SET title = 'Fête de la famille : votre avis compte', why = 'Et vous, qu''en pensez-vous ?'")
        .await;
    let poster = app.get(&format!("/q/{}/affiche", f.event)).await;
    assert!(
        poster
            .body
            .contains("<h1>Fête de la famille\u{a0}: votre avis compte</h1>"),
        "{}",
        poster.body
    );
    assert!(poster.body.contains("en pensez-vous\u{202f}?"));
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
        "<a href=\"{path}\">Arrêter la mise à jour automatique</a>"
    )));
    assert!(screen.body.contains("à partir de 5 réponses"));
    for _ in 0..4 {
        app.answer(&f.event, &valid_answers()).await;
    }
    assert!(app.get(&path).await.body.contains("à partir de 5 réponses"));
    app.answer(&f.event, &valid_answers()).await;
    let screen = app.get(&path).await;
    assert!(!screen.body.contains("à partir de 5 réponses"));
    assert!(screen.body.contains("5 réponses ici"));
    assert!(screen.body.contains("class=\"chart\""), "{}", screen.body);
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
    assert!(body.contains("6 réponses ici"), "{body}");
    // 1 of 6 would be 17 %: shown as "< 5", with an empty bar, and no share anywhere.
    assert!(!body.contains("17 %"), "{body}");
    assert!(body.contains("83 %"), "the other answers keep their share");
    assert!(
        body.matches("class=\"chart-value\">&lt; 5</text>").count() >= 2,
        "Crèche and non: {body}"
    );
    assert!(body.contains("affichée « &lt; 5 »"));
    // Five answered the optional "who are you": its breakdown shows.
    let section = |body: &str, label: &str| -> String {
        let (_, after) = body.split_once(label).expect("the question is on screen");
        after
            .split("</section>")
            .next()
            .unwrap_or_default()
            .to_owned()
    };
    assert!(
        section(&body, "Vous êtes…").contains(">100 %</text>"),
        "{body}"
    );
    // Nobody answered the age question: no breakdown at all, not even zeros.
    let age = section(&body, "Quel âge avez-vous ?");
    assert!(
        age.contains("Moins de 5 réponses à cette question"),
        "{age}"
    );
    assert!(!age.contains("class=\"chart\""), "{age}");

    for _ in 0..4 {
        app.answer(&f.event, &sixth).await;
    }
    let body = app.get(&path).await.body;
    assert!(!body.contains("&lt; 5</text>"), "5 of each now: {body}");
    assert!(body.contains(">50 %</text>"));
}
