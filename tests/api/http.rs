//! HTTP behaviour shared by every page: compression, caching headers, client addresses
//! behind a trusted proxy, and the Prometheus metrics.

use crate::support::{PUBLIC_URL, TestApp, TestDatabase, valid_answers};
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use pouls_app::ServerOptions;
use tower::ServiceExt;

async fn get_with(
    app: &TestApp,
    path: &str,
    headers: &[(&str, &str)],
) -> crate::support::TestResponse {
    let mut request = Request::get(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    app.request(request.body(Body::empty()).expect("valid request"))
        .await
}

async fn pages_and_the_stylesheet_are_compressed(app: TestApp) {
    let page = app.get("/plan").await;
    let plain = page.body.len();
    for encoding in ["br", "gzip"] {
        let response = get_with(&app, "/plan", &[("accept-encoding", encoding)]).await;
        assert_eq!(response.status, StatusCode::OK);
        assert_eq!(response.header("content-encoding"), encoding);
        assert!(response.header("vary").contains("accept-encoding"));
        let bytes = app
            .router
            .clone()
            .oneshot(
                Request::get("/plan")
                    .header("accept-encoding", encoding)
                    .body(Body::empty())
                    .expect("valid request"),
            )
            .await
            .expect("answers")
            .into_body();
        let compressed = http_body_util::BodyExt::collect(bytes)
            .await
            .expect("body")
            .to_bytes()
            .len();
        // Level 1 (fast, as pages are made per request): well under half the size.
        assert!(
            compressed * 5 < plain * 2,
            "{encoding}: {compressed} of {plain} bytes"
        );
    }
    let css = pouls_app::assets::stylesheet_href();
    let response = get_with(&app, css, &[("accept-encoding", "br")]).await;
    assert_eq!(response.header("content-encoding"), "br");
    assert_eq!(
        response.header("cache-control"),
        "public, max-age=31536000, immutable"
    );
    // Without Accept-Encoding, nothing changes.
    assert_eq!(app.get("/plan").await.header("content-encoding"), "");
}

async fn public_pages_revalidate_with_an_etag(app: TestApp) {
    let first = app.get("/plan/actions/14").await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(first.header("cache-control"), "no-cache");
    let etag = first.header("etag").to_owned();
    assert!(etag.starts_with("W/\""), "{etag}");
    let again = get_with(&app, "/plan/actions/14", &[("if-none-match", &etag)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    assert_eq!(again.header("etag"), etag);
    let other = app.get("/plan/actions/3").await;
    assert_ne!(other.header("etag"), etag);
    let stale = get_with(&app, "/plan/actions/3", &[("if-none-match", &etag)]).await;
    assert_eq!(stale.status, StatusCode::OK);
}

async fn forms_and_staff_pages_are_never_stored(app: TestApp) {
    let fixture = app.fixture().await;
    let form = app.get(&format!("/q/{}", fixture.online)).await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(form.header("cache-control"), "no-store");
    assert_eq!(form.header("etag"), "");
    let login = app.get("/connexion").await;
    assert_eq!(login.header("cache-control"), "no-store");
    let session = app.staff(pouls::domain::Role::Admin).await;
    let dashboard = app.get_as(&session, "/admin").await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert_eq!(dashboard.header("cache-control"), "no-store");
}

async fn behind_a_trusted_proxy_each_resident_has_their_own_limit(db: TestDatabase) {
    let options = ServerOptions {
        public_posts_per_minute: 2,
        trusted_proxies: vec!["192.0.2.1".parse().expect("an address")],
        ..ServerOptions::default()
    };
    let app = TestApp::start_with(db, PUBLIC_URL, options).await;
    let fixture = app.fixture().await;
    let path = format!("/q/{}", fixture.online);
    let online = &fixture.online;
    let submit = |proxy: [u8; 4], client: &'static str| {
        let app = &app;
        let path = path.clone();
        async move {
            let token = app.form_token(online);
            let mut fields = valid_answers();
            fields.push(("jeton", &token));
            app.post_from(proxy, &path, None, &fields, &[("x-forwarded-for", client)])
                .await
                .status
        }
    };
    let proxy = [192, 0, 2, 1];
    for _ in 0..2 {
        assert_eq!(submit(proxy, "198.51.100.1").await, StatusCode::SEE_OTHER);
    }
    assert_eq!(
        submit(proxy, "198.51.100.1").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Another resident behind the same proxy is not held back.
    assert_eq!(submit(proxy, "198.51.100.2").await, StatusCode::SEE_OTHER);
    // From any other peer, the header is ignored: it counts against the peer.
    let stranger = [203, 0, 113, 5];
    for client in ["198.51.100.3", "198.51.100.4"] {
        assert_eq!(submit(stranger, client).await, StatusCode::SEE_OTHER);
    }
    assert_eq!(
        submit(stranger, "198.51.100.5").await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

async fn metrics_count_requests_per_route_and_batch_sizes(app: TestApp) {
    let fixture = app.fixture().await;
    for _ in 0..3 {
        assert_eq!(
            app.answer(&fixture.online, &valid_answers()).await.status,
            StatusCode::SEE_OTHER
        );
    }
    app.get("/plan").await;
    let mut request = Request::get("/metrics")
        .body(Body::empty())
        .expect("valid request");
    request
        .extensions_mut()
        .insert(ConnectInfo(std::net::SocketAddr::from(([127, 0, 0, 1], 1))));
    let response = pouls_app::metrics::router(app.state.clone())
        .oneshot(request)
        .await
        .expect("answers");
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()[header::CONTENT_TYPE]
            .to_str()
            .expect("ascii")
            .starts_with("text/plain; version=0.0.4")
    );
    let body = http_body_util::BodyExt::collect(response.into_body())
        .await
        .expect("body")
        .to_bytes();
    let text = String::from_utf8_lossy(&body);
    assert!(
        text.contains(
            "pouls_http_requests_total{method=\"POST\",route=\"/q/{code}\",status=\"303\"} 3\n"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "pouls_http_requests_total{method=\"GET\",route=\"/plan\",status=\"200\"} 1\n"
        )
    );
    assert!(text.contains(
        "pouls_http_request_duration_seconds_count{method=\"POST\",route=\"/q/{code}\"} 3\n"
    ));
    assert!(
        text.contains("pouls_submission_batch_size_sum 3\n"),
        "{text}"
    );
    // The public address does not serve them.
    assert_eq!(app.get("/metrics").await.status, StatusCode::NOT_FOUND);
}

/// A streamed export compressed on the way: the whole file arrives, not a cut-off one.
async fn a_compressed_export_arrives_whole(app: TestApp) {
    let f = app.fixture().await;
    for _ in 0..3 {
        app.answer(&f.online, &valid_answers()).await;
    }
    let agent = app.staff(pouls::domain::Role::Agent).await;
    let path = format!(
        "/admin/enquetes/{}/export?format=wide&dialecte=standard",
        f.survey_id
    );
    let plain = app.get_as(&agent, &path).await;
    assert_eq!(plain.status, StatusCode::OK);
    assert_eq!(plain.body.lines().count(), 4, "{}", plain.body);
    let response = app
        .router
        .clone()
        .oneshot(
            Request::get(&path)
                .header(header::COOKIE, &agent.cookie)
                .header("accept-encoding", "gzip")
                .body(Body::empty())
                .expect("valid request"),
        )
        .await
        .expect("answers");
    assert_eq!(response.headers()["content-encoding"], "gzip");
    let compressed = http_body_util::BodyExt::collect(response.into_body())
        .await
        .expect("the whole body")
        .to_bytes();
    let mut text = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::GzDecoder::new(&compressed[..]),
        &mut text,
    )
    .expect("valid gzip");
    assert_eq!(text, plain.body);
}

/// Group commit: answers sent together share transactions, and each is acknowledged
/// only once stored.
async fn answers_sent_together_share_transactions(app: TestApp) {
    let f = app.fixture().await;
    let answers = valid_answers();
    let sent =
        futures_util::future::join_all((0..40).map(|_| app.answer(&f.online, &answers))).await;
    assert!(sent.iter().all(|r| r.status == StatusCode::SEE_OTHER));
    assert_eq!(app.count("SELECT COUNT(*) FROM response").await, 40);
    let batches = app.state.writer.batch_sizes();
    assert_eq!(batches.sum(), 40.0);
    assert!(
        batches.count() <= 4,
        "{} transactions for 40 answers",
        batches.count()
    );
}

on_both_backends!(
    pages_and_the_stylesheet_are_compressed,
    answers_sent_together_share_transactions,
    a_compressed_export_arrives_whole,
    public_pages_revalidate_with_an_etag,
    forms_and_staff_pages_are_never_stored,
    metrics_count_requests_per_route_and_batch_sizes,
);

mod proxy {
    #[tokio::test]
    async fn sqlite() {
        super::behind_a_trusted_proxy_each_resident_has_their_own_limit(
            super::TestDatabase::sqlite(),
        )
        .await;
    }

    #[tokio::test]
    #[ignore = "needs POULS_TEST_POSTGRES_URL"]
    async fn postgres() {
        let db = super::TestDatabase::postgres().await;
        super::behind_a_trusted_proxy_each_resident_has_their_own_limit(db).await;
    }
}
