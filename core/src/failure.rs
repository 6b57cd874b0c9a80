//! Why a request did not give what it should, and how the element says so: which code, and what to do.

use crate::error::{Code, Error};
use crate::token::response::ErrorResponse;

/// How long a request (answer and body) may take, in seconds.
pub const TIMEOUT_SECS: u64 = 30;

/// Where the README explains the backend exchange, for the messages that send a developer there.
pub const BACKEND_DOCS: &str = "https://github.com/anypoint-signin/anypoint-signin#the-backend-libraries-confidential-connected-apps";

/// Why a request did not give the expected JSON.
#[derive(Debug)]
pub enum Failure {
    /// The request never got an answer: offline, DNS, or a CORS refusal; `online` as the browser said then.
    Network {
        /// The browser said it was online.
        online: bool,
    },
    /// No complete answer within [`TIMEOUT_SECS`]; the request was aborted.
    Timeout,
    /// An error status, with the OAuth error body when there was one.
    Status(u16, Option<ErrorResponse>),
    /// A success status whose body is not the expected JSON.
    Body(String),
    /// A redirect, which requests carrying a code, a verifier or a token never follow: the browser would send
    /// them on to wherever the `Location` points.
    Redirect,
    /// The request's DPoP proof could not be made (no key, or the browser's Web Crypto failed): not sent.
    Unsigned(Error),
}

impl Failure {
    /// What went wrong, worded to follow "Could not load …:".
    pub fn why(self) -> String {
        match self {
            Failure::Network { online } => {
                format!("it could not be reached. {}", unreachable_hint(online))
            }
            Failure::Timeout => "it did not answer in time".to_owned(),
            Failure::Status(status, _) => format!("it answered HTTP {status}"),
            Failure::Body(why) => why,
            Failure::Redirect => "it answered with a redirect".to_owned(),
            Failure::Unsigned(error) => error.message().to_owned(),
        }
    }

    /// The element's error for this failure of a call to `what` (e.g. "the token endpoint").
    pub fn into_error(self, what: &str) -> Error {
        match self {
            Failure::Network { online } => Error::new(
                Code::NetworkError,
                format!("Could not reach {what}. {}", unreachable_hint(online)),
            ),
            Failure::Timeout => Error::new(
                Code::NetworkError,
                format!("{what} did not answer within {TIMEOUT_SECS} seconds. Try again."),
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
            Failure::Unsigned(error) => error,
        }
    }
}

/// What to do about a request that got no answer. Online, it is most often the server refusing this page's
/// origin (CORS): Anypoint may not accept browser requests for a connected app, whose code then needs a backend.
fn unreachable_hint(online: bool) -> String {
    if !online {
        return "The browser is offline: check the connection and try again.".to_owned();
    }
    format!(
        "The browser is online, so the server may not accept requests from this page (CORS): a connected app with a client secret must exchange the code on your server, with the exchangeuri attribute ({BACKEND_DOCS})."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(failure: Failure) -> Error {
        failure.into_error("the token endpoint")
    }

    #[test]
    fn each_failure_has_its_code_and_says_what_to_do() {
        let offline = error(Failure::Network { online: false });
        assert_eq!(offline.code(), Code::NetworkError);
        assert!(
            offline.message().contains("offline"),
            "{}",
            offline.message()
        );
        let refused = error(Failure::Network { online: true });
        assert!(
            refused.message().contains("CORS") && refused.message().contains("exchangeuri"),
            "{}",
            refused.message()
        );
        assert!(refused.message().contains(BACKEND_DOCS));
        let slow = error(Failure::Timeout);
        assert_eq!(slow.code(), Code::NetworkError);
        assert!(slow.message().contains("30 seconds"), "{}", slow.message());
    }

    #[test]
    fn a_refusal_quotes_the_servers_oauth_error_and_a_redirect_is_never_followed() {
        let body = ErrorResponse {
            error: "invalid_grant".into(),
            error_description: Some("code used".into()),
        };
        let refused = error(Failure::Status(400, Some(body)));
        assert_eq!(
            refused.code(),
            Code::TokenRequestFailed,
            "the element's code, not the server's"
        );
        assert_eq!(
            refused.message(),
            "the token endpoint refused the request with HTTP 400 (invalid_grant): code used"
        );
        assert_eq!(
            error(Failure::Status(502, None)).message(),
            "the token endpoint answered HTTP 502."
        );
        assert_eq!(error(Failure::Redirect).code(), Code::TokenRequestFailed);
        assert_eq!(
            error(Failure::Body("no access_token".into())).code(),
            Code::InvalidTokenResponse
        );
    }
}
