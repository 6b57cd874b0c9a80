//! The end of a session: why it ended, and the way to end it at the provider too.

use crate::session::Session;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    #[test]
    fn the_end_session_url_carries_the_hint_the_client_and_the_way_back() {
        let s: Session = parse(
            r#"{"accessToken":"a","tokenType":"Bearer","scope":"openid","idToken":"h.p.s","profile":{}}"#,
        )
        .unwrap();
        let url = end_session_url(
            "https://idp.example.com/logout",
            &s,
            "c 1",
            "https://app.example.com/?x=1",
        );
        assert_eq!(
            url,
            "https://idp.example.com/logout?id_token_hint=h.p.s&client_id=c+1&post_logout_redirect_uri=https%3A%2F%2Fapp.example.com%2F%3Fx%3D1"
        );
        let without = Session {
            id_token: None,
            ..s
        };
        assert!(
            end_session_url(
                "https://idp.example.com/logout?t=1",
                &without,
                "c",
                "https://a/"
            )
            .starts_with("https://idp.example.com/logout?t=1&client_id=c&")
        );
    }
}
