//! The element's HTTP calls, with gloo-net: JSON answers, OAuth error bodies, and failures told apart.

use gloo_net::http::{Request, RequestBuilder};
use serde::de::DeserializeOwned;

use crate::error::{Error, code};
use crate::json;
use crate::token::ErrorResponse;

/// Why a request did not give the expected JSON.
#[derive(Debug)]
pub enum Failure {
    /// The request never got an answer: offline, DNS, or a CORS refusal.
    Network,
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
pub async fn get_json<T: DeserializeOwned>(url: &str, bearer: Option<&str>) -> Result<T, Failure> {
    let mut request = Request::get(url).header("Accept", "application/json");
    if let Some(token) = bearer {
        request = request.header("Authorization", &format!("Bearer {token}"));
    }
    send(request, None).await
}

/// POST a form-encoded body (token and revocation endpoints).
pub async fn post_form<T: DeserializeOwned>(url: &str, body: String) -> Result<T, Failure> {
    let request = Request::post(url).header("Content-Type", "application/x-www-form-urlencoded");
    send(request, Some(body)).await
}

/// POST a JSON body (the site's exchange backend).
pub async fn post_json<T: DeserializeOwned>(url: &str, body: String) -> Result<T, Failure> {
    let request = Request::post(url).header("Content-Type", "application/json");
    send(request, Some(body)).await
}

async fn send<T: DeserializeOwned>(
    request: RequestBuilder,
    body: Option<String>,
) -> Result<T, Failure> {
    let request = request.header("Accept", "application/json");
    let request = match body {
        Some(body) => request.body(body),
        None => request.build(),
    }
    .map_err(|_| Failure::Network)?;
    let response = request.send().await.map_err(|_| Failure::Network)?;
    let text = response.text().await.map_err(|_| Failure::Network)?;
    if !response.ok() {
        return Err(Failure::Status(response.status(), json::parse(&text).ok()));
    }
    json::parse(&text).map_err(Failure::Body)
}
