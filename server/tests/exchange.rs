//! The endpoint over real sockets, against a token endpoint that records what it receives and answers
//! according to the code or refresh token (standing in for the authorization server, whose real answers
//! tests/browser/server.test.mjs covers): the cookie that keeps the refresh token, renewal and rotation,
//! sign-out, and every refusal.

use anypoint_signin_server::{Config, EXCHANGE_PATH, router, service};
use axum::Form;
use axum::Router;
use axum::http::StatusCode;
use axum::routing::{get, post};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const SECRET: &str = "s3cret-never-in-a-response";
const CLIENT: &str = "confidential-app";
use anypoint_signin_server::testing::KEY;
const OTHER_KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";

type Forms = Arc<Mutex<Vec<HashMap<String, String>>>>;

/// A token endpoint at `{issuer}/token` (and a revocation endpoint at `{issuer}/revoke`) that answers
/// according to the code or refresh token it receives. Refresh tokens `rt-N` rotate to `rt-N+1` and are spent
/// once; `rt-keep` is kept and sent back, as a server that does not rotate does.
async fn token_endpoint() -> (String, Forms) {
    let forms: Forms = Arc::default();
    let (seen, revoked) = (forms.clone(), forms.clone());
    let spent = Arc::new(Mutex::new(Vec::<String>::new()));
    let elsewhere = || async {
        (
            [("content-type", "application/json")],
            json!({"access_token": "at", "token_type": "Bearer"}).to_string(),
        )
    };
    let token = move |Form(form): Form<HashMap<String, String>>| async move {
        seen.lock().unwrap().push(form.clone());
        let reply = |status, body: Value| {
            (
                status,
                [("content-type", "application/json")],
                body.to_string(),
            )
        };
        let tokens = |access: &str, refresh: Option<&str>| {
            let mut body =
                json!({"access_token": access, "token_type": "Bearer", "expires_in": 3600});
            if let Some(refresh) = refresh {
                body["refresh_token"] = json!(refresh);
            }
            reply(StatusCode::OK, body)
        };
        let grant = form
            .get("code")
            .or(form.get("refresh_token"))
            .map_or("", String::as_str);
        if let Some(n) = grant
            .strip_prefix("rt-")
            .and_then(|n| n.parse::<u32>().ok())
        {
            if spent.lock().unwrap().contains(&grant.to_owned()) {
                return reply(
                    StatusCode::BAD_REQUEST,
                    json!({"error": "invalid_grant", "error_description": "grant request is invalid"}),
                );
            }
            spent.lock().unwrap().push(grant.to_owned());
            return tokens(&format!("at-{}", n + 1), Some(&format!("rt-{}", n + 1)));
        }
        match grant {
            "good" => tokens("at", Some("rt-1")),
            "plain" => tokens("at", None),
            "keep" | "rt-keep" => tokens("at-kept", Some("rt-keep")),
            "echoing" => tokens("at", Some("rt-echo")),
            // Keycloak's answer: fields the element does not read, and the refresh token's own lifetime.
            "keycloak" => reply(
                StatusCode::OK,
                json!({"access_token": "at", "token_type": "Bearer", "refresh_token": "rt-short",
                    "refresh_expires_in": 60, "not-before-policy": 0, "session_state": "s"}),
            ),
            "odd" => reply(
                StatusCode::OK,
                json!({"access_token": "at", "token_type": "Bearer", "refresh_token": 7,
                    "refresh_token_expires_in": "soon"}),
            ),
            "listed" => reply(StatusCode::OK, json!(["at", "Bearer"])),
            "used" => reply(
                StatusCode::BAD_REQUEST,
                json!({"error": "invalid_grant", "error_description": "grant request is invalid"}),
            ),
            "echo" | "rt-echo" => reply(
                StatusCode::BAD_REQUEST,
                json!({"error": "invalid_request", "got": form}),
            ),
            "hang" => {
                tokio::time::sleep(Duration::from_secs(30)).await;
                tokens("late", None)
            }
            "huge" => reply(
                StatusCode::OK,
                json!({"access_token": "a".repeat(2 << 20), "token_type": "Bearer"}),
            ),
            // Followed, it would end in a token response.
            "moved" => (
                StatusCode::FOUND,
                [("location", "/oauth2/elsewhere")],
                "{}".into(),
            ),
            _ => (
                StatusCode::INTERNAL_SERVER_ERROR,
                [("content-type", "text/html")],
                "<h1>oops</h1>".into(),
            ),
        }
    };
    let revoke = move |Form(form): Form<HashMap<String, String>>| async move {
        revoked.lock().unwrap().push(form);
        StatusCode::OK
    };
    let app = Router::new()
        .route("/oauth2/elsewhere", get(elsewhere).post(elsewhere))
        .route("/oauth2/token", post(token))
        .route("/oauth2/revoke", post(revoke));
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
    Config::new(issuer, CLIENT, SECRET, [KEY]).unwrap()
}

