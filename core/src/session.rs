//! The signed-in session: tokens, expiry and the user's profile, as stored and as told to the page.

use crate::authorize::PendingAttempt;
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

/// How long before expiry a session with a refresh token is renewed (at most).
pub const RENEW_AHEAD_MS: f64 = 60_000.0;

/// The longest token lifetime believed: a server's `expires_in` of 1e308 is range-checked to this (a year), so
/// `expiresAt` is always a valid date and timers stay meaningful.
pub const MAX_LIFETIME_S: u64 = 365 * 24 * 3600;

/// When a token issued at `now_ms` that lasts `expires_in` seconds expires, in ms since the epoch.
fn expiry(now_ms: f64, expires_in: Option<u64>) -> Option<f64> {
    expires_in.map(|s| now_ms + s.min(MAX_LIFETIME_S) as f64 * 1000.0)
}

/// A signed-in session. Its JSON form (camelCase) is both what is stored and the `anypoint-signin` event's
/// detail, less the refresh token, which stays out of events.
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
    /// Kept for renewal; never put in events.
    pub refresh_token: Option<String>,
}

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
            refresh_token: f.optional("refreshToken"),
        })
    }
}

/// `expiresAt` and `idToken` are `null` when absent (the event's documented shape); `refreshToken` is left out.
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
        if let Some(token) = &self.refresh_token {
            fields.push(("refreshToken", token.as_str().into()));
        }
        Value::Object(fields)
    }
}

impl Session {
    /// The session a validated token response starts, at `now_ms`.
    pub fn new(
        response: TokenResponse,
        profile: Profile,
        pending: &PendingAttempt,
        now_ms: f64,
    ) -> Session {
        Session {
            expires_at: expiry(now_ms, response.expires_in),
            scope: response.scope.unwrap_or_else(|| pending.scope.clone()),
            access_token: response.access_token,
            token_type: response.token_type,
            id_token: response.id_token,
            refresh_token: response.refresh_token,
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
            refresh_token: response
                .refresh_token
                .or_else(|| self.refresh_token.clone()),
            profile: self.profile.clone(),
        }
    }

    /// When to act on this session's expiry, in milliseconds since the epoch: with a refresh token, a minute
    /// before it (a quarter of the remaining time for short-lived tokens), so the page never holds an expired
    /// token; without one, at expiry, to sign out. `None` when the token does not expire.
    pub fn deadline(&self, now_ms: f64) -> Option<f64> {
        let at = self.expires_at?;
        if self.refresh_token.is_none() {
            return Some(at);
        }
        Some(at - (RENEW_AHEAD_MS).min((at - now_ms).max(0.0) / 4.0))
    }

    /// Whether the access token has expired by `now_ms`.
    pub fn is_expired(&self, now_ms: f64) -> bool {
        self.expires_at.is_some_and(|at| at <= now_ms)
    }

