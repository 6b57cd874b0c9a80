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
    code: String,
    message: String,
}

/// The element's own error codes. Authorization-server errors (`access_denied`, `invalid_scope`, …) keep the
/// code the server sent, as RFC 6749 defines them.
pub mod code {
    /// The `clientid` attribute is missing or empty.
    pub const MISSING_CLIENT_ID: &str = "missing_client_id";
    /// `redirecturi` is not an absolute https URL (http only on loopback) without a fragment.
    pub const INVALID_REDIRECT_URI: &str = "invalid_redirect_uri";
    /// `region` is not one of `us`, `eu`, `ca`, `jp`, `gov`.
    pub const INVALID_REGION: &str = "invalid_region";
    /// `authority` is not an absolute https URL (http only on loopback).
    pub const INVALID_AUTHORITY: &str = "invalid_authority";
    /// `exchangeuri` is neither a same-origin path nor an absolute https URL.
    pub const INVALID_EXCHANGE_URI: &str = "invalid_exchange_uri";
    /// `scopes` holds a character RFC 6749 does not allow in a scope.
    pub const INVALID_SCOPE: &str = "invalid_scopes";
    /// `storage` is not `session` or `memory`.
    pub const INVALID_STORAGE: &str = "invalid_storage";
    /// An option attribute (`mode`, `theme`, `size`, `shape`, `width`) has a value that is not one of its choices.
    pub const INVALID_ATTRIBUTE: &str = "invalid_attribute";
    /// The discovery document could not be fetched, or says something unsafe.
    pub const DISCOVERY_FAILED: &str = "discovery_failed";
    /// The callback's `state` matches no pending attempt: forged, from another tab, or already used.
    pub const STATE_MISMATCH: &str = "state_mismatch";
    /// The callback answers an attempt of this tab that no element on the page may finish: its `clientid`,
    /// issuer or `exchangeuri` is not the attempt's (a mix-up, RFC 9700 §4.4). The attempt is consumed.
    pub const ATTEMPT_MISMATCH: &str = "attempt_mismatch";
    /// The pending attempt is older than ten minutes.
    pub const ATTEMPT_EXPIRED: &str = "attempt_expired";
    /// The callback's `iss` is another issuer, or missing when the server promises it (RFC 9207).
    pub const ISSUER_MISMATCH: &str = "issuer_mismatch";
    /// The callback URL carries a parameter twice, or both `code` and `error`.
    pub const INVALID_CALLBACK: &str = "invalid_callback";
    /// The token endpoint (or the site's exchange backend) answered with an error status.
    pub const TOKEN_REQUEST_FAILED: &str = "token_request_failed";
    /// The token response is not JSON, or lacks what RFC 6749 / OpenID Connect require.
    pub const INVALID_TOKEN_RESPONSE: &str = "invalid_token_response";
    /// The id_token's claims do not match this sign-in (issuer, audience, nonce, expiry).
    pub const INVALID_ID_TOKEN: &str = "invalid_id_token";
    /// Renewal stopped: the server keeps issuing tokens that expire within seconds. The session ends at expiry.
    pub const RENEWAL_FAILED: &str = "renewal_failed";
    /// A request did not reach the server (offline, DNS, CORS refusal).
    pub const NETWORK_ERROR: &str = "network_error";
    /// The page cancelled `anypoint-code-exchange` without handing back a token response.
    pub const EXCHANGE_NOT_HANDLED: &str = "exchange_not_handled";
    /// sessionStorage is unavailable (blocked by the browser or the page).
    pub const STORAGE_UNAVAILABLE: &str = "storage_unavailable";
    /// The browser blocked the sign-in popup (`mode="popup"`); the element continues in the tab unless the page
    /// cancels this error event.
    pub const POPUP_BLOCKED: &str = "popup_blocked";
    /// The user closed the sign-in popup before signing in.
    pub const POPUP_CLOSED: &str = "popup_closed";
    /// The host already has a shadow root the element cannot use (a closed declarative one): no button.
    pub const SHADOW_ROOT_UNAVAILABLE: &str = "shadow_root_unavailable";
    /// The browser lacks Web Crypto, or refused to navigate.
    pub const UNSUPPORTED_BROWSER: &str = "unsupported_browser";
}

impl Error {
    /// An error with the given stable code and human message. Messages often quote a server's words, so every
    /// one is cleaned here ([`text::clean`]): no controls, no bidi overrides, at most [`MAX_MESSAGE_CHARS`].
    pub fn new(code: impl Into<String>, message: impl AsRef<str>) -> Self {
        Self {
            code: code.into(),
            message: text::clean(message.as_ref(), MAX_MESSAGE_CHARS),
        }
    }

    /// The stable machine-readable code.
    pub fn code(&self) -> &str {
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
    fn display_shows_message_and_code() {
        let e = Error::new(code::STATE_MISMATCH, "Unknown state");
        assert_eq!(e.to_string(), "Unknown state (state_mismatch)");
        assert_eq!(e.code(), "state_mismatch");
        assert_eq!(e.message(), "Unknown state");
    }

    #[test]
    fn every_message_is_cleaned_of_what_a_server_could_slip_in() {
        let hostile = format!("refused:\u{202E}\u{7}\u{0} {}", "x".repeat(1_000_000));
        let e = Error::new(code::TOKEN_REQUEST_FAILED, hostile);
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