/// A backend for `config`, and what it is called with.
struct Backend {
    url: String,
    origin: String,
}

/// A backend for a fresh token endpoint: the backend, its issuer, and the forms that endpoint receives.
async fn started() -> (Backend, String, Forms) {
    let (issuer, forms) = token_endpoint().await;
    (backend(config(&issuer)).await, issuer, forms)
}

async fn backend(config: Config) -> Backend {
    let origin = serve(router(config)).await;
    Backend {
        url: format!("{origin}{EXCHANGE_PATH}"),
        origin,
    }
}

/// An answer: status, headers and body.
struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Value,
}

impl Answer {
    fn cookies(&self) -> Vec<&str> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap())
            .collect()
    }

    /// The `name=value` of the session cookie it sets, to send back.
    fn session(&self) -> String {
        self.cookies()[0].split(';').next().unwrap().to_owned()
    }

    fn error(&self) -> (u16, &str, &str) {
        let text = |f: &str| self.body[f].as_str().unwrap_or_default();
        (self.status, text("error"), text("error_description"))
    }
}

/// POSTs `body` as a same-origin page of `backend` would (`Origin`), with `headers` added (or, when
/// `Some("")`, a header removed).
async fn send(
    backend: &Backend,
    body: impl Into<reqwest::Body>,
    headers: &[(&str, &str)],
) -> Answer {
    let mut all = vec![
        ("origin", backend.origin.as_str()),
        ("content-type", "application/json"),
    ];
    for (name, value) in headers {
        all.retain(|(n, _)| n != name);
        if !value.is_empty() {
            all.push((name, value));
        }
    }
    let mut request = reqwest::Client::new().post(&backend.url).body(body);
    for (name, value) in all {
        request = request.header(name, value);
    }
    let response = request.send().await.unwrap();
    let (status, headers) = (response.status().as_u16(), response.headers().clone());
    let text = response.text().await.unwrap();
    // The secret and every refresh token stay in the backend: in no body, nor any header but the sealed cookie.
    for (name, value) in headers.iter() {
        let value = value.to_str().unwrap();
        assert!(!value.contains(SECRET), "{name}: {value}");
        assert!(!value.contains("rt-"), "{name}: {value}");
    }
    assert!(
        !text.contains(SECRET) && !text.contains("rt-"),
        "leaked: {text}"
    );
    if status != 405 {
        assert_eq!(headers["content-type"], "application/json");
        assert_eq!(headers["cache-control"], "no-store");
    }
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Answer {
        status,
        headers,
        body,
    }
}

async fn json(backend: &Backend, body: Value, cookie: Option<&str>) -> Answer {
    let headers: Vec<(&str, &str)> = cookie.map(|c| ("cookie", c)).into_iter().collect();
    send(backend, body.to_string(), &headers).await
}

