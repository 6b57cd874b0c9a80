//! The server over real sockets: the exchange against a token endpoint that records what it receives
//! (standing in for the authorization server, whose real answers the browser tests cover), the pages and the
//! element's files.

use anypoint_signin_playground::{Config, bind, serve};
use axum::Form;
use axum::Router;
use axum::http::StatusCode;
use axum::routing::post;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

const SECRET: &str = "s3cret-never-in-a-response";
const CLIENT: &str = "confidential-app";

type Forms = Arc<Mutex<Vec<HashMap<String, String>>>>;

/// A token endpoint at `{issuer}/token` that answers according to the code it receives.
async fn token_endpoint() -> (String, Forms) {
    let forms: Forms = Arc::default();
    let seen = forms.clone();
    let app = Router::new().route(
        "/oauth2/token",
        post(move |Form(form): Form<HashMap<String, String>>| async move {
            seen.lock().unwrap().push(form.clone());
            let reply = |status, body: Value| (status, [("content-type", "application/json")], body.to_string());
            match form["code"].as_str() {
                "good" => reply(StatusCode::OK, json!({"access_token": "at", "token_type": "Bearer", "expires_in": 3600})),
                "used" => reply(StatusCode::BAD_REQUEST, json!({"error": "invalid_grant", "error_description": "grant request is invalid"})),
                "echo" => reply(StatusCode::BAD_REQUEST, json!({"error": "invalid_request", "got": form})),
                _ => (StatusCode::INTERNAL_SERVER_ERROR, [("content-type", "text/html")], "<h1>oops</h1>".into()),
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let issuer = format!("http://{}/oauth2", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (issuer, forms)
}

async fn site(issuer: &str) -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixture");
    let vars = [
        ("PLAYGROUND_ADDR", "127.0.0.1:0"),
        ("ANYPOINT_ISSUER", issuer),
        ("ANYPOINT_CLIENT_ID", CLIENT),
        ("ANYPOINT_CLIENT_SECRET", SECRET),
        ("PLAYGROUND_PAGES", &format!("{dir}/pages")),
        ("PLAYGROUND_DIST", &format!("{dir}/dist")),
    ];
    let config = Config::from_vars(
        &vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    )
    .unwrap();
    let (listener, origin) = bind(&config).await.unwrap();
    tokio::spawn(serve(listener, config, origin.clone()));
    origin
}

/// A site whose exchange calls a fresh [`token_endpoint`]; its origin, and the forms the endpoint receives.
async fn started() -> (String, Forms) {
    let (issuer, forms) = token_endpoint().await;
    (site(&issuer).await, forms)
}

/// Status, content type and body of a request (`body` is POSTed as JSON when given).
async fn fetch(url: String, body: Option<String>) -> (u16, String, String) {
    tokio::task::spawn_blocking(move || {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let mut response = match body {
            Some(body) => agent
                .post(&url)
                .header("content-type", "application/json")
                .send(body),
            None => agent.get(&url).call(),
        }
        .unwrap();
        let kind = response
            .headers()
            .get("content-type")
            .map_or("", |v| v.to_str().unwrap())
            .to_owned();
        (
            response.status().as_u16(),
            kind,
            response.body_mut().read_to_string().unwrap(),
        )
    })
    .await
    .unwrap()
}

async fn exchange(origin: &str, body: Value) -> (u16, Value) {
    let (status, kind, text) =
        fetch(format!("{origin}/api/exchange"), Some(body.to_string())).await;
    assert_eq!(kind, "application/json");
    assert!(!text.contains(SECRET), "the secret leaked: {text}");
    (status, serde_json::from_str(&text).unwrap())
}

fn assert_oauth_error(status: u16, answer: &Value, want_status: u16, want_error: &str) {
    assert_eq!(
        (status, answer["error"].as_str()),
        (want_status, Some(want_error)),
        "{answer}"
    );
}

fn request(code: &str) -> Value {
    json!({"code": code, "code_verifier": "verifier", "redirect_uri": "http://127.0.0.1:1/", "client_id": CLIENT})
}

#[tokio::test]
async fn exchanges_the_code_with_the_secret_and_returns_the_token_response() {
    let (origin, forms) = started().await;
    let (status, body) = exchange(&origin, request("good")).await;
    assert_eq!(status, 200);
    assert_eq!(body["access_token"], "at");
    let forms = forms.lock().unwrap();
    assert_eq!(forms.len(), 1);
    let expected = [
        ("grant_type", "authorization_code"),
        ("code", "good"),
        ("code_verifier", "verifier"),
        ("redirect_uri", "http://127.0.0.1:1/"),
        ("client_id", CLIENT),
        ("client_secret", SECRET),
    ];
    assert_eq!(
        forms[0],
        expected
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    );
}

#[tokio::test]
async fn refuses_bodies_without_every_field_before_calling_the_token_endpoint() {
    let (origin, forms) = started().await;
    for field in ["code", "code_verifier", "redirect_uri", "client_id"] {
        let mut body = request("good");
        body.as_object_mut().unwrap().remove(field);
        let (status, answer) = exchange(&origin, body).await;
        assert_oauth_error(status, &answer, 400, "invalid_request");
        assert_eq!(answer["error_description"], format!("missing {field}"));
        let mut body = request("good");
        body[field] = json!("");
        assert_eq!(exchange(&origin, body).await.0, 400, "empty {field}");
    }
    let (status, _, text) = fetch(format!("{origin}/api/exchange"), Some("code=good".into())).await;
    assert_eq!(status, 400);
    assert!(text.contains("must be a JSON object"), "{text}");
    let (status, answer) = exchange(&origin, json!({"code": 1, "code_verifier": "v"})).await;
    assert_oauth_error(status, &answer, 400, "invalid_request");
    assert!(
        forms.lock().unwrap().is_empty(),
        "nothing reached the token endpoint"
    );
}

#[tokio::test]
async fn refuses_another_client() {
    let (origin, forms) = started().await;
    let mut body = request("good");
    body["client_id"] = json!("someone-else");
    let (status, answer) = exchange(&origin, body).await;
    assert_oauth_error(status, &answer, 401, "invalid_client");
    assert!(forms.lock().unwrap().is_empty());
}

#[tokio::test]
async fn relays_oauth_errors_and_turns_server_failures_into_server_error() {
    let (origin, _) = started().await;
    let (status, answer) = exchange(&origin, request("used")).await;
    assert_oauth_error(status, &answer, 400, "invalid_grant");
    let (status, answer) = exchange(&origin, request("crash")).await;
    assert_oauth_error(status, &answer, 502, "server_error");
    assert_eq!(
        answer["error_description"],
        "the token endpoint answered HTTP 500"
    );
}

#[tokio::test]
async fn never_relays_an_answer_that_contains_the_secret() {
    let (origin, forms) = started().await;
    let (status, answer) = exchange(&origin, request("echo")).await;
    assert_oauth_error(status, &answer, 502, "server_error");
    assert_eq!(
        forms.lock().unwrap().len(),
        1,
        "the endpoint did echo the form"
    );
}

#[tokio::test]
async fn reports_an_unreachable_token_endpoint() {
    // A port that was just free: nothing listens there.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap();
    let origin = site(&format!("http://{closed}/oauth2")).await;
    let (status, answer) = exchange(&origin, request("good")).await;
    assert_oauth_error(status, &answer, 502, "server_error");
    assert_eq!(
        answer["error_description"],
        "the token endpoint could not be reached"
    );
}

#[tokio::test]
async fn serves_pages_with_their_placeholders_filled_and_the_element() {
    let issuer = "http://127.0.0.1:9/oauth2";
    let origin = site(issuer).await;
    let (status, kind, html) = fetch(format!("{origin}/"), None).await;
    assert_eq!((status, kind.as_str()), (200, "text/html; charset=utf-8"));
    let expected =
        format!(r#"data-issuer="{issuer}" data-origin="{origin}" data-client="{CLIENT}""#);
    assert!(html.contains(&expected), "{html}");
    assert_eq!(fetch(format!("{origin}/index.html"), None).await.2, html);
    let (status, kind, css) = fetch(format!("{origin}/site.css"), None).await;
    assert_eq!(
        (status, kind.as_str(), css.trim()),
        (200, "text/css", "body { color: teal }")
    );
    let (status, kind, _) =
        fetch(format!("{origin}/anypoint-signin/anypoint-signin.js"), None).await;
    assert_eq!((status, kind.as_str()), (200, "text/javascript"));
    for missing in [
        "/nope.html",
        "/nope.css",
        "/anypoint-signin/nope.js",
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
    ] {
        assert_eq!(
            fetch(format!("{origin}{missing}"), None).await.0,
            404,
            "{missing}"
        );
    }
    assert_eq!(
        fetch(format!("{origin}/api/exchange"), None).await.0,
        405,
        "GET on the exchange"
    );
}
