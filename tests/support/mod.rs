//! Support for the API tests: the whole router driven in-process on a fresh database
//! ([`TestDatabase`]), staff sessions, a survey fixture and residents' answers.

#![allow(
    dead_code,
    reason = "each test file uses a different part of this module"
)]

use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use pouls::audit::Actor;
use pouls::domain::{Email, NewPassword, Role};
use pouls::staff::{CreateAccount, NewAccount};
use pouls::storage::{Storage, TerritoryStorage};
use pouls::territory::{InstanceRole, Membership};
use pouls_app::{AppState, ServerOptions, SiteConfig};
use tower::ServiceExt;

pub mod crawl;
mod database;

pub use database::TestDatabase;

pub const PUBLIC_URL: &str = "http://pouls.test";

/// Declares each listed `async fn name(app: TestApp)` as two tests, `sqlite::name` and
/// `postgres::name`. The PostgreSQL ones are ignored unless asked for
/// (`cargo test -- --include-ignored`, with `POULS_TEST_POSTGRES_URL` set), so a run on
/// SQLite alone reports them as ignored rather than passed; `.ci/run` asks for them.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let db = $crate::support::TestDatabase::sqlite();
                    super::$name($crate::support::TestApp::start(db).await).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                #[ignore = "needs POULS_TEST_POSTGRES_URL"]
                async fn $name() {
                    let db = $crate::support::TestDatabase::postgres().await;
                    super::$name($crate::support::TestApp::start(db).await).await;
                }
            )*
        }
    };
}

/// The application on a fresh, migrated database holding the CTG plan.
pub struct TestApp {
    pub router: Router,
    pub storage: Storage,
    /// The storage of the database's only territory (the CCYN's plan).
    pub territory: TerritoryStorage,
    pub state: AppState,
    pub db: TestDatabase,
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl TestResponse {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

/// A logged-in staff member: the session cookie and the CSRF token of their pages.
#[derive(Debug, Clone)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

pub const PASSWORD: &str = "velo rouge sous la pluie";

impl TestApp {
    /// A survey as stored, with its questions.
    pub async fn definition(&self, survey_id: i64) -> pouls::survey::SurveyDefinition {
        self.territory
            .survey_definition(survey_id)
            .await
            .expect("load")
            .expect("survey")
    }

    /// Stores `count` copies of [`valid_answers`] at each `(point code, Unix time)` given,
    /// straight through the storage (as an import does), without HTTP.
    pub async fn store_valid_answers(&self, survey_id: i64, batches: &[(&str, i64, u32)]) -> u64 {
        let definition = self.definition(survey_id).await;
        let values = pouls::survey::FormValues::from_pairs(
            valid_answers()
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned())),
        );
        let answers = pouls::survey::validate_submission(&definition, &values).expect("valid");
        let mut stored = 0;
        for (n, (code, at, count)) in batches.iter().enumerate() {
            let parsed = pouls::survey::CollectionCode::parse(code).expect("code");
            let point = self
                .storage
                .point_by_code(&parsed)
                .await
                .expect("load")
                .expect("point");
            let batch: Vec<_> = (0..*count)
                .map(|i| (format!("{code}-{n}-{i}"), *at, answers.clone()))
                .collect();
            stored += self
                .storage
                .insert_responses(&definition, &point, &batch)
                .await
                .expect("stored");
        }
        stored
    }

    pub async fn start(db: TestDatabase) -> Self {
        Self::start_at(db, PUBLIC_URL).await
    }

    /// The application as served at `public_url` (https turns on secure cookies).
    pub async fn start_at(db: TestDatabase, public_url: &str) -> Self {
        Self::start_with(db, public_url, ServerOptions::default()).await
    }

    /// The application with non-default server options.
    pub async fn start_with(db: TestDatabase, public_url: &str, options: ServerOptions) -> Self {
        let storage = pouls_server::prepare_storage(&db.url)
            .await
            .expect("the test database opens and migrates");
        let state = AppState::with_options(storage.clone(), SiteConfig::new(public_url), options);
        let territory = storage
            .in_default_territory()
            .await
            .expect("the plan made a territory");
        Self {
            router: pouls_server::build_router(state.clone()),
            storage,
            territory,
            state,
            db,
        }
    }