    /// The session as the page sees it: without the refresh token.
    pub fn public(&self) -> Session {
        Session {
            refresh_token: None,
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::parse;

    fn profile(json: &str) -> Profile {
        parse(json).unwrap()
    }

    #[test]
    fn display_name_prefers_the_full_name() {
        assert_eq!(
            profile(r#"{"sub":"u","name":"Max Mule","email":"m@x"}"#).display_name(),
            Some("Max Mule")
        );
        assert_eq!(
            profile(r#"{"sub":"u","name":" ","email":"m@x"}"#).display_name(),
            Some("m@x")
        );
        assert_eq!(profile(r#"{"sub":"u"}"#).display_name(), Some("u"));
        assert_eq!(profile("{}").display_name(), None);
    }

    #[test]
    fn claims_are_cleaned_and_capped() {
        let p = profile(&format!(
            r#"{{"name":"Eve\u202e lanreT\u0007","email":"{}"}}"#,
            "e".repeat(10_000)
        ));
        assert_eq!(p.name.as_deref(), Some("Eve lanreT"));
        assert_eq!(p.email.unwrap().chars().count(), MAX_CLAIM_CHARS);
    }

    #[test]
    fn lifetimes_are_range_checked() {
        let response: TokenResponse =
            parse(r#"{"access_token":"at","token_type":"Bearer","expires_in":1e308}"#).unwrap();
        let s = Session::new(
            response,
            Profile::default(),
            &crate::authorize::PendingAttempt::example(),
            1000.0,
        );
        assert_eq!(s.expires_at, Some(1000.0 + MAX_LIFETIME_S as f64 * 1000.0));
    }

    #[test]
    fn merge_fills_gaps_from_the_same_user_only() {
        let mut p = profile(r#"{"sub":"u","email":"m@x"}"#);
        assert!(p.merge(profile(r#"{"sub":"u","name":"Max","email":"other@x"}"#)));
        assert_eq!(
            (p.name.as_deref(), p.email.as_deref()),
            (Some("Max"), Some("m@x"))
        );
        assert!(!p.merge(profile(r#"{"sub":"someone-else","given_name":"Eve"}"#)));
        assert_eq!(p.given_name, None);
    }

    #[test]
    fn sessions_expire_and_hide_the_refresh_token_from_the_page() {
        let response: TokenResponse = parse(
            r#"{"access_token":"at","token_type":"Bearer","expires_in":60,"refresh_token":"rt"}"#,
        )
        .unwrap();
        let pending = crate::authorize::PendingAttempt {
            nonce: None,
            scope: "full offline_access".into(),
            ..crate::authorize::PendingAttempt::example()
        };
        let s = Session::new(response, Profile::default(), &pending, 1000.0);
        assert_eq!(s.expires_at, Some(61_000.0));
        assert_eq!(
            s.scope, "full offline_access",
            "requested scopes stand in for an absent scope"
        );
        assert!(!s.is_expired(60_999.0));
        assert!(s.is_expired(61_000.0));
        assert_eq!(
            s.public().to_json(),
            Value::Object(vec![
                ("accessToken", "at".into()),
                ("tokenType", "Bearer".into()),
                ("expiresAt", 61_000.0.into()),
                ("scope", "full offline_access".into()),
                ("idToken", Value::Null),
                ("profile", Value::Object(vec![])),
            ]),
            "the event's detail: every field, null when absent, no refresh token"
        );
        assert_eq!(
            s.deadline(1000.0),
            Some(61_000.0 - 15_000.0),
            "a quarter ahead"
        );
        let with_profile = Session {
            profile: profile(r#"{"sub":"u","email":"m@x"}"#),
            ..s
        };
        assert_eq!(
            Session::from_json(&with_profile.to_json()),
            Ok(with_profile),
            "storage round-trips"
        );
    }

    fn session(json: &str) -> Session {
        parse(json).unwrap()
    }

    #[test]
    fn deadlines_renew_ahead_or_expire_on_time() {
        let with_refresh = session(
            r#"{"accessToken":"a","tokenType":"Bearer","expiresAt":3600000,"scope":"s","idToken":null,
                "profile":{},"refreshToken":"r"}"#,
        );
        assert_eq!(
            with_refresh.deadline(0.0),
            Some(3_540_000.0),
            "a minute ahead"
        );
        assert_eq!(
            with_refresh.deadline(3_600_000.0),
            Some(3_600_000.0),
            "due now"
        );
        let without = Session {
            refresh_token: None,
            ..with_refresh.clone()
        };
        assert_eq!(without.deadline(0.0), Some(3_600_000.0));
        let forever = Session {
            expires_at: None,
            ..with_refresh
        };
        assert_eq!(forever.deadline(0.0), None);
    }

    #[test]
    fn renewal_keeps_the_user_and_the_refresh_token_unless_rotated() {
        let old = session(
            r#"{"accessToken":"a","tokenType":"Bearer","expiresAt":1,"scope":"openid offline_access",
                "idToken":"old.id.token","profile":{"name":"Max"},"refreshToken":"r1"}"#,
        );
        let response = |json: &str| parse::<TokenResponse>(json).unwrap();
        let kept = old.renewed(
            response(r#"{"access_token":"b","token_type":"Bearer","expires_in":10}"#),
            5000.0,
        );
        assert_eq!(kept.access_token, "b");
        assert_eq!(kept.expires_at, Some(15_000.0));
        assert_eq!(kept.refresh_token.as_deref(), Some("r1"));
        assert_eq!(kept.id_token.as_deref(), Some("old.id.token"));
        assert_eq!(kept.scope, "openid offline_access");
        assert_eq!(kept.profile.name.as_deref(), Some("Max"));
        let rotated = old.renewed(
            response(
                r#"{"access_token":"c","token_type":"Bearer","refresh_token":"r2","id_token":"new.id.token"}"#,
            ),
            0.0,
        );
        assert_eq!(
            (
                rotated.refresh_token.as_deref(),
                rotated.id_token.as_deref()
            ),
            (Some("r2"), Some("new.id.token"))
        );
        assert_eq!(rotated.expires_at, None);
    }
}
