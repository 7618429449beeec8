//! QR codes and posters of collection points (the live screen is in `live`).

use crate::support::{PUBLIC_URL, TestApp};
use axum::http::StatusCode;

on_both_backends!(
    the_png_qr_code_decodes_to_the_public_url,
    the_svg_qr_code_is_served_and_inlined,
    the_poster_has_everything_to_print,
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