fn code(code: &str) -> Value {
    json!({"code": code, "code_verifier": "verifier", "redirect_uri": "http://127.0.0.1:1/", "client_id": CLIENT})
}

fn refresh() -> Value {
    json!({"grant_type": "refresh_token", "client_id": CLIENT})
}

fn sign_out() -> Value {
    json!({"action": "sign_out", "client_id": CLIENT})
}

fn form(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

const CLEARED: [&str; 2] = [
    "anypoint-signin=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0",
    "anypoint-signin-hint=; SameSite=Strict; Path=/; Max-Age=0",
];

#[tokio::test]
async fn redeems_the_code_and_keeps_the_refresh_token_in_a_sealed_cookie() {
    let (backend, _, forms) = started().await;
    let answer = json(&backend, code("good"), None).await;
    assert_eq!(answer.status, 200);
    assert_eq!(
        answer.body,
        json!({"access_token": "at", "token_type": "Bearer", "expires_in": 3600})
    );
    let cookies = answer.cookies();
    let (session, hint) = (cookies[0], cookies[1]);
    assert!(session.starts_with("anypoint-signin="), "{session}");
    assert!(
        session.ends_with("; HttpOnly; SameSite=Strict; Path=/; Max-Age=7776000"),
        "{session}"
    );
    assert_eq!(
        hint,
        "anypoint-signin-hint=1; SameSite=Strict; Path=/; Max-Age=7776000"
    );
    let expected = form(&[
        ("grant_type", "authorization_code"),
        ("code", "good"),
        ("code_verifier", "verifier"),
        ("redirect_uri", "http://127.0.0.1:1/"),
        ("client_id", CLIENT),
        ("client_secret", SECRET),
    ]);
    assert_eq!(*forms.lock().unwrap(), [expected]);

    // A sign-in that brings no refresh token ends the session kept from before.
    let answer = json(&backend, code("plain"), Some(&answer.session())).await;
    assert_eq!((answer.status, answer.cookies()), (200, CLEARED.to_vec()));
}

#[tokio::test]
async fn relays_every_field_but_the_refresh_token_and_keeps_it_no_longer_than_it_lives() {
    let (backend, _, _) = started().await;
    let answer = json(&backend, code("keycloak"), None).await;
    assert_eq!(
        answer.body,
        json!({"access_token": "at", "token_type": "Bearer", "refresh_expires_in": 60,
            "not-before-policy": 0, "session_state": "s"})
    );
    assert!(
        answer.cookies()[0].ends_with("; Max-Age=60"),
        "{:?}",
        answer.cookies()
    );
    // A field the backend reads counts as absent when of another type: no refresh token kept (as in the
    // JavaScript library), nor the odd field relayed.
    let odd = json(&backend, code("odd"), None).await;
    assert_eq!(
        (odd.status, &odd.body, odd.cookies()),
        (
            200,
            &json!({"access_token": "at", "token_type": "Bearer"}),
            CLEARED.to_vec()
        )
    );
    let listed = json(&backend, code("listed"), None).await;
    assert_eq!(
        listed.error(),
        (502, "server_error", "the token endpoint answered HTTP 200")
    );
}

#[tokio::test]
async fn on_an_https_site_the_cookies_are_host_only_and_secure() {
    let (backend, _, _) = started().await;
    // The browser's word for a same-origin request; no Origin: the strict kind of cookie.
    let answer = send(
        &backend,
        code("good").to_string(),
        &[("origin", ""), ("sec-fetch-site", "same-origin")],
    )
    .await;
    let cookies = answer.cookies();
    assert!(cookies[0].starts_with("__Host-anypoint-signin="));
    assert!(cookies[0].ends_with("; HttpOnly; SameSite=Strict; Secure; Path=/; Max-Age=7776000"));
    assert_eq!(
        cookies[1],
        "__Host-anypoint-signin-hint=1; SameSite=Strict; Secure; Path=/; Max-Age=7776000"
    );
    let renewed = send(
        &backend,
        refresh().to_string(),
        &[
            ("origin", ""),
            ("sec-fetch-site", "same-origin"),
            ("cookie", &answer.session()),
        ],
    )
    .await;
    assert_eq!(renewed.status, 200);
    // A bare-named cookie (a sibling subdomain can plant one) is not read on an https site.
    let bare = answer.session().replacen("__Host-", "", 1);
    let planted = send(
        &backend,
        refresh().to_string(),
        &[
            ("origin", "https://app.example"),
            ("sec-fetch-site", "same-origin"),
            ("cookie", &bare),
        ],
    )
    .await;
    assert_eq!(
        planted.error(),
        (
            400,
            "invalid_grant",
            "no session at this backend: sign in again"
        )
    );
}

#[tokio::test]
async fn renews_with_the_cookie_and_keeps_the_rotated_refresh_token() {
    let (backend, _, forms) = started().await;
    let first = json(&backend, code("good"), None).await.session();
    let second = json(&backend, refresh(), Some(&first)).await;
    assert_eq!(
        (second.status, &second.body["access_token"]),
        (200, &json!("at-2"))
    );
    let third = json(&backend, refresh(), Some(&second.session())).await;
    assert_eq!(
        (third.status, &third.body["access_token"]),
        (200, &json!("at-3"))
    );
    let sent: Vec<String> = forms.lock().unwrap()[1..]
        .iter()
        .map(|f| f["refresh_token"].clone())
        .collect();
    assert_eq!(
        sent,
        ["rt-1", "rt-2"],
        "the rotated refresh token is the one used next"
    );
    assert_eq!(
        forms.lock().unwrap()[1],
        form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", "rt-1"),
            ("client_id", CLIENT),
            ("client_secret", SECRET)
        ])
    );
    // The cookie from before the rotation, replayed: the provider refuses the spent token, the session ends.
    let replayed = json(&backend, refresh(), Some(&first)).await;
    assert_eq!(
        replayed.error(),
        (400, "invalid_grant", "grant request is invalid")
    );
    assert_eq!(replayed.cookies(), CLEARED);
}

