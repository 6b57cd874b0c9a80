//! The element's HTTP calls, with gloo-net: JSON answers, OAuth error bodies, and failures told apart.

use std::time::Duration;

use gloo_net::http::{Method, RequestBuilder, Response};
use leptos::prelude::{TimeoutHandle, set_timeout_with_handle};
use web_sys::{AbortController, RequestRedirect, ResponseType};

use crate::dpop::{DpopKey, nonces};
use crate::{address, json, page};
use anypoint_signin_core::dpop::binding::TokenType;
use anypoint_signin_core::dpop::challenge;
use anypoint_signin_core::dpop::nonce::{self, Attempt};
use anypoint_signin_core::error::Error;
use anypoint_signin_core::failure::{Failure, TIMEOUT_SECS};
use anypoint_signin_core::json::FromJson;
use anypoint_signin_core::token::request::{Body, TokenRequest};
use anypoint_signin_core::token::response::{ErrorResponse, TokenResponse};

/// How long a request (answer and body) may take: a server that hangs must not leave the button busy forever.
pub const TIMEOUT: Duration = Duration::from_secs(TIMEOUT_SECS);
/// The userinfo request's: the name it brings is a nicety, and the sign-in waits for it.
pub const USERINFO_TIMEOUT: Duration = Duration::from_secs(5);

/// The browser says it is online (then an unreachable server is most often a CORS refusal).
fn online() -> bool {
    page::window().navigator().on_line()
}

/// GET public JSON (discovery), following redirects.
pub async fn get_json<T: FromJson>(url: &str) -> Result<T, Failure> {
    read(send(Call::new(Method::GET, url, None)).await)
}

/// GET JSON with an access token (userinfo) as `Bearer`, or as `DPoP` with a proof made with `key`, within
/// `timeout`.
pub async fn get_json_with<T: FromJson>(
    url: &str,
    access_token: &str,
    key: Option<&DpopKey>,
    timeout: Duration,
) -> Result<T, Failure> {
    let scheme = match key {
        Some(_) => TokenType::Dpop,
        None => TokenType::Bearer,
    };
    let authorization = format!("{} {access_token}", scheme.scheme());
    let mut call = Call::new(Method::GET, url, key).manual();
    call.headers.push(("Authorization", &authorization));
    call.access_token = Some(access_token);
    call.timeout = timeout;
    read(send(call).await)
}

/// POST a form-encoded body (token and revocation endpoints), with a proof made with `key` if given.
pub async fn post_form<T: FromJson>(
    url: &str,
    body: String,
    key: Option<&DpopKey>,
) -> Result<T, Failure> {
    let mut call = Call::new(Method::POST, url, key).manual();
    call.headers
        .push(("Content-Type", "application/x-www-form-urlencoded"));
    call.body = Some(body);
    read(send(call).await)
}

/// POST a JSON body (the site's exchange backend).
pub async fn post_json<T: FromJson>(url: &str, body: String) -> Result<T, Failure> {
    let mut call = Call::new(Method::POST, url, None).manual();
    call.headers.push(("Content-Type", "application/json"));
    call.body = Some(body);
    read(send(call).await)
}

/// Sends a token request (the core decides its party, URL and body), with a proof made with `key` if given;
/// the answer's failure becomes the element's error, naming the party.
pub async fn request_tokens(
    request: &TokenRequest,
    key: Option<&DpopKey>,
) -> Result<TokenResponse, Error> {
    let answer = match &request.body {
        Body::Form(form) => post_form(&request.url, form.clone(), key).await,
        Body::Json(value) => post_json(&request.url, json::text(value)).await,
    };
    answer.map_err(|failure| failure.into_error(request.to.name()))
}

/// A successful answer's JSON, read as `T`.
fn read<T: FromJson>(answer: Result<String, Failure>) -> Result<T, Failure> {
    json::parse(&answer?).map_err(Failure::Body)
}

/// Clears its timer when dropped: when the request ends, and when the element that waits for it leaves the page
/// (its task is then dropped mid-request).
struct Timer(Option<TimeoutHandle>);

