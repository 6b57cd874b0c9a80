//! The element's HTTP calls, with gloo-net: JSON answers, OAuth error bodies, and failures told apart.

use std::time::Duration;

use gloo_net::http::{Request, RequestBuilder};
use leptos::prelude::{TimeoutHandle, set_timeout_with_handle};
use web_sys::{AbortController, RequestRedirect, ResponseType};

use crate::{json, page};
use anypoint_signin_core::error::Error;
use anypoint_signin_core::failure::{Failure, TIMEOUT_SECS};
use anypoint_signin_core::json::FromJson;
use anypoint_signin_core::token::request::{Body, TokenRequest};
use anypoint_signin_core::token::response::TokenResponse;

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
    let request = Request::get(url);
    read(send(request, None, TIMEOUT).await)
}

/// GET JSON with a bearer token (userinfo), within `timeout`.
pub async fn get_json_with<T: FromJson>(
    url: &str,
    bearer: &str,
    timeout: Duration,
) -> Result<T, Failure> {
    let request = Request::get(url)
        .header("Authorization", &format!("Bearer {bearer}"))
        .redirect(RequestRedirect::Manual);
    read(send(request, None, timeout).await)
}

/// POST a form-encoded body (token and revocation endpoints).
pub async fn post_form<T: FromJson>(url: &str, body: String) -> Result<T, Failure> {
    let request = Request::post(url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .redirect(RequestRedirect::Manual);
    read(send(request, Some(body), TIMEOUT).await)
}

/// POST a JSON body (the site's exchange backend).
pub async fn post_json<T: FromJson>(url: &str, body: String) -> Result<T, Failure> {
    let request = Request::post(url)
        .header("Content-Type", "application/json")
        .redirect(RequestRedirect::Manual);
    read(send(request, Some(body), TIMEOUT).await)
}

/// Sends a token request (the core decides its party, URL and body); the answer's failure becomes the
/// element's error, naming the party.
pub async fn request_tokens(request: &TokenRequest) -> Result<TokenResponse, Error> {
    let answer = match &request.body {
        Body::Form(form) => post_form(&request.url, form.clone()).await,
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

/// The text of a successful answer. Not generic, so that one copy of it serves every call (size rule 3,
/// BENCHMARKS.md).
async fn send(
    request: RequestBuilder,
    body: Option<String>,
    timeout: Duration,
) -> Result<String, Failure> {
    let controller = AbortController::new().map_err(|_| Failure::Network { online: online() })?;
    let request = request
        .header("Accept", "application/json")
        .abort_signal(Some(&controller.signal()));
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
    let (response, text) = answer.map_err(|_| {
        if controller.signal().aborted() {
            Failure::Timeout
        } else {
            Failure::Network { online: online() }
        }
    })?;
    if response.type_() == ResponseType::Opaqueredirect {
        return Err(Failure::Redirect);
    }
    if !response.ok() {
        return Err(Failure::Status(response.status(), json::parse(&text).ok()));
    }
    Ok(text)
}