/// The session cookie `config`'s backend sets for a sign-in with `code_value`.
async fn cookie_for(config: Config, code_value: &str) -> String {
    let mut body = code(code_value);
    body["client_id"] = json!(config.client_id());
    let backend = backend(config).await;
    json(&backend, body, None).await.session()
}

#[tokio::test]
async fn refuses_and_clears_cookies_it_cannot_trust() {
    let (issuer, forms) = token_endpoint().await;
    let mine = backend(config(&issuer)).await;
    let good = cookie_for(config(&issuer), "good").await;
    let (name, value) = good.split_once('=').unwrap();
    let mut flipped = value.as_bytes().to_vec();
    flipped[20] = if flipped[20] == b'A' { b'B' } else { b'A' };
    let refused = [
        format!("{name}={}", String::from_utf8(flipped).unwrap()),
        format!("{name}={}", &value[..value.len() / 2]),
        format!("{name}=not-base64!"),
        format!("{name}="),
        // Sealed with another key, for another app, at another issuer, or expired.
        cookie_for(
            Config::new(&issuer, CLIENT, SECRET, [OTHER_KEY]).unwrap(),
            "good",
        )
        .await,
        cookie_for(
            Config::new(&issuer, "another-app", SECRET, [KEY]).unwrap(),
            "good",
        )
        .await,
        cookie_for(
            Config::new(format!("{issuer}/"), CLIENT, SECRET, [KEY]).unwrap(),
            "good",
        )
        .await,
        cookie_for(
            config(&issuer).with_session_lifetime(Duration::ZERO),
            "good",
        )
        .await,
    ];
    let calls = forms.lock().unwrap().len();
    for cookie in &refused {
        let answer = json(&mine, refresh(), Some(cookie)).await;
        assert_eq!(
            answer.error(),
            (
                400,
                "invalid_grant",
                "the session cookie was refused: sign in again"
            ),
            "{cookie}"
        );
        assert_eq!(answer.cookies(), CLEARED);
    }
    let none = json(&mine, refresh(), None).await;
    assert_eq!(
        none.error(),
        (
            400,
            "invalid_grant",
            "no session at this backend: sign in again"
        )
    );
    assert_eq!(none.cookies(), CLEARED);
    assert_eq!(
        forms.lock().unwrap().len(),
        calls,
        "none reached the token endpoint"
    );
    assert_eq!(
        json(&mine, refresh(), Some(&good)).await.status,
        200,
        "the good one still works"
    );
}

