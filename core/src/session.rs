//! The signed-in session: tokens, expiry and the user's profile, as stored and as told to the page.

use crate::fields::{Fields, FromJson, Invalid, Json, ToJson, Value};
use crate::text;
use crate::token::TokenResponse;

/// The user's profile, from id_token claims and the userinfo endpoint (OpenID Connect standard claims).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Profile {
    /// The user's identifier at the issuer.
    pub sub: Option<String>,
    /// Full name.
    pub name: Option<String>,
    /// Given name.
    pub given_name: Option<String>,
    /// Family name.
    pub family_name: Option<String>,
    /// Anypoint user name.
    pub preferred_username: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
}

/// The longest claim kept, in characters: a name is shown on one line anyway (its title shows it whole).
pub const MAX_CLAIM_CHARS: usize = 256;

/// Claims come from a server: each is cleaned ([`text::clean`]) before it is shown or dispatched.
impl FromJson for Profile {
    fn from_json<V: Json>(value: V) -> Result<Self, Invalid> {
        let f = Fields::of(value)?;
        let claim = |name| {
            f.optional::<String>(name)
                .map(|claim| text::clean(&claim, MAX_CLAIM_CHARS))
        };
        f.finish(Profile {
            sub: claim("sub"),
            name: claim("name"),
            given_name: claim("given_name"),
            family_name: claim("family_name"),
            preferred_username: claim("preferred_username"),
            email: claim("email"),
        })
    }
}

/// The claims present; absent ones are left out.
impl ToJson for Profile {
    fn to_json(&self) -> Value {
        let claim = |claim: &Option<String>| claim.as_deref().map(Value::from);
        Value::present(vec![
            ("sub", claim(&self.sub)),
            ("name", claim(&self.name)),
            ("given_name", claim(&self.given_name)),
            ("family_name", claim(&self.family_name)),
            ("preferred_username", claim(&self.preferred_username)),
            ("email", claim(&self.email)),
        ])
    }
}

impl Profile {
    /// The name to show: the most human of the claims present.
    pub fn display_name(&self) -> Option<&str> {
        [&self.name, &self.preferred_username, &self.email, &self.sub]
            .into_iter()
            .flatten()
            .map(|s| s.trim())
            .find(|s| !s.is_empty())
    }

    /// Fills the claims this profile lacks from `other` (userinfo after id_token). Refuses to mix in another
    /// user's claims: OpenID Connect Core §5.3.2 requires userinfo's `sub` to match.
    pub fn merge(&mut self, other: Profile) -> bool {
        if self.sub.is_some() && other.sub.is_some() && self.sub != other.sub {
            return false;
        }
        let fill = |mine: &mut Option<String>, theirs: Option<String>| {
            if mine.is_none() {
                *mine = theirs;
            }
        };
        fill(&mut self.sub, other.sub);
        fill(&mut self.name, other.name);
        fill(&mut self.given_name, other.given_name);
        fill(&mut self.family_name, other.family_name);
        fill(&mut self.preferred_username, other.preferred_username);
        fill(&mut self.email, other.email);
        true
    }
}

/// Why a session ended; the `reason` of `anypoint-signout`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignOut {
    /// `signOut()` or the sign-out button.
    User,
    /// The access token expired and could not be renewed.
    Expired,
}

impl SignOut {
    /// The event's `reason`.
    pub fn reason(self) -> &'static str {
        match self {
            SignOut::User => "user",
            SignOut::Expired => "expired",
        }
    }

    /// The reason read back (another tab's message): anything but `expired` is the user's.
    pub fn from_reason(reason: &str) -> SignOut {
        match reason {
            "expired" => SignOut::Expired,
            _ => SignOut::User,
        }
    }
}

/// The URL that ends the session at the provider too (OpenID Connect RP-Initiated Logout 1.0 §2): its
/// `end_session_endpoint` with the session's id_token as the hint, the client, and where to come back.
pub fn end_session_url(
    endpoint: &str,
    session: &Session,
    client_id: &str,
    post_logout_redirect_uri: &str,
) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    if let Some(id_token) = &session.id_token {
        query.append_pair("id_token_hint", id_token);
    }
    query
        .append_pair("client_id", client_id)
        .append_pair("post_logout_redirect_uri", post_logout_redirect_uri);
    let separator = if endpoint.contains('?') { '&' } else { '?' };
    format!("{endpoint}{separator}{}", query.finish())
}

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
    /// `Bearer`.
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
}

/// `renewal: "backend"` in the stored JSON.
const BACKEND: &str = "backend";

impl FromJson for Session {
    fn from_json<V: Json>(value: V) -> Result<Self, Invalid> {
        let f = Fields::of(value)?;
        f.finish(Session {
            access_token: f.required("accessToken"),
            token_type: f.required("tokenType"),
            expires_at: f.optional("expiresAt"),
            scope: f.required("scope"),
            id_token: f.optional("idToken"),
            profile: f.required("profile"),
            renewal: match (f.optional("refreshToken"), f.optional::<String>("renewal")) {
                (Some(token), _) => Renewal::RefreshToken(token),
                (None, Some(how)) if how == BACKEND => Renewal::Backend,
                _ => Renewal::Never,
            },
        })
    }
}

/// `expiresAt` and `idToken` are `null` when absent (the event's documented shape); `refreshToken` (or
/// `renewal: "backend"`) only when there is one.
impl ToJson for Session {
    fn to_json(&self) -> Value {
        let mut fields = vec![
            ("accessToken", self.access_token.as_str().into()),
            ("tokenType", self.token_type.as_str().into()),
            ("expiresAt", self.expires_at.into()),
            ("scope", self.scope.as_str().into()),
            ("idToken", self.id_token.as_deref().into()),
            ("profile", self.profile.to_json()),
        ];
        match &self.renewal {
            Renewal::RefreshToken(token) => fields.push(("refreshToken", token.as_str().into())),
            Renewal::Backend => fields.push(("renewal", BACKEND.into())),
            Renewal::Never => {}
        }
        Value::Object(fields)
    }
}

impl Session {
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
