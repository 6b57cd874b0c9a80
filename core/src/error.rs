//! Every way a sign-in can fail, as a stable machine-readable code plus a message for people.
//!
//! The code is the `code` field of the `anypoint-signin-error` event: pages branch on it, so a code, once
//! published, never changes meaning. The message is what the element shows and logs.

use std::fmt;

use crate::text;

/// The longest message the element shows or dispatches, in characters.
pub const MAX_MESSAGE_CHARS: usize = 400;

/// A failure the element reports: shown in the element, logged with `console.error`, and dispatched as
/// `anypoint-signin-error` with detail `{code, message}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    code: ErrorCode,
    message: String,
}

/// Whose code an [`Error`] carries: the element's own, or one the authorization server sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    /// A failure the element found.
    Element(Code),
    /// An OAuth error the server reported (`access_denied`, …), checked by [`is_oauth_error_code`].
    Server(String),
}

impl ErrorCode {
    /// The code as pages see it: the event's `detail.code`.
    pub fn as_str(&self) -> &str {
        match self {
            ErrorCode::Element(code) => code.as_str(),
            ErrorCode::Server(code) => code,
        }
    }
}

/// An element's code is only ever equal to that code: never to a server's code that spells it.
impl PartialEq<Code> for ErrorCode {
    fn eq(&self, code: &Code) -> bool {
        *self == ErrorCode::Element(*code)
    }
}

impl PartialEq<Code> for &ErrorCode {
    fn eq(&self, code: &Code) -> bool {
        **self == *code
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The element's own error codes, published as `code` (see [`Code::as_str`]). Authorization-server errors
/// (`access_denied`, `invalid_scope`, …) keep the code the server sent, as RFC 6749 defines them
/// ([`Error::server`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    /// The `clientid` attribute is missing or empty.
    MissingClientId,
    /// `redirecturi` is not an absolute https URL (http only on loopback) without a fragment.
    InvalidRedirectUri,
    /// `region` is not one of `us`, `eu`, `ca`, `jp`, `gov`.
    InvalidRegion,
    /// `authority` is not an absolute https URL (http only on loopback).
    InvalidAuthority,
    /// `exchangeuri` is neither a same-origin path nor an absolute https URL.
    InvalidExchangeUri,
    /// `scopes` holds a character RFC 6749 does not allow in a scope.
    InvalidScopes,
    /// `storage` is not `session` or `memory`.
    InvalidStorage,
    /// An option attribute (`mode`, `signout`, `authtype`, `theme`, `size`, `shape`, `width`) has a value that is
    /// not one of its choices.
    InvalidAttribute,
    /// The discovery document could not be fetched, or says something unsafe.
    DiscoveryFailed,
    /// The callback's `state` matches no pending attempt: forged, from another tab, or already used.
    StateMismatch,
    /// The callback answers an attempt of this tab that no element on the page may finish: its `clientid`,
    /// issuer or `exchangeuri` is not the attempt's (a mix-up, RFC 9700 §4.4). The attempt is consumed.
    AttemptMismatch,
    /// The pending attempt is older than ten minutes.
    AttemptExpired,
    /// The callback's `iss` is another issuer, or missing when the server promises it (RFC 9207).
    IssuerMismatch,
    /// The callback URL carries a parameter twice, or both `code` and `error`.
    InvalidCallback,
    /// The token endpoint (or the site's exchange backend) answered with an error status.
    TokenRequestFailed,
    /// The token response is not JSON, or lacks what RFC 6749 / OpenID Connect require.
    InvalidTokenResponse,
    /// The id_token's claims do not match this sign-in (issuer, audience, nonce, expiry).
    InvalidIdToken,
    /// Renewal stopped: the server keeps issuing tokens that expire within seconds. The session ends at expiry.
    RenewalFailed,
    /// A request did not reach the server (offline, DNS, CORS refusal).
    NetworkError,
    /// The page cancelled `anypoint-code-exchange` without handing back a token response.
    ExchangeNotHandled,
    /// sessionStorage is unavailable (blocked by the browser or the page).
    StorageUnavailable,
    /// The browser blocked the sign-in popup (`mode="popup"`); the element continues in the tab unless the page
    /// cancels this error event.
    PopupBlocked,
    /// The user closed the sign-in popup before signing in.
    PopupClosed,
    /// The host already has a shadow root the element cannot use (a closed declarative one): no button.
    ShadowRootUnavailable,
    /// The browser lacks Web Crypto, or refused to navigate.
    UnsupportedBrowser,
    /// `element.fetch()` was asked to send the token to an origin outside `fetchorigins`: nothing was sent.
    FetchRefused,
    /// `element.fetch()` was called with no one signed in: nothing was sent.
    NotSignedIn,
}

impl Code {
    /// Every code, as published (www/meta/registry.json lists them from here).
    pub const ALL: [Code; 27] = [
        Code::MissingClientId,
        Code::InvalidRedirectUri,
        Code::InvalidRegion,
        Code::InvalidAuthority,
        Code::InvalidExchangeUri,
        Code::InvalidScopes,
        Code::InvalidStorage,
        Code::InvalidAttribute,
        Code::DiscoveryFailed,
        Code::StateMismatch,
        Code::AttemptMismatch,
        Code::AttemptExpired,
        Code::IssuerMismatch,
        Code::InvalidCallback,
        Code::TokenRequestFailed,
        Code::InvalidTokenResponse,
        Code::InvalidIdToken,
        Code::RenewalFailed,
        Code::NetworkError,
        Code::ExchangeNotHandled,
        Code::StorageUnavailable,
        Code::PopupBlocked,
        Code::PopupClosed,
        Code::ShadowRootUnavailable,
        Code::UnsupportedBrowser,
        Code::FetchRefused,
        Code::NotSignedIn,
    ];

