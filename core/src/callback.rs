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
        let pending = pending.filter(|p| p.state == self.state).ok_or_else(|| {
            Error::new(
                Code::StateMismatch,
                "This sign-in response was not started in this browser tab, or was already used. Please sign in again.",
            )
        })?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::region::Region;

    fn pending() -> PendingAttempt {
        PendingAttempt {
            state: "s1".into(),
            issuer: Region::Us.issuer(),
            ..PendingAttempt::example()
        }
    }

    fn metadata(iss_promised: bool) -> Metadata {
        Metadata {
            authorization_response_iss_parameter_supported: iss_promised,
            ..Region::Us.documented_metadata()
        }
    }

    fn verify(query: &str, iss_promised: bool) -> Result<String, Error> {
        parse(query)
            .unwrap()
            .unwrap()
            .verify(Some(pending()), &metadata(iss_promised), 1000.0)
            .map(|(code, _)| code)
    }

    #[test]
    fn cleaning_removes_exactly_the_callback_parameters() {
        assert_eq!(without_callback_params("?code=a&state=b&iss=c"), "");
        assert_eq!(
            without_callback_params(
                "?tab=2&code=a&state=b&q=a%20b+c&error_description=x&error_uri=y"
            ),
            "?tab=2&q=a%20b+c"
        );
        assert_eq!(
            without_callback_params("?co%64e=a&keep"),
            "?keep",
            "encoded keys are decoded first"
        );
        assert_eq!(without_callback_params(""), "");
    }

    #[test]
    fn parses_success_and_error_responses() {
        let cb = parse("?code=abc%20d&state=s1&iss=https%3A%2F%2Fx&other=1")
            .unwrap()
            .unwrap();
        assert_eq!(cb.outcome, Outcome::Code("abc d".into()));
        assert_eq!(cb.state, "s1");
        assert_eq!(cb.iss.as_deref(), Some("https://x"));

        let cb = parse("error=access_denied&error_description=User+said+no&state=s1")
            .unwrap()
            .unwrap();
        assert_eq!(
            cb.outcome,
            Outcome::Denied {
                error: "access_denied".into(),
                description: Some("User said no".into())
            }
        );
    }

    #[test]
    fn a_query_without_state_or_result_is_not_a_callback() {
        assert_eq!(parse("").unwrap(), None);
        assert_eq!(parse("code=abc").unwrap(), None);
        assert_eq!(parse("state=s1").unwrap(), None);
        assert_eq!(parse("page=2&sort=asc").unwrap(), None);
    }

    #[test]
    fn repeated_or_conflicting_parameters_are_refused() {
        for query in [
            "code=a&code=b&state=s1",
            "code=a&state=s1&state=s2",
            "code=a&error=x&state=s1",
            "code=&state=s1",
        ] {
            assert_eq!(
                parse(query).unwrap_err().code(),
                Code::InvalidCallback,
                "{query}"
            );
        }
    }

    #[test]
    fn a_matching_callback_yields_its_code() {
        let iss =
            form_urlencoded::byte_serialize(Region::Us.issuer().as_bytes()).collect::<String>();
        assert_eq!(
            verify(&format!("code=abc&state=s1&iss={iss}"), true).unwrap(),
            "abc"
        );
        assert_eq!(verify("code=abc&state=s1", false).unwrap(), "abc");
    }

    #[test]
    fn unknown_or_used_state_is_refused() {
        let cb = parse("code=abc&state=forged").unwrap().unwrap();
        assert_eq!(
            cb.verify(Some(pending()), &metadata(false), 0.0)
                .unwrap_err()
                .code(),
            Code::StateMismatch
        );
        let cb = parse("code=abc&state=s1").unwrap().unwrap();
        assert_eq!(
            cb.verify(None, &metadata(false), 0.0).unwrap_err().code(),
            Code::StateMismatch
        );
    }

    #[test]
    fn expired_attempts_are_refused() {
        let cb = parse("code=abc&state=s1").unwrap().unwrap();
        let err = cb
            .verify(Some(pending()), &metadata(false), 11.0 * 60.0 * 1000.0)
            .unwrap_err();
        assert_eq!(err.code(), Code::AttemptExpired);
    }

    #[test]
    fn issuer_mix_up_is_refused() {
        assert_eq!(
            verify("code=abc&state=s1&iss=https%3A%2F%2Fevil.example", false)
                .unwrap_err()
                .code(),
            Code::IssuerMismatch
        );
        assert_eq!(
            verify("code=abc&state=s1", true).unwrap_err().code(),
            Code::IssuerMismatch
        );
    }

    #[test]
    fn server_errors_keep_their_code_but_not_hostile_text() {
        let err = verify("error=access_denied&state=s1", false).unwrap_err();
        assert_eq!(err.code(), "access_denied");
        let err = verify(
            "error=invalid_scope&error_description=Scope+x+unknown&state=s1",
            false,
        )
        .unwrap_err();
        assert_eq!(err.code(), "invalid_scope");
        assert!(
            err.message().ends_with("(invalid_scope). Scope x unknown"),
            "{}",
            err.message()
        );
        let err = verify(
            "error=%3Cimg%0A%3E&error_description=%22%5C&state=s1",
            false,
        )
        .unwrap_err();
        assert_eq!(err.code(), "server_error");
        assert!(!err.message().contains('"'));
    }

    #[test]
    fn a_server_error_for_another_attempt_is_still_a_state_mismatch() {
        let cb = parse("error=access_denied&state=forged").unwrap().unwrap();
        assert_eq!(
            cb.verify(Some(pending()), &metadata(false), 0.0)
                .unwrap_err()
                .code(),
            Code::StateMismatch
        );
    }
}