#[tokio::test]
async fn a_rotated_key_still_reads_its_cookies_and_seals_with_the_new_one() {
    let (issuer, _) = token_endpoint().await;
    let old = cookie_for(config(&issuer), "good").await;
    let rotated = backend(Config::new(&issuer, CLIENT, SECRET, [OTHER_KEY, KEY]).unwrap()).await;
    let answer = json(&rotated, refresh(), Some(&old)).await;
    assert_eq!(answer.status, 200);
    let only_new = backend(Config::new(&issuer, CLIENT, SECRET, [OTHER_KEY]).unwrap()).await;
    assert_eq!(
        json(&only_new, refresh(), Some(&answer.session()))
            .await
            .status,
        200
    );
    assert_eq!(
        json(&only_new, refresh(), Some(&old)).await.status,
        400,
        "the old key is gone"
    );
}

#[tokio::test]
async fn a_server_may_send_the_same_refresh_token_back_but_never_echo_it_elsewhere() {
    let (backend, issuer, forms) = started().await;
    let kept = cookie_for(config(&issuer), "keep").await;
    let renewed = json(&backend, refresh(), Some(&kept)).await;
    assert_eq!(
        (renewed.status, &renewed.body["access_token"]),
        (200, &json!("at-kept"))
    );
    let again = json(&backend, refresh(), Some(&renewed.session())).await;
    assert_eq!(again.status, 200);
    assert_eq!(forms.lock().unwrap()[2]["refresh_token"], "rt-keep");
    let echoing = cookie_for(config(&issuer), "echoing").await;
    let answer = json(&backend, refresh(), Some(&echoing)).await;
    assert_eq!(
        answer.error(),
        (
            502,
            "server_error",
            "the token endpoint's answer was refused"
        )
    );
}

#[tokio::test]
async fn never_redeems_a_refresh_token_the_page_sends() {
    let (backend, _, forms) = started().await;
    let mut body = refresh();
    body["refresh_token"] = json!("stolen");
    let answer = json(&backend, body, None).await;
    assert_eq!(
        answer.error(),
        (
            400,
            "invalid_request",
            "this backend keeps the refresh token itself, in its cookie: send none"
        )
    );
    assert!(forms.lock().unwrap().is_empty());
}

#[tokio::test]
async fn signs_out_revoking_the_refresh_token_even_when_the_provider_is_down() {
    let (backend, _, forms) = started().await;
    let cookie = json(&backend, code("good"), None).await.session();
    let answer = json(&backend, sign_out(), Some(&cookie)).await;
    assert_eq!(
        (answer.status, &answer.body, answer.cookies()),
        (200, &json!({"revoked": true}), CLEARED.to_vec())
    );
    assert_eq!(
        forms.lock().unwrap()[1],
        form(&[
            ("token", "rt-1"),
            ("token_type_hint", "refresh_token"),
            ("client_id", CLIENT),
            ("client_secret", SECRET)
        ])
    );
    let none = json(&backend, sign_out(), None).await;
    assert_eq!(
        (none.status, &none.body, none.cookies()),
        (200, &json!({"revoked": false}), CLEARED.to_vec())
    );

    // The provider down: still signed out here, and said.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap();
    let down = backend_at(&format!("http://{closed}/oauth2")).await;
    let answer = json(&down, sign_out(), Some(&cookie)).await;
    assert_eq!(
        (answer.status, &answer.body, answer.cookies()),
        (200, &json!({"revoked": false}), CLEARED.to_vec())
    );
}

