//! Finishing a sign-in on the redirect page: reading the callback URL and checking it against the pending
//! attempt before any code is exchanged.

use crate::authorize::PendingAttempt;
use crate::discovery::Metadata;
use crate::error::{Code, Error, is_oauth_error_code};

/// The authorization response found in the redirect page's query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Callback {
    /// Binds the response to a pending attempt.
    pub state: String,
    /// RFC 9207 issuer identification, when the server sent it.
    pub iss: Option<String>,
    /// The code, or the server's refusal.
    pub outcome: Outcome,
}

/// What the server answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Success: the authorization code to exchange.
    Code(String),
    /// Failure: the OAuth `error` and optional `error_description`.
    Denied {
        /// The OAuth error code, e.g. `access_denied`.
        error: String,
        /// The server's explanation, if any.
        description: Option<String>,
    },
}

/// The query parameters the callback consists of; the element removes exactly these from the address bar.
pub const CALLBACK_PARAMS: [&str; 6] = [
    "code",
    "state",
    "iss",
    "error",
    "error_description",
    "error_uri",
];

/// Reads the callback from a query string (without `?`). `Ok(None)` when the query is not a callback (no
/// `state`, or neither `code` nor `error`); an error when it is one but malformed.
pub fn parse(query: &str) -> Result<Option<Callback>, Error> {
    let mut found: [Option<String>; CALLBACK_PARAMS.len()] = Default::default();
    for (key, value) in form_urlencoded::parse(query.trim_start_matches('?').as_bytes()) {
        if let Some(i) = CALLBACK_PARAMS.iter().position(|p| *p == key) {
            // RFC 6749 §3.1: parameters must not be repeated; a second value is an injection attempt.
            if found[i].replace(value.into_owned()).is_some() {
                return Err(Error::new(
                    Code::InvalidCallback,
                    format!("The callback URL carries the \"{key}\" parameter twice."),
                ));
            }
        }
    }
    let [code_param, state, iss, error, description, _] = found;
    let (Some(state), true) = (state, code_param.is_some() || error.is_some()) else {
        return Ok(None);
    };
    let outcome = match (code_param, error) {
        (Some(_), Some(_)) => {
            return Err(Error::new(
                Code::InvalidCallback,
                "The callback URL carries both a code and an error.",
            ));
        }
        (Some(code_value), None) if !code_value.is_empty() => Outcome::Code(code_value),
        (Some(_), None) => {
            return Err(Error::new(
                Code::InvalidCallback,
                "The callback URL carries an empty code.",
            ));
        }
        (None, Some(error)) => Outcome::Denied { error, description },
        (None, None) => unreachable!("checked above"),
    };
    Ok(Some(Callback {
        state,
        iss,
        outcome,
    }))
}

/// The query string (with its `?`, or empty) once the callback parameters are removed: what the address bar
/// keeps after the sign-in. Other parameters keep their exact encoding and order.
pub fn without_callback_params(query: &str) -> String {
    let kept: Vec<&str> = query
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| {
            let key = pair.split('=').next().unwrap_or_default();
            let key = form_urlencoded::parse(key.as_bytes())
                .next()
                .map(|(k, _)| k);
            !pair.is_empty() && !key.is_some_and(|k| CALLBACK_PARAMS.contains(&k.as_ref()))
        })
        .collect();
    if kept.is_empty() {
        String::new()
    } else {
        format!("?{}", kept.join("&"))
    }
}

impl Callback {
    /// Checks the callback against the attempt stored under its `state` (`None` when there was none, or it
    /// was already used) and returns the code to exchange with its attempt.
    pub fn verify(
        &self,
        pending: Option<PendingAttempt>,
        metadata: &Metadata,
        now_ms: f64,
    ) -> Result<(String, PendingAttempt), Error> {
        let pending = pending
            .filter(|p| p.state == self.state)
            .ok_or_else(not_started_here)?;
        if pending.is_expired(now_ms) {
            return Err(Error::new(
                Code::AttemptExpired,
                "The sign-in took longer than 10 minutes. Please sign in again.",
            ));
        }
        match &self.iss {
            Some(iss) if *iss != pending.issuer => {
                return Err(Error::new(
                    Code::IssuerMismatch,
                    format!(
                        "The sign-in response came from \"{iss}\", not from \"{}\".",
                        pending.issuer
                    ),
                ));
            }
            None if metadata.authorization_response_iss_parameter_supported => {
                return Err(Error::new(
                    Code::IssuerMismatch,
                    "The sign-in response lacks the issuer (iss) its server promises.",
                ));
            }
            _ => {}
        }
        match &self.outcome {
            Outcome::Code(code_value) => Ok((code_value.clone(), pending)),
            Outcome::Denied { error, description } => {
                let code = if is_oauth_error_code(error) {
                    error.as_str()
                } else {
                    "server_error"
                };
                let message = match code {
                    "access_denied" => "Sign-in was cancelled or access was denied.".to_owned(),
                    _ => format!("The authorization server refused the sign-in ({code})."),
                };
                let detail = description
                    .as_deref()
                    .filter(|d| is_oauth_error_code(d))
                    .map(|d| format!(" {d}"))
                    .unwrap_or_default();
                Err(Error::server(code.to_owned(), format!("{message}{detail}")))
            }
        }
    }
}

/// A response this tab did not start, or already used.
pub fn not_started_here() -> Error {
    Error::new(
        Code::StateMismatch,
        "This sign-in response was not started in this browser tab, or was already used. Please sign in again.",
    )
}

#[cfg(test)]
mod tests;
