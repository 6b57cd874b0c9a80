//! The signed-in session: tokens, expiry and the user's profile, as stored and as told to the page.

use serde::{Deserialize, Serialize};

use crate::authorize::PendingAttempt;
use crate::token::TokenResponse;

/// The user's profile, from id_token claims and the userinfo endpoint (OpenID Connect standard claims).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// The user's identifier at the issuer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
    /// Full name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Given name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    /// Family name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family_name: Option<String>,
    /// Anypoint user name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_username: Option<String>,
    /// E-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
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

/// A signed-in session. Its serialized form (camelCase) is both what is stored and the `anypoint-signin`
/// event's detail, less the refresh token, which stays out of events.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
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
            expires_at: response.expires_in.map(|s| now_ms + s as f64 * 1000.0),
            scope: response.scope.unwrap_or_else(|| pending.scope.clone()),
            access_token: response.access_token,
            token_type: response.token_type,
            id_token: response.id_token,
            refresh_token: response.refresh_token,
            profile,
        }
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

    fn profile(json: &str) -> Profile {
        serde_json::from_str(json).unwrap()
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
        let response: TokenResponse = serde_json::from_str(
            r#"{"access_token":"at","token_type":"Bearer","expires_in":60,"refresh_token":"rt"}"#,
        )
        .unwrap();
        let pending = crate::authorize::PendingAttempt {
            state: "s".into(),
            code_verifier: "v".into(),
            nonce: None,
            redirect_uri: "https://a.example/".into(),
            issuer: "https://i.example".into(),
            client_id: "c".into(),
            scope: "full offline_access".into(),
            created_at: 0.0,
        };
        let s = Session::new(response, Profile::default(), &pending, 1000.0);
        assert_eq!(s.expires_at, Some(61_000.0));
        assert_eq!(
            s.scope, "full offline_access",
            "requested scopes stand in for an absent scope"
        );
        assert!(!s.is_expired(60_999.0));
        assert!(s.is_expired(61_000.0));
        let public = serde_json::to_value(s.public()).unwrap();
        assert_eq!(public["accessToken"], "at");
        assert_eq!(public["expiresAt"], 61_000.0);
        assert!(public.get("refreshToken").is_none());
        let stored = serde_json::to_string(&s).unwrap();
        assert_eq!(
            serde_json::from_str::<Session>(&stored).unwrap(),
            s,
            "storage round-trips"
        );
    }
}
