//! The endpoint over real sockets, against a token endpoint that records what it receives and answers
//! according to the code or refresh token (standing in for the authorization server, whose real answers
//! tests/browser/server.test.mjs covers).

use anypoint_signin_server::{Config, EXCHANGE_PATH, router, service};
use axum::Form;
use axum::Router;
use axum::http::StatusCode;
use axum::routing::{get, post};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

const SECRET: &str = "s3cret-never-in-a-response";
const CLIENT: &str = "confidential-app";

type Forms = Arc<Mutex<Vec<HashMap<String, String>>>>;

/// A token endpoint at `{issuer}/token` that answers according to the code (or refresh token) it receives.
async fn token_endpoint() -> (String, Forms) {
    let forms: Forms = Arc::default();
    let seen = forms.clone();
    let elsewhere = || async {
        (
            [("content-type", "application/json")],
            json!({"access_token": "at", "token_type": "Bearer"}).to_string(),
        )
    };
    let app = Router::new().route("/oauth2/elsewhere", get(elsewhere).post(elsewhere)).route(
        "/oauth2/token",
        post(move |Form(form): Form<HashMap<String, String>>| async move {
            seen.lock().unwrap().push(form.clone());
            let reply = |status, body: Value| (status, [("content-type", "application/json")], body.to_string());
            let grant = form.get("code").or(form.get("refresh_token")).map_or("", String::as_str);
            match grant {
                "good" => reply(StatusCode::OK, json!({"access_token": "at", "token_type": "Bearer", "expires_in": 3600})),
                "used" => reply(StatusCode::BAD_REQUEST, json!({"error": "invalid_grant", "error_description": "grant request is invalid"})),
                "echo" => reply(StatusCode::BAD_REQUEST, json!({"error": "invalid_request", "got": form})),
                // Followed, it would end in a token response.
                "moved" => (StatusCode::FOUND, [("location", "/oauth2/elsewhere")], "{}".into()),
                _ => (StatusCode::INTERNAL_SERVER_ERROR, [("content-type", "text/html")], "<h1>oops</h1>".into()),
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let issuer = format!("http://{}/oauth2", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (issuer, forms)
}

/// Serves `app` on loopback; its origin.
async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    origin
}

fn config(issuer: &str) -> Config {
    Config::new(issuer, CLIENT, SECRET).unwrap()
}

/// The endpoint's URL, calling a fresh [`token_endpoint`]; and the forms that endpoint receives.
async fn started() -> (String, Forms) {
    let (issuer, forms) = token_endpoint().await;
    let origin = serve(router(config(&issuer))).await;
    (format!("{origin}{EXCHANGE_PATH}"), forms)
}

/// Status, content type, cache-control and body of a request (`body` is POSTed as JSON when given).
async fn fetch(url: String, body: Option<String>) -> (u16, String, String, String) {
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
        let header = |name| {
            response
                .headers()
                .get(name)
                .map_or("", |v| v.to_str().unwrap())
                .to_owned()
        };
        let (kind, cache) = (header("content-type"), header("cache-control"));
        let status = response.status().as_u16();
        (
            status,
            kind,
            cache,
            response.body_mut().read_to_string().unwrap(),
        )
    })
    .await
    .unwrap()
}

async fn exchange(url: &str, body: Value) -> (u16, Value) {
    let (status, kind, cache, text) = fetch(url.to_owned(), Some(body.to_string())).await;
    assert_eq!(
        (kind.as_str(), cache.as_str()),
        ("application/json", "no-store")
    );
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

fn refresh(token: &str) -> Value {
    json!({"grant_type": "refresh_token", "refresh_token": token, "client_id": CLIENT})
}

fn form(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[tokio::test]
async fn exchanges_the_code_with_the_secret_and_returns_the_token_response() {
    let (url, forms) = started().await;
    let (status, body) = exchange(&url, request("good")).await;
    assert_eq!(status, 200);
    assert_eq!(body["access_token"], "at");
    // `grant_type` spelled out is the same exchange.
    let mut explicit = request("good");
    explicit["grant_type"] = json!("authorization_code");
    assert_eq!(exchange(&url, explicit).await.0, 200);
    let expected = form(&[
        ("grant_type", "authorization_code"),
        ("code", "good"),
        ("code_verifier", "verifier"),
        ("redirect_uri", "http://127.0.0.1:1/"),
        ("client_id", CLIENT),
        ("client_secret", SECRET),
    ]);
    assert_eq!(*forms.lock().unwrap(), [expected.clone(), expected]);
}

#[tokio::test]
async fn renews_with_the_refresh_token_and_the_secret() {
    let (url, forms) = started().await;
    let mut body = refresh("good");
    // Fields of the other grant are not forwarded.
    body["code"] = json!("stray");
    let (status, answer) = exchange(&url, body).await;
    assert_eq!((status, answer["access_token"].as_str()), (200, Some("at")));
    let (status, answer) = exchange(&url, refresh("used")).await;
    assert_oauth_error(status, &answer, 400, "invalid_grant");
    let expected = |token| {
        form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", token),
            ("client_id", CLIENT),
            ("client_secret", SECRET),
        ])
    };
    assert_eq!(*forms.lock().unwrap(), [expected("good"), expected("used")]);
}

#[tokio::test]
async fn refuses_bodies_without_every_field_before_calling_the_token_endpoint() {
    let (url, forms) = started().await;
    for field in ["code", "code_verifier", "redirect_uri", "client_id"] {
        let mut body = request("good");
        body.as_object_mut().unwrap().remove(field);
        let (status, answer) = exchange(&url, body).await;
        assert_oauth_error(status, &answer, 400, "invalid_request");
        assert_eq!(answer["error_description"], format!("missing {field}"));
        let mut body = request("good");
        body[field] = json!("");
        assert_eq!(exchange(&url, body).await.0, 400, "empty {field}");
    }
    let (status, answer) = exchange(&url, json!({"grant_type": "refresh_token"})).await;
    assert_oauth_error(status, &answer, 400, "invalid_request");
    assert_eq!(
        answer["error_description"],
        "missing refresh_token, client_id"
    );
    let (status, answer) = exchange(&url, json!({"code_verifier": "v"})).await;
    assert_eq!(
        (status, answer["error_description"].as_str()),
        (400, Some("missing code, redirect_uri, client_id"))
    );
    let (status, _, _, text) = fetch(url.clone(), Some("code=good".into())).await;
    assert_eq!(status, 400);
    assert!(text.contains("must be a JSON object"), "{text}");
    for body in [
        json!({"code": 1, "code_verifier": "v"}),
        json!(["good", "verifier", "http://127.0.0.1:1/", CLIENT]),
        json!({"grant_type": ["refresh_token"], "refresh_token": "good", "client_id": CLIENT}),
    ] {
        let (status, answer) = exchange(&url, body.clone()).await;
        assert_oauth_error(status, &answer, 400, "invalid_request");
        assert!(
            answer["error_description"]
                .as_str()
                .unwrap()
                .starts_with("the body must be a JSON object"),
            "{body}: {answer}"
        );
    }
    let mut other = refresh("good");
    other["grant_type"] = json!("password");
    let (status, answer) = exchange(&url, other).await;
    assert_oauth_error(status, &answer, 400, "unsupported_grant_type");
    assert!(
        forms.lock().unwrap().is_empty(),
        "nothing reached the token endpoint"
    );
}

#[tokio::test]
async fn refuses_another_client() {
    let (url, forms) = started().await;
    for mut body in [request("good"), refresh("good")] {
        body["client_id"] = json!("someone-else");
        let (status, answer) = exchange(&url, body).await;
        assert_oauth_error(status, &answer, 401, "invalid_client");
    }
    assert!(forms.lock().unwrap().is_empty());
}

#[tokio::test]
async fn relays_oauth_errors_and_turns_server_failures_into_server_error() {
    let (url, _) = started().await;
    let (status, answer) = exchange(&url, request("used")).await;
    assert_oauth_error(status, &answer, 400, "invalid_grant");
    assert_eq!(answer["error_description"], "grant request is invalid");
    for (code, status_seen) in [("crash", 500), ("moved", 302)] {
        let (status, answer) = exchange(&url, request(code)).await;
        assert_oauth_error(status, &answer, 502, "server_error");
        assert_eq!(
            answer["error_description"],
            format!("the token endpoint answered HTTP {status_seen}")
        );
    }
}

#[tokio::test]
async fn never_relays_an_answer_that_contains_the_secret() {
    let (url, forms) = started().await;
    let (status, answer) = exchange(&url, request("echo")).await;
    assert_oauth_error(status, &answer, 502, "server_error");
    assert_eq!(
        answer["error_description"],
        "the token endpoint's answer was refused"
    );
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
    let origin = serve(router(config(&format!("http://{closed}/oauth2")))).await;
    let url = format!("{origin}{EXCHANGE_PATH}");
    for body in [request("good"), refresh("good")] {
        let (status, answer) = exchange(&url, body).await;
        assert_oauth_error(status, &answer, 502, "server_error");
        assert_eq!(
            answer["error_description"],
            "the token endpoint could not be reached"
        );
    }
}

#[tokio::test]
async fn the_service_mounts_at_any_path_and_answers_post_only() {
    let (issuer, _) = token_endpoint().await;
    let origin = serve(Router::new().route("/auth/token", service(config(&issuer)))).await;
    let (status, answer) = exchange(&format!("{origin}/auth/token"), request("good")).await;
    assert_eq!((status, answer["access_token"].as_str()), (200, Some("at")));
    assert_eq!(fetch(format!("{origin}/auth/token"), None).await.0, 405);
    assert_eq!(fetch(format!("{origin}{EXCHANGE_PATH}"), None).await.0, 404);
}
