//! The element's HTTP calls, with gloo-net: JSON answers, OAuth error bodies, and failures told apart.

use std::time::Duration;

use gloo_net::http::{Request, RequestBuilder};
use leptos::prelude::set_timeout_with_handle;
use web_sys::AbortController;

use crate::error::{Error, code};
use crate::fields::FromJson;
use crate::json;
use crate::token::ErrorResponse;

/// How long a request (answer and body) may take: a server that hangs must not leave the button busy forever.
pub const TIMEOUT: Duration = Duration::from_secs(30);

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
}

impl Failure {
    /// The element's error for this failure of a call to `what` (e.g. "the token endpoint").
    pub fn into_error(self, what: &str) -> Error {
        match self {
            Failure::Network => Error::new(
                code::NETWORK_ERROR,
                format!("Could not reach {what}. Check your connection and try again."),
            ),
            Failure::Timeout => Error::new(
                code::NETWORK_ERROR,
                format!(
                    "{what} did not answer within {} seconds. Try again.",
                    TIMEOUT.as_secs()
                ),
            ),
            Failure::Status(status, Some(body)) => Error::new(
                code::TOKEN_REQUEST_FAILED,
                format!(
                    "{what} refused the request with HTTP {status} ({}){}",
                    body.error,
                    body.error_description
                        .map(|d| format!(": {d}"))
                        .unwrap_or_default()
                ),
            ),
            Failure::Status(status, None) => Error::new(
                code::TOKEN_REQUEST_FAILED,
                format!("{what} answered HTTP {status}."),
            ),
            Failure::Body(why) => Error::new(
                code::INVALID_TOKEN_RESPONSE,
                format!("The answer from {what} is not valid: {why}."),
            ),
        }
    }
}

/// GET JSON, with a bearer token when given.
pub async fn get_json<T: FromJson>(url: &str, bearer: Option<&str>) -> Result<T, Failure> {
    let mut request = Request::get(url).header("Accept", "application/json");
    if let Some(token) = bearer {
        request = request.header("Authorization", &format!("Bearer {token}"));
    }
    read(send(request, None).await)
}

/// POST a form-encoded body (token and revocation endpoints).
pub async fn post_form<T: FromJson>(url: &str, body: String) -> Result<T, Failure> {
    let request = Request::post(url).header("Content-Type", "application/x-www-form-urlencoded");
    read(send(request, Some(body)).await)
}

/// POST a JSON body (the site's exchange backend).
pub async fn post_json<T: FromJson>(url: &str, body: String) -> Result<T, Failure> {
    let request = Request::post(url).header("Content-Type", "application/json");
    read(send(request, Some(body)).await)
}

/// A successful answer's JSON, read as `T`.
fn read<T: FromJson>(answer: Result<String, Failure>) -> Result<T, Failure> {
    json::parse(&answer?).map_err(Failure::Body)
}

/// The text of a successful answer. Not generic, so that one copy of it serves every call.
async fn send(request: RequestBuilder, body: Option<String>) -> Result<String, Failure> {
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
    let timer = set_timeout_with_handle(move || abort.abort(), TIMEOUT).ok();
    let answer = async {
        let response = request.send().await?;
        let text = response.text().await?;
        Ok::<_, gloo_net::Error>((response, text))
    }
    .await;
    if let Some(timer) = timer {
        timer.clear();
    }
    let (response, text) = answer.map_err(|_| {
        if controller.signal().aborted() {
            Failure::Timeout
        } else {
            Failure::Network
        }
    })?;
    if !response.ok() {
        return Err(Failure::Status(response.status(), json::parse(&text).ok()));
    }
    Ok(text)
}
