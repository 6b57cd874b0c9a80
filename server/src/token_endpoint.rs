//! The authorization server's token and revocation endpoints: a form POST with the client secret, bounded in
//! time and size, never following a redirect (the form carries the secret), and its answer judged before any
//! of it reaches a browser.

use std::time::Duration;

use axum::http::StatusCode;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use crate::answer::{Answer, oauth_error, text};

/// The most of an answer read: a token response is a few kilobytes.
const MAX_ANSWER_BYTES: usize = 1024 * 1024;

/// One client for every request: its connection pool is shared. `None` when the TLS backend could not start:
/// then every request fails as unreachable, never through a client that follows redirects or waits forever.
#[derive(Clone)]
pub(crate) struct Client(Option<reqwest::Client>);

/// A token endpoint's answer, judged.
pub(crate) enum Reply {
    /// A token response (2xx, a JSON object): the answer for the browser, without the refresh token, which
    /// is here, with its lifetime in seconds when the server says it.
    Tokens(Answer, Option<String>, Option<u64>),
    /// An OAuth error to relay (4xx, a JSON object), with its `error`.
    Refused(Answer, Option<String>),
    /// Anything else, already turned into the `server_error` the browser gets.
    Failed(Answer),
}

/// A token endpoint's answer, a JSON object, as relayed: the fields the backend acts on, and every other one
/// as the server sent it. A field the backend reads counts as absent when it is of another type (the JavaScript
/// library reads it so too), and is then not relayed either.
#[derive(Default, Deserialize, Serialize)]
#[serde(default)]
struct Relayed {
    /// Kept in the session cookie: in no answer.
    #[serde(deserialize_with = "typed", skip_serializing)]
    refresh_token: Option<String>,
    /// The refresh token's lifetime in seconds.
    #[serde(deserialize_with = "typed", skip_serializing_if = "Option::is_none")]
    refresh_token_expires_in: Option<u64>,
    /// The same, as Keycloak names it.
    #[serde(deserialize_with = "typed", skip_serializing_if = "Option::is_none")]
    refresh_expires_in: Option<u64>,
    /// A refusal's OAuth error code.
    #[serde(deserialize_with = "typed", skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    /// Every other field, as sent.
    #[serde(flatten)]
    rest: Map<String, Value>,
}

/// The field, or `None` when it is of another type.
fn typed<'de, D: Deserializer<'de>, T: DeserializeOwned>(field: D) -> Result<Option<T>, D::Error> {
    Ok(T::deserialize(Value::deserialize(field)?).ok())
}

/// How long an idle connection to the token endpoint is kept for the next request.
const IDLE: Duration = Duration::from_secs(4);

impl Client {
    pub(crate) fn new(timeout: Duration) -> Client {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(timeout)
            // An idle connection is dropped before servers drop theirs (Node's keep-alive is 5 s, load
            // balancers' often 60 s): a POST on a connection the server is closing fails, and a token request
            // is never sent twice (its code or rotated refresh token is spent once).
            .pool_idle_timeout(IDLE)
            .build();
        if let Err(why) = &client {
            eprintln!("anypoint-signin-server: the HTTP client could not start: {why}");
        }
        Client(client.ok())
    }

    /// POSTs `form` to the token endpoint; `never_echoed` are the values (the secret, a refresh token) that no
    /// answer may carry to a browser.
    pub(crate) async fn token(
        &self,
        endpoint: &str,
        form: &[(&str, &str)],
        never_echoed: &[&str],
    ) -> Reply {
        let (status, body) = match self.post(endpoint, form).await {
            Ok(answer) => answer,
            Err(failure) => return Reply::Failed(failure.answer()),
        };
        let relayable = StatusCode::from_u16(status)
            .ok()
            .filter(|s| s.is_success() || s.is_client_error());
        let (Some(status), Ok(answer)) = (relayable, serde_json::from_slice::<Relayed>(&body))
        else {
            eprintln!("anypoint-signin-server: the token endpoint answered HTTP {status}");
            let why = format!("the token endpoint answered HTTP {status}");
            return Reply::Failed(oauth_error(StatusCode::BAD_GATEWAY, "server_error", &why));
        };
        // A server that echoes the form back would hand the secret (or the refresh token) to the browser:
        // looked for in what would be relayed (a token response's own `refresh_token` stays here), as JSON
        // writes it.
        let relayed = text(&answer);
        let escaped = |v: &str| text(&v).trim_matches('"').to_owned();
        if never_echoed.iter().any(|v| relayed.contains(&escaped(v))) {
            eprintln!(
                "anypoint-signin-server: the token endpoint's answer contained the client secret or the refresh token; not relayed"
            );
            return Reply::Failed(oauth_error(
                StatusCode::BAD_GATEWAY,
                "server_error",
                "the token endpoint's answer was refused",
            ));
        }
        if !status.is_success() {
            return Reply::Refused(Answer::text(status, relayed), answer.error);
        }
        let refresh_token = answer.refresh_token.filter(|t| !t.is_empty());
        let lifetime = answer
            .refresh_token_expires_in
            .or(answer.refresh_expires_in);
        Reply::Tokens(
            Answer::text(StatusCode::OK, relayed),
            refresh_token,
            lifetime,
        )
    }

    /// POSTs `form` to the revocation endpoint (RFC 7009); whether it answered 2xx.
    pub(crate) async fn revoke(&self, endpoint: &str, form: &[(&str, &str)]) -> bool {
        match self.post(endpoint, form).await {
            Ok((status, _)) if (200..300).contains(&status) => true,
            Ok((status, _)) => {
                eprintln!("anypoint-signin-server: the revocation endpoint answered HTTP {status}");
                false
            }
            Err(failure) => {
                eprintln!("anypoint-signin-server: the revocation {}", failure.said());
                false
            }
        }
    }

    async fn post(&self, endpoint: &str, form: &[(&str, &str)]) -> Result<(u16, Vec<u8>), Failure> {
        let Some(client) = &self.0 else {
            return Err(Failure::Unreachable);
        };
        let mut response = client
            .post(endpoint)
            .header("accept", "application/json")
            .form(form)
            .send()
            .await
            .map_err(Failure::of)?;
        let status = response.status().as_u16();
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(Failure::of)? {
            if body.len() + chunk.len() > MAX_ANSWER_BYTES {
                return Err(Failure::TooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        Ok((status, body))
    }
}

/// Why a request got no usable answer.
enum Failure {
    Timeout,
    Unreachable,
    TooLarge,
}

impl Failure {
    fn of(error: reqwest::Error) -> Failure {
        match error.is_timeout() {
            true => Failure::Timeout,
            false => Failure::Unreachable,
        }
    }

    /// For the log: what happened, never a value of the request.
    fn said(&self) -> &'static str {
        match self {
            Failure::Timeout => "endpoint did not answer in time",
            Failure::Unreachable => "endpoint could not be reached",
            Failure::TooLarge => "endpoint's answer is over 1 MiB",
        }
    }

    fn answer(self) -> Answer {
        eprintln!("anypoint-signin-server: the token {}", self.said());
        let (status, why) = match self {
            Failure::Timeout => (
                StatusCode::GATEWAY_TIMEOUT,
                "the token endpoint did not answer in time",
            ),
            Failure::Unreachable => (
                StatusCode::BAD_GATEWAY,
                "the token endpoint could not be reached",
            ),
            Failure::TooLarge => (
                StatusCode::BAD_GATEWAY,
                "the token endpoint's answer is over 1 MiB",
            ),
        };
        oauth_error(status, "server_error", why)
    }
}
