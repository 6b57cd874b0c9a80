//! The signed-in session: tokens, expiry and how it renews, as stored and as told to the page; the user's
//! [`profile`] in it, and how it ends ([`sign_out`]).

pub mod profile;
pub mod sign_out;

use crate::dpop::binding::TokenType;
use crate::json::Invalid;
use crate::json::object::{Spread, json_object};
use crate::session::profile::Profile;
use crate::token::response::TokenResponse;

/// How long before expiry a session with a refresh token is renewed (at most).
pub const RENEW_AHEAD_MS: f64 = 60_000.0;

/// The longest token lifetime believed: a server's `expires_in` of 1e308 is range-checked to this (a year), so
/// `expiresAt` is always a valid date and timers stay meaningful.
pub const MAX_LIFETIME_S: u64 = 365 * 24 * 3600;

/// When a token issued at `now_ms` that lasts `expires_in` seconds expires, in ms since the epoch.
fn expiry(now_ms: f64, expires_in: Option<u64>) -> Option<f64> {
    expires_in.map(|s| now_ms + s.min(MAX_LIFETIME_S) as f64 * 1000.0)
}

/// How a session gets a new access token before this one expires.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Renewal {
    /// It cannot: the session ends when its access token expires.
    Never,
    /// With this refresh token, kept by the element (a public client renewing at the token endpoint).
    RefreshToken(String),
    /// Through the `exchangeuri` backend, which keeps the refresh token in its own cookie
    /// ([`crate::backend_session`]): the browser never holds it.
    Backend,
}

impl Renewal {
    /// How the session a code exchange starts renews. With `exchangeuri` the backend keeps the refresh token
    /// when it set its hint cookie (`backend_hint`); a refresh token in its answer (a backend of the earlier
    /// contract) is dropped, never stored. Otherwise the token response's refresh token, if any.
    pub fn after_exchange(
        refresh_token: Option<String>,
        via_backend: bool,
        backend_hint: bool,
    ) -> Renewal {
        match (via_backend, refresh_token) {
            (true, _) if backend_hint => Renewal::Backend,
            (true, _) | (false, None) => Renewal::Never,
            (false, Some(token)) => Renewal::RefreshToken(token),
        }
    }

    /// Whether the session renews at all.
    pub fn renews(&self) -> bool {
        *self != Renewal::Never
    }

    /// Whether it renews at the token endpoint (whose URL discovery gives), not through the backend.
    pub fn at_token_endpoint(&self) -> bool {
        matches!(self, Renewal::RefreshToken(_))
    }
}

/// A signed-in session. Its JSON form (camelCase) is both what is stored and the `anypoint-signin` event's
/// detail, less how it renews (the refresh token above all), which stays out of events.
#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    /// The access token.
    pub access_token: String,
    /// `DPoP` (bound to the element's key) or `Bearer`, as requests present it.
    pub token_type: String,
    /// When the access token expires, in milliseconds since the epoch (a JavaScript `Date` value).
    pub expires_at: Option<f64>,
    /// Granted scopes, space-separated.
    pub scope: String,
    /// The raw id_token, when there is one.
    pub id_token: Option<String>,
    /// The user's profile.
    pub profile: Profile,
    /// How it renews; never put in events.
    pub renewal: Renewal,
    /// The thumbprint (RFC 7638) of the DPoP key its tokens are bound to, their `cnf.jkt`: which kept key is
    /// this session's (a later sign-in may have replaced it).
    pub dpop_jkt: Option<String>,
}

/// `renewal: "backend"` in the stored JSON.
const BACKEND: &str = "backend";

// `expiresAt` and `idToken` are `null` when absent (the event's documented shape); `refreshToken` (or
// `renewal: "backend"`) only when there is one.
json_object! {
    Session {
        access_token as "accessToken": required,
        token_type as "tokenType": required,
        expires_at as "expiresAt": optional,
        scope: required,
        id_token as "idToken": optional,
        profile: required,
        dpop_jkt as "dpopJkt": skip_none,
        ..renewal {
            refresh_token as "refreshToken": skip_none,
            how as "renewal": skip_none,
        }
    }
}