async fn backend_at(issuer: &str) -> Backend {
    backend(config(issuer)).await
}

#[tokio::test]
async fn refuses_requests_that_are_not_the_sites_own() {
    let (backend, issuer, forms) = started().await;
    let denied = (
        403,
        "access_denied",
        "only the site's own pages may call this endpoint (Sec-Fetch-Site: same-origin, or an Origin of this site)",
    );
    let body = || code("good").to_string();
    for headers in [
        vec![("sec-fetch-site", "cross-site")],
        vec![("sec-fetch-site", "same-site")],
        vec![("sec-fetch-site", "none")],
        vec![("origin", "http://evil.example")],
        vec![("origin", "null")],
        vec![("origin", "")],
    ] {
        assert_eq!(
            send(&backend, body(), &headers).await.error(),
            denied,
            "{headers:?}"
        );
    }
    // The site's origins, configured (behind a proxy that rewrites Host).
    let configured = router(config(&issuer).with_origins(["https://app.example"]));
    let proxied = serve(configured).await;
    let proxied = Backend {
        url: format!("{proxied}{EXCHANGE_PATH}"),
        origin: "https://app.example".into(),
    };
    assert_eq!(send(&proxied, body(), &[]).await.status, 200);
    let other = Backend {
        origin: backend.origin.clone(),
        ..proxied
    };
    assert_eq!(send(&other, body(), &[]).await.error(), denied);

    let form_post = send(
        &backend,
        "code=good",
        &[("content-type", "application/x-www-form-urlencoded")],
    )
    .await;
    assert_eq!(
        form_post.error(),
        (
            415,
            "invalid_request",
            "the body must be JSON (Content-Type: application/json)"
        )
    );
    assert_eq!(
        send(&backend, body(), &[("content-type", "")]).await.status,
        415
    );
    assert_eq!(
        send(
            &backend,
            body(),
            &[("content-type", "Application/JSON; charset=utf-8")]
        )
        .await
        .status,
        200
    );
    assert_eq!(
        forms.lock().unwrap().len(),
        2,
        "only the two good requests reached the token endpoint"
    );
}