    /// The code as pages see it: the event's `detail.code`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::MissingClientId => "missing_client_id",
            Code::InvalidRedirectUri => "invalid_redirect_uri",
            Code::InvalidRegion => "invalid_region",
            Code::InvalidAuthority => "invalid_authority",
            Code::InvalidExchangeUri => "invalid_exchange_uri",
            Code::InvalidScopes => "invalid_scopes",
            Code::InvalidStorage => "invalid_storage",
            Code::InvalidAttribute => "invalid_attribute",
            Code::DiscoveryFailed => "discovery_failed",
            Code::StateMismatch => "state_mismatch",
            Code::AttemptMismatch => "attempt_mismatch",
            Code::AttemptExpired => "attempt_expired",
            Code::IssuerMismatch => "issuer_mismatch",
            Code::InvalidCallback => "invalid_callback",
            Code::TokenRequestFailed => "token_request_failed",
            Code::InvalidTokenResponse => "invalid_token_response",
            Code::InvalidIdToken => "invalid_id_token",
            Code::RenewalFailed => "renewal_failed",
            Code::NetworkError => "network_error",
            Code::ExchangeNotHandled => "exchange_not_handled",
            Code::StorageUnavailable => "storage_unavailable",
            Code::PopupBlocked => "popup_blocked",
            Code::PopupClosed => "popup_closed",
            Code::ShadowRootUnavailable => "shadow_root_unavailable",
            Code::UnsupportedBrowser => "unsupported_browser",
            Code::FetchRefused => "fetch_refused",
            Code::NotSignedIn => "not_signed_in",
        }
    }
}

impl Error {
    /// An error with the given stable code and human message. Messages often quote a server's words, so every
    /// one is cleaned here ([`text::clean`]): no controls, no bidi overrides, at most [`MAX_MESSAGE_CHARS`].
    pub fn new(code: Code, message: impl AsRef<str>) -> Self {
        Self {
            code: ErrorCode::Element(code),
            message: text::clean(message.as_ref(), MAX_MESSAGE_CHARS),
        }
    }

    /// An error the authorization server reported with its own OAuth `code` (checked by the caller:
    /// [`is_oauth_error_code`]).
    pub fn server(code: String, message: impl AsRef<str>) -> Self {
        Self {
            code: ErrorCode::Server(code),
            message: text::clean(message.as_ref(), MAX_MESSAGE_CHARS),
        }
    }