    pub async fn request(&self, request: Request<Body>) -> TestResponse {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router always answers");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("a readable body")
            .to_bytes();
        TestResponse {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        let request = Request::get(path)
            .body(Body::empty())
            .expect("valid request");
        self.request(request).await
    }

    /// The raw body of a GET (for images).
    pub async fn bytes(&self, path: &str) -> Vec<u8> {
        let request = Request::get(path)
            .body(Body::empty())
            .expect("valid request");
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router always answers");
        response
            .into_body()
            .collect()
            .await
            .expect("a readable body")
            .to_bytes()
            .to_vec()
    }

    pub async fn get_as(&self, session: &Session, path: &str) -> TestResponse {
        let request = Request::get(path)
            .header(header::COOKIE, &session.cookie)
            .body(Body::empty())
            .expect("valid request");
        self.request(request).await
    }

    /// POSTs a url-encoded form, as `session` (with its CSRF token added) or anonymously.
    pub async fn post(
        &self,
        path: &str,
        session: Option<&Session>,
        fields: &[(&str, &str)],
    ) -> TestResponse {
        let mut fields: Vec<(&str, &str)> = fields.to_vec();
        if let Some(session) = session {
            fields.push(("csrf", &session.csrf));
        }
        self.post_raw(path, session.map(|s| s.cookie.as_str()), &fields, &[])
            .await
    }

    /// POSTs exactly these fields and headers (for CSRF and origin tests).
    pub async fn post_raw(
        &self,
        path: &str,
        cookie: Option<&str>,
        fields: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> TestResponse {
        self.post_from([192, 0, 2, 1], path, cookie, fields, headers)
            .await
    }

    /// POSTs as if from the client address `ip`.
    pub async fn post_from(
        &self,
        ip: [u8; 4],
        path: &str,
        cookie: Option<&str>,
        fields: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> TestResponse {
        let mut request =
            Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let mut request = request
            .body(Body::from(encode_form(fields)))
            .expect("valid request");
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from((ip, 40000))));
        self.request(request).await
    }

    /// Creates an account directly in storage, with `role` in the default territory.
    pub async fn create_user(&self, email: &str, role: Role) -> i64 {
        let membership = Membership {
            territory: self.territory.id(),
            role,
        };
        self.create_account(email, &[membership], None).await
    }

    /// Creates an account with these memberships and instance role.
    pub async fn create_account(
        &self,
        email: &str,
        memberships: &[Membership],
        instance_role: Option<InstanceRole>,
    ) -> i64 {
        let email = Email::parse(email).expect("valid email");
        let password = NewPassword::parse(PASSWORD, None).expect("valid password");
        let hash = pouls::auth::hash_password(password).await.expect("hash");
        let account = NewAccount {
            email: &email,
            password_hash: &hash,
            memberships,
            instance_role,
        };
        match self
            .storage
            .create_account(&account, &Actor::CommandLine)
            .await
            .expect("create account")
        {
            CreateAccount::Created(user) => user.id,
            CreateAccount::EmailTaken => panic!("{email} already exists"),
        }
    }

    /// Logs in through the login form and reads the CSRF token from the dashboard.
    pub async fn login(&self, email: &str, password: &str) -> Session {
        let response = self
            .post(
                "/connexion",
                None,
                &[("email", email), ("password", password)],
            )
            .await;
        assert_eq!(
            response.status,
            StatusCode::SEE_OTHER,
            "login of {email}: {}",
            response.body
        );
        let cookie = response
            .header("set-cookie")
            .split(';')
            .next()
            .expect("a session cookie")
            .to_owned();
        let without_token = Session {
            cookie: cookie.clone(),
            csrf: String::new(),
        };
        let dashboard = self.get_as(&without_token, "/admin").await;
        let csrf = dashboard
            .body
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("a CSRF token in the page")
            .to_owned();
        Session { cookie, csrf }
    }

    /// An account of this role, logged in.
    pub async fn staff(&self, role: Role) -> Session {
        let email = format!("{}-{:x}@ccyn.fr", role.as_str(), rand::random::<u32>());
        self.create_user(&email, role).await;
        self.login(&email, PASSWORD).await
    }

    /// Runs a statement directly on the test database (to move times back, for example).
    pub async fn sql(&self, statement: &str) {
        self.db.execute(statement).await;
    }

    /// One integer from the test database.
    pub async fn count(&self, query: &str) -> i64 {
        self.db.scalar(query).await
    }
}

/// The `jeton` field of a form page.
pub fn jeton(body: &str) -> Option<String> {
    body.split("name=\"jeton\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(str::to_owned)
}

/// What the database keeps of a form token: its random part.
pub fn nonce(token: &str) -> &str {
    token.split('.').next().unwrap_or_default()
}

fn encode_form(fields: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
}

/// A survey with one question of each kind, open, and three collection points.
pub struct Fixture {
    pub survey_id: i64,
    /// The online point created with the survey.
    pub online: String,
    /// An event point with the live screen on.
    pub event: String,
    pub kiosk: String,
    pub admin: Actor,
}

/// Answers to the fixture that pass validation.
pub fn valid_answers() -> Vec<(&'static str, &'static str)> {
    vec![
        ("Q1", "O2"),
        ("Q2", "O1"),
        ("Q2", "O3"),
        ("Q3", "4"),
        ("Q4", "oui"),
        ("Q5", "Le mercredi après-midi"),
        ("Q6", "2"),
        ("Q8", "sergines"),
    ]
}

impl TestApp {
    pub async fn fixture(&self) -> Fixture {
        use pouls::survey::{
            PointDraft, PointInput, QuestionDraft, QuestionInput, SurveyDraft, SurveyInput,
            SurveyStatus,
        };
        let themes = ["petite-enfance", "parentalite", "jeunesse"];
        let admin_id = self.create_user("fixture-admin@ccyn.fr", Role::Admin).await;
        let admin = Actor::Staff {
            id: admin_id,
            email: "fixture-admin@ccyn.fr".into(),
        };
        let draft = SurveyDraft::parse(
            &SurveyInput {
                title: "Besoins des familles".into(),
                intro: "Quelques questions sur vos besoins. Merci !".into(),
                why: "Pour adapter l'accueil des jeunes enfants.".into(),
                actions: vec!["14".into(), "15".into()],
                themes: vec!["petite-enfance".into()],
                opens_on: "2026-01-01".into(),
                closes_on: "2030-12-31".into(),
                retention_until: String::new(),
            },
            &themes,
        )
        .expect("valid survey");
        let survey_id = self
            .territory
            .create_survey(&draft, &admin)
            .await
            .expect("survey");
        let questions: Vec<QuestionInput> = vec![
            QuestionInput {
                kind: "single".into(),
                label: "Quel service utilisez-vous le plus ?".into(),
                required: true,
                theme: "petite-enfance".into(),
                new_options: "Crèche\nRPE\nAccueil de loisirs".into(),
                ..QuestionInput::default()
            },
            QuestionInput {
                kind: "multiple".into(),
                label: "Qu'est-ce qui vous manque ?".into(),
                required: true,
                max_choices: "2".into(),
                new_options: "Places en crèche\nHoraires élargis\nTransport\nInformation".into(),
                ..QuestionInput::default()
            },
            QuestionInput {
                kind: "scale".into(),
                label: "Êtes-vous satisfait de l'offre ?".into(),
                required: true,
                scale_min_label: "Pas du tout".into(),
                scale_max_label: "Tout à fait".into(),
                ..QuestionInput::default()
            },
            QuestionInput {
                kind: "yes_no".into(),
                label: "Avez-vous un enfant de moins de 3 ans ?".into(),
                required: true,
                ..QuestionInput::default()
            },
            QuestionInput {
                kind: "short_text".into(),
                label: "Quel jour vous arrangerait ?".into(),
                required: true,
                condition: "Q4=oui".into(),
                ..QuestionInput::default()
            },
            QuestionInput {
                kind: "number".into(),
                label: "Combien d'enfants avez-vous ?".into(),
                required: true,
                min_value: "0".into(),
                max_value: "20".into(),
                ..QuestionInput::default()
            },
            QuestionInput {
                kind: "long_text".into(),
                label: "Autre chose à nous dire ?".into(),
                required: false,
                ..QuestionInput::default()
            },
            QuestionInput {
                kind: "commune".into(),
                label: "Dans quelle commune habitez-vous ?".into(),
                required: true,
                ..QuestionInput::default()
            },
            QuestionInput {
                kind: "public".into(),
                label: "Vous êtes…".into(),
                required: false,
                ..QuestionInput::default()
            },
            QuestionInput {
                kind: "age".into(),
                label: "Quel âge avez-vous ?".into(),
                required: false,
                ..QuestionInput::default()
            },
        ];
        for input in questions {
            let definition = self
                .territory
                .survey_definition(survey_id)
                .await
                .expect("load")
                .expect("survey");
            let draft = QuestionDraft::parse(&input, &definition.questions, &themes)
                .expect("valid question");
            self.territory
                .add_question(survey_id, &draft, &admin)
                .await
                .expect("add")
                .expect("survey");
        }
        let point = |label: &str, kind: &str, live: bool| PointInput {
            label: label.into(),
            kind: kind.into(),
            commune: "michery".into(),
            live_screen: live,
            ..PointInput::default()
        };
        let communes = ["michery"];
        let event = PointDraft::parse(
            &point("Foire de printemps - stand RPE", "evenement", true),
            &communes,
        )
        .expect("point");
        let kiosk = PointDraft::parse(
            &point("Tablette France Services", "kiosque", false),
            &communes,
        )
        .expect("point");
        let event = self
            .territory
            .create_point(survey_id, &event, &admin)
            .await
            .expect("point");
        let kiosk = self
            .territory
            .create_point(survey_id, &kiosk, &admin)
            .await
            .expect("point");
        let online = self.territory.points(survey_id).await.expect("points")[0]
            .code
            .to_string();
        self.territory
            .set_survey_status(survey_id, SurveyStatus::Open, &admin)
            .await
            .expect("open");
        Fixture {
            survey_id,
            online,
            event: event.to_string(),
            kiosk: kiosk.to_string(),
            admin,
        }
    }

    /// A form token for the point at `code`, signed with this server's key as the form
    /// page would carry it (an unknown code gets one that the server will never need).
    pub fn form_token(&self, code: &str) -> String {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        match pouls::survey::CollectionCode::parse(code) {
            Ok(code) => self.state.form_key.issue(&code, now),
            Err(_) => format!("{:032x}", rand::random::<u128>()),
        }
    }

    /// The token in the form page of `/q/{code}`, as a browser gets it.
    pub async fn form_page_token(&self, code: &str) -> String {
        let page = self.get(&format!("/q/{code}")).await;
        jeton(&page.body).expect("a form token in the page")
    }

    /// Submits the resident form at `/q/{code}` with a fresh token unless one is given.
    pub async fn answer(&self, code: &str, answers: &[(&str, &str)]) -> TestResponse {
        let token = self.form_token(code);
        let mut fields: Vec<(&str, &str)> = answers.to_vec();
        if !fields.iter().any(|(name, _)| *name == "jeton") {
            fields.push(("jeton", &token));
        }
        // A different address each time, so the per-address limit stays out of the way.
        let ip = [10, rand::random(), rand::random(), rand::random()];
        self.post_from(ip, &format!("/q/{code}"), None, &fields, &[])
            .await
    }

    /// Creates a paper collection point for the fixture's survey; returns (id, code).
    pub async fn paper_point(&self, f: &Fixture) -> (i64, String) {
        let draft = pouls::survey::PointDraft::parse(
            &pouls::survey::PointInput {
                label: "Questionnaires papier".into(),
                kind: "papier".into(),
                ..Default::default()
            },
            &[],
        )
        .expect("point");
        let code = self
            .territory
            .create_point(f.survey_id, &draft, &f.admin)
            .await
            .expect("create");
        let point = self
            .storage
            .point_by_code(&code)
            .await
            .expect("load")
            .expect("point");
        (point.id, code.to_string())
    }
}