#[tokio::test]
async fn refuses_a_large_body_without_reading_it() {
    let (backend, _, _) = started().await;
    let large = format!("{{\"code\":\"{}\"}}", "c".repeat(20_000));
    let answer = send(&backend, large, &[]).await;
    assert_eq!(
        answer.error(),
        (413, "invalid_request", "the body is over 16384 bytes")
    );
    // A chunked body that never ends, with no length declared: answered once the limit is passed.
    let mut socket = tokio::net::TcpStream::connect(backend.origin.trim_start_matches("http://"))
        .await
        .unwrap();
    let head = format!(
        "POST {EXCHANGE_PATH} HTTP/1.1\r\nhost: {0}\r\norigin: http://{0}\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
        backend.origin.trim_start_matches("http://")
    );
    socket.write_all(head.as_bytes()).await.unwrap();
    let chunk = format!("400\r\n{}\r\n", "x".repeat(0x400));
    let started = Instant::now();
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    for _ in 0..1000 {
        if socket.write_all(chunk.as_bytes()).await.is_err() {
            break;
        }
        if let Ok(Ok(n)) =
            tokio::time::timeout(Duration::from_millis(5), socket.read(&mut buffer)).await
        {
            answer.extend_from_slice(&buffer[..n]);
            break;
        }
    }
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn bounds_the_token_endpoints_time_and_size() {
    let (issuer, _) = token_endpoint().await;
    let backend = backend(config(&issuer).with_timeout(Duration::from_millis(500))).await;
    let started = Instant::now();
    let answer = json(&backend, code("hang"), None).await;
    assert_eq!(
        answer.error(),
        (
            504,
            "server_error",
            "the token endpoint did not answer in time"
        )
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    let huge = json(&backend_at(&issuer).await, code("huge"), None).await;
    assert_eq!(
        huge.error(),
        (
            502,
            "server_error",
            "the token endpoint's answer is over 1 MiB"
        )
    );
}

#[tokio::test]
async fn refuses_bodies_without_every_field_before_calling_the_token_endpoint() {
    let (backend, _, forms) = started().await;
    let answer = json(&backend, json!({"code_verifier": "v"}), None).await;
    assert_eq!(
        answer.error(),
        (
            400,
            "invalid_request",
            "missing code, redirect_uri, client_id"
        )
    );
    for body in [
        json!({"code": 1}),
        json!(["good"]),
        json!({"grant_type": ["refresh_token"], "client_id": CLIENT}),
    ] {
        let answer = json(&backend, body.clone(), None).await;
        assert_eq!(answer.error().1, "invalid_request", "{body}");
        assert!(
            answer
                .error()
                .2
                .starts_with("the body must be a JSON object"),
            "{body}"
        );
    }
    let mut other = refresh();
    other["grant_type"] = json!("password");
    assert_eq!(
        json(&backend, other, None).await.error().1,
        "unsupported_grant_type"
    );
    for mut body in [code("good"), refresh(), sign_out()] {
        body["client_id"] = json!("someone-else");
        let answer = json(&backend, body, None).await;
        assert_eq!(
            answer.error(),
            (
                401,
                "invalid_client",
                "this backend serves its own connected app only"
            )
        );
    }
    assert!(
        forms.lock().unwrap().is_empty(),
        "nothing reached the token endpoint"
    );
}

#[tokio::test]
async fn relays_oauth_errors_and_turns_server_failures_into_server_error() {
    let (backend, _, _) = started().await;
    let answer = json(&backend, code("used"), None).await;
    assert_eq!(
        answer.error(),
        (400, "invalid_grant", "grant request is invalid")
    );
    assert!(
        answer.cookies().is_empty(),
        "a refused code changes no cookie"
    );
    for (code_value, seen) in [("crash", 500), ("moved", 302)] {
        let answer = json(&backend, code(code_value), None).await;
        assert_eq!(
            answer.error(),
            (
                502,
                "server_error",
                format!("the token endpoint answered HTTP {seen}").as_str()
            )
        );
    }
    let answer = json(&backend, code("echo"), None).await;
    assert_eq!(
        answer.error(),
        (
            502,
            "server_error",
            "the token endpoint's answer was refused"
        )
    );
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap();
    let down = backend_at(&format!("http://{closed}/oauth2")).await;
    let answer = json(&down, code("good"), None).await;
    assert_eq!(
        answer.error(),
        (
            502,
            "server_error",
            "the token endpoint could not be reached"
        )
    );
}

#[tokio::test]
async fn the_service_mounts_at_any_path_and_answers_post_only() {
    let (issuer, _) = token_endpoint().await;
    let origin = serve(Router::new().route("/auth/token", service(config(&issuer)))).await;
    let mounted = Backend {
        url: format!("{origin}/auth/token"),
        origin: origin.clone(),
    };
    assert_eq!(json(&mounted, code("good"), None).await.status, 200);
    let get = |url: String| async move { reqwest::get(url).await.unwrap() };
    let answer = get(format!("{origin}/auth/token")).await;
    assert_eq!(
        (
            answer.status().as_u16(),
            answer.headers()["allow"].to_str().unwrap()
        ),
        (405, "POST")
    );
    assert_eq!(
        get(format!("{origin}{EXCHANGE_PATH}"))
            .await
            .status()
            .as_u16(),
        404
    );
}