    /// The stable machine-readable code.
    pub fn code(&self) -> &ErrorCode {
        &self.code
    }

    /// The message for people.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

impl std::error::Error for Error {}

/// Whether `s` is a legal OAuth error code (RFC 6749 §4.1.2.1: %x20-21 / %x23-5B / %x5D-7E). A server-sent
/// code becomes our event's `code` only when it is, so a hostile callback cannot inject markup or control
/// characters into it.
pub fn is_oauth_error_code(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| matches!(b, 0x20..=0x21 | 0x23..=0x5B | 0x5D..=0x7E))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_listed_once_with_its_own_word() {
        // A new variant fails to compile here until it has its place in `Code::ALL`.
        let place = |code: Code| match code {
            Code::MissingClientId => 0,
            Code::InvalidRedirectUri => 1,
            Code::InvalidRegion => 2,
            Code::InvalidAuthority => 3,
            Code::InvalidExchangeUri => 4,
            Code::InvalidScopes => 5,
            Code::InvalidStorage => 6,
            Code::InvalidAttribute => 7,
            Code::DiscoveryFailed => 8,
            Code::StateMismatch => 9,
            Code::AttemptMismatch => 10,
            Code::AttemptExpired => 11,
            Code::IssuerMismatch => 12,
            Code::InvalidCallback => 13,
            Code::TokenRequestFailed => 14,
            Code::InvalidTokenResponse => 15,
            Code::InvalidIdToken => 16,
            Code::RenewalFailed => 17,
            Code::NetworkError => 18,
            Code::ExchangeNotHandled => 19,
            Code::StorageUnavailable => 20,
            Code::PopupBlocked => 21,
            Code::PopupClosed => 22,
            Code::ShadowRootUnavailable => 23,
            Code::UnsupportedBrowser => 24,
            Code::FetchRefused => 25,
            Code::NotSignedIn => 26,
        };
        for (i, code) in Code::ALL.into_iter().enumerate() {
            assert_eq!(place(code), i, "{code:?}");
            assert!(is_oauth_error_code(code.as_str()) && !code.as_str().contains(' '));
            assert!(
                !Code::ALL[..i].iter().any(|c| c.as_str() == code.as_str()),
                "{code:?}"
            );
        }
    }

    #[test]
    fn display_shows_message_and_code() {
        let e = Error::new(Code::StateMismatch, "Unknown state");
        assert_eq!(e.to_string(), "Unknown state (state_mismatch)");
        assert_eq!(e.code(), Code::StateMismatch);
        assert_eq!(e.code().as_str(), "state_mismatch");
        assert_eq!(e.message(), "Unknown state");
    }

    #[test]
    fn a_server_code_that_spells_an_element_code_is_not_that_code() {
        let sent = Error::server("network_error".into(), "from the server");
        assert_ne!(sent.code(), Code::NetworkError);
        assert_eq!(sent.code(), &ErrorCode::Server("network_error".into()));
        assert_eq!(sent.code().as_str(), Code::NetworkError.as_str());
    }

    #[test]
    fn every_message_is_cleaned_of_what_a_server_could_slip_in() {
        let hostile = format!("refused:\u{202E}\u{7}\u{0} {}", "x".repeat(1_000_000));
        let e = Error::new(Code::TokenRequestFailed, hostile);
        assert_eq!(e.message().chars().count(), MAX_MESSAGE_CHARS);
        assert!(e.message().ends_with('…'));
        assert!(!e.message().contains(['\u{202E}', '\u{7}', '\u{0}']));
    }

    #[test]
    fn oauth_error_codes_are_restricted_to_the_rfc_charset() {
        assert!(is_oauth_error_code("access_denied"));
        assert!(!is_oauth_error_code(""));
        assert!(!is_oauth_error_code("a\"b"));
        assert!(!is_oauth_error_code("a\\b"));
        assert!(!is_oauth_error_code("new\nline"));
        assert!(!is_oauth_error_code("é"));
    }
}
