//! The element's HTTP calls, with gloo-net: JSON answers, OAuth error bodies, and failures told apart.

use std::time::Duration;

use gloo_net::http::{Request, RequestBuilder};
use leptos::prelude::{TimeoutHandle, set_timeout_with_handle};
use web_sys::{AbortController, RequestRedirect, ResponseType};

use crate::error::{Code, Error};
use crate::fields::FromJson;
use crate::token::ErrorResponse;
use crate::{json, page};

/// How long a request (answer and body) may take: a server that hangs must not leave the button busy forever.
pub const TIMEOUT: Duration = Duration::from_secs(30);
/// The userinfo request's: the name it brings is a nicety, and the sign-in waits for it.
pub const USERINFO_TIMEOUT: Duration = Duration::from_secs(5);

/// Why a request did not give the expected JSON.
#[derive(Debug)]
pub enum Failure {
    /// The request never got an answer: offline, DNS, or a CORS refusal.
    Network,
    /// No complete answer within [`TIMEOUT`]; the request was aborted.
    Timeout,
    /// An error status, with the OAuth error body when there was one.
    Status(u16, Option<ErrorResponse>),
    /// A success status whose body is not the expected JSON.
    Body(String),
    /// A redirect, which requests carrying a code, a verifier or a token never follow: the browser would send
    /// them on to wherever the `Location` points.
    Redirect,
}

impl Failure {
    /// What went wrong, worded to follow "Could not load …:".
    pub fn why(self) -> String {
        match self {
            Failure::Network => format!("it could not be reached. {}", unreachable_hint()),
            Failure::Timeout => "it did not answer in time".to_owned(),
            Failure::Status(status, _) => format!("it answered HTTP {status}"),
            Failure::Body(why) => why,
            Failure::Redirect => "it answered with a redirect".to_owned(),
        }
    }

    /// The element's error for this failure of a call to `what` (e.g. "the token endpoint").
    pub fn into_error(self, what: &str) -> Error {
        match self {
            Failure::Network => Error::new(
                Code::NetworkError,
                format!("Could not reach {what}. {}", unreachable_hint()),
            ),
            Failure::Timeout => Error::new(
                Code::NetworkError,
                format!(
                    "{what} did not answer within {} seconds. Try again.",
                    TIMEOUT.as_secs()
                ),
            ),
            Failure::Status(status, Some(body)) => Error::new(
                Code::TokenRequestFailed,
                format!(
                    "{what} refused the request with HTTP {status} ({}){}",
                    body.error,
                    body.error_description
                        .map(|d| format!(": {d}"))
                        .unwrap_or_default()
                ),
            ),
            Failure::Status(status, None) => Error::new(
                Code::TokenRequestFailed,
                format!("{what} answered HTTP {status}."),
            ),
            Failure::Body(why) => Error::new(
                Code::InvalidTokenResponse,
                format!("The answer from {what} is not valid: {why}."),
            ),
            Failure::Redirect => Error::new(
                Code::TokenRequestFailed,
                format!(
                    "{what} answered with a redirect, which the element does not follow for a request that carries a code or a token."
                ),
            ),
        }
    }
}

/// The `exchangeuri` backend, as messages name it.
pub const BACKEND: &str = "the site's exchange backend";

/// Where the README explains the backend exchange, for the messages that send a developer there.
pub const BACKEND_DOCS: &str = "https://github.com/anypoint-signin/anypoint-signin#the-backend-libraries-confidential-connected-apps";

/// What to do about a request that got no answer. Online, it is most often the server refusing this page's
/// origin (CORS): Anypoint may not accept browser requests for a connected app, whose code then needs a backend.
fn unreachable_hint() -> String {
    if !page::window().navigator().on_line() {
        return "The browser is offline: check the connection and try again.".to_owned();
    }
    format!(
        "The browser is online, so the server may not accept requests from this page (CORS): a connected app with a client secret must exchange the code on your server, with the exchangeuri attribute ({BACKEND_DOCS})."
    )
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
    let controller = AbortController::new().map_err(|_| Failure::Network)?;
    let request = request
        .header("Accept", "application/json")
        .abort_signal(Some(&controller.signal()));
    let request = match body {
        Some(body) => request.body(body),
        None => request.build(),
    }
    .map_err(|_| Failure::Network)?;
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
            Failure::Network
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