impl Drop for Timer {
    fn drop(&mut self) {
        if let Some(timer) = self.0.take() {
            timer.clear();
        }
    }
}

/// One request, as [`send`] makes it (again, for a nonce's retry).
struct Call<'a> {
    method: Method,
    url: &'a str,
    /// Beside `Accept`.
    headers: Vec<(&'static str, &'a str)>,
    body: Option<String>,
    /// Redirects are followed: only requests that carry no secret.
    follow: bool,
    timeout: Duration,
    /// The key that signs the request's DPoP proofs, if it has them.
    key: Option<&'a DpopKey>,
    /// The access token the request presents, which its proof names.
    access_token: Option<&'a str>,
}

impl<'a> Call<'a> {
    fn new(method: Method, url: &'a str, key: Option<&'a DpopKey>) -> Call<'a> {
        Call {
            method,
            url,
            headers: Vec::new(),
            body: None,
            follow: true,
            timeout: TIMEOUT,
            key,
            access_token: None,
        }
    }

    /// Redirects not followed: the request carries a code, a verifier or a token.
    fn manual(self) -> Call<'a> {
        Call {
            follow: false,
            ..self
        }
    }
}

/// The text of a successful answer. A request with a proof that the server answers with a nonce challenge is
/// sent once more with its nonce ([`next_attempt`]). Not generic, so that one copy of it serves every call
/// (size rule 3, BENCHMARKS.md).
async fn send(call: Call<'_>) -> Result<String, Failure> {
    // Whose nonces a request with a proof takes and keeps.
    let origin = call
        .key
        .and_then(|_| address::parse_url(call.url, None))
        .map(|url| url.origin);
    let mut attempt = Attempt::First;
    loop {
        let mut request = RequestBuilder::new(call.url)
            .method(call.method.clone())
            .header("Accept", "application/json");
        for (name, value) in &call.headers {
            request = request.header(name, value);
        }
        if !call.follow {
            request = request.redirect(RequestRedirect::Manual);
        }
        let mut sent = None;
        if let Some(key) = call.key {
            let (proof, nonce) = key
                .proof(call.method.as_str(), call.url, call.access_token)
                .await
                .map_err(Failure::Unsigned)?;
            request = request.header("DPoP", &proof);
            sent = nonce;
        }
        let (response, text) = exchange(request, call.body.clone(), call.timeout).await?;
        if let Some(origin) = &origin {
            let challenged = challenge::asks_for_nonce(
                response.status(),
                &response
                    .headers()
                    .get("WWW-Authenticate")
                    .unwrap_or_default(),
            ) || response.status() == 400
                && json::parse::<ErrorResponse>(&text)
                    .is_ok_and(|error| nonce::is_nonce_error(400, &error));
            let header = response.headers().get("DPoP-Nonce");
            if nonces::retry(origin, attempt, sent.as_ref(), challenged, header) {
                attempt = Attempt::Retry;
                continue;
            }
        }
        if response.type_() == ResponseType::Opaqueredirect {
            return Err(Failure::Redirect);
        }
        if !response.ok() {
            return Err(Failure::Status(response.status(), json::parse(&text).ok()));
        }
        return Ok(text);
    }
}

/// The answer to one request and its text, within `timeout`.
async fn exchange(
    request: RequestBuilder,
    body: Option<String>,
    timeout: Duration,
) -> Result<(Response, String), Failure> {
    let controller = AbortController::new().map_err(|_| Failure::Network { online: online() })?;
    let request = request.abort_signal(Some(&controller.signal()));
    let request = match body {
        Some(body) => request.body(body),
        None => request.build(),
    }
    .map_err(|_| Failure::Network { online: online() })?;
    let abort = controller.clone();
    let timer = Timer(set_timeout_with_handle(move || abort.abort(), timeout).ok());
    let answer = async {
        let response = request.send().await?;
        let text = response.text().await?;
        Ok::<_, gloo_net::Error>((response, text))
    }
    .await;
    drop(timer);
    answer.map_err(|_| {
        if controller.signal().aborted() {
            Failure::Timeout
        } else {
            Failure::Network { online: online() }
        }
    })
}