impl<'a> Spread<'a> for Renewal {
    type Read = (Option<String>, Option<String>);
    type Written = (Option<&'a str>, Option<&'static str>);

    // Inlined into the reader, the error it never returns costs the wasm nothing: no early return that
    // drops the fields read before it (size rule 4, BENCHMARKS.md).
    #[inline]
    fn gather(read: Self::Read) -> Result<Renewal, Invalid> {
        Ok(match read {
            (Some(token), _) => Renewal::RefreshToken(token),
            (None, Some(how)) if how == BACKEND => Renewal::Backend,
            _ => Renewal::Never,
        })
    }

    fn spread(&'a self) -> Self::Written {
        match self {
            Renewal::RefreshToken(token) => (Some(token), None),
            Renewal::Backend => (None, Some(BACKEND)),
            Renewal::Never => (None, None),
        }
    }
}

impl Session {
    /// Whether its tokens are bound to the element's DPoP key: every request with them carries a proof.
    pub fn is_bound(&self) -> bool {
        self.token_type == TokenType::Dpop.scheme()
    }

    /// The session a validated token response starts at `now_ms`, renewing as `renewal` says (its refresh
    /// token is not read: [`Renewal::after_exchange`] decides). `requested_scope` when the response names none.
    pub fn new(
        response: TokenResponse,
        profile: Profile,
        requested_scope: &str,
        renewal: Renewal,
        now_ms: f64,
    ) -> Session {
        Session {
            expires_at: expiry(now_ms, response.expires_in),
            scope: response.scope.unwrap_or_else(|| requested_scope.to_owned()),
            access_token: response.access_token,
            token_type: response.token_type,
            id_token: response.id_token,
            renewal,
            profile,
            dpop_jkt: None,
        }
    }

    /// The session after a refresh at `now_ms`: the new access token and expiry, the rotated refresh token
    /// (or the same one when the server keeps it), the same user. A new id_token replaces the old one; like the
    /// first, it comes straight from the token endpoint.
    pub fn renewed(&self, response: TokenResponse, now_ms: f64) -> Session {
        Session {
            expires_at: expiry(now_ms, response.expires_in),
            scope: response.scope.unwrap_or_else(|| self.scope.clone()),
            access_token: response.access_token,
            token_type: response.token_type,
            id_token: response.id_token.or_else(|| self.id_token.clone()),
            // A backend's answer carries no refresh token (it keeps the rotated one itself).
            renewal: match (&self.renewal, response.refresh_token) {
                (Renewal::RefreshToken(_), Some(rotated)) => Renewal::RefreshToken(rotated),
                (kept, _) => kept.clone(),
            },
            profile: self.profile.clone(),
            dpop_jkt: self.dpop_jkt.clone(),
        }
    }

    /// When to act on this session's expiry, in milliseconds since the epoch: with a refresh token, a minute
    /// before it (a quarter of the remaining time for short-lived tokens), so the page never holds an expired
    /// token; without one, at expiry, to sign out. `None` when the token does not expire.
    pub fn deadline(&self, now_ms: f64) -> Option<f64> {
        let at = self.expires_at?;
        if !self.renewal.renews() {
            return Some(at);
        }
        Some(at - (RENEW_AHEAD_MS).min((at - now_ms).max(0.0) / 4.0))
    }

    /// Whether the access token has expired by `now_ms`.
    pub fn is_expired(&self, now_ms: f64) -> bool {
        self.expires_at.is_some_and(|at| at <= now_ms)
    }

    /// The session as the page sees it: without the refresh token, or word of how it renews.
    pub fn public(&self) -> Session {
        Session {
            renewal: Renewal::Never,
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests;
