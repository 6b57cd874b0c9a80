//! The code exchange and renewal: the token requests and the token response (the id_token in it:
//! [`crate::id_token`]).
//!
//! JSON is parsed by the caller (the browser's `JSON.parse` in the element, `serde_json` in tests) and read
//! into these types field by field ([`crate::fields`]); this module also decides what is acceptable.

use crate::authorize::PendingAttempt;
use crate::error::{Code, Error};
use crate::fields::{Fields, FromJson, Invalid, Json, ToJson, Value};

/// The form body of the authorization-code token request (RFC 6749 §4.1.3 with RFC 7636's verifier).
pub fn token_request_body(code_value: &str, pending: &PendingAttempt) -> String {
    form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", "authorization_code")
        .append_pair("code", code_value)
        .append_pair("redirect_uri", &pending.redirect_uri)
        .append_pair("client_id", &pending.client_id)
        .append_pair("code_verifier", &pending.code_verifier)
        .finish()
}

/// The form body of a refresh request (RFC 6749 §6): a public client renews with its refresh token alone.
pub fn refresh_request_body(refresh_token: &str, client_id: &str) -> String {
    form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", "refresh_token")
        .append_pair("refresh_token", refresh_token)
        .append_pair("client_id", client_id)
        .finish()
}

/// The JSON body POSTed to the site's `exchangeuri` backend, which adds its client secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackendExchange<'a> {
    /// The authorization code.
    pub code: &'a str,
    /// The PKCE verifier the token endpoint checks against the challenge.
    pub code_verifier: &'a str,
    /// The redirect URI the code was issued for.
    pub redirect_uri: &'a str,
    /// The connected app.
    pub client_id: &'a str,
}

impl ToJson for BackendExchange<'_> {
    fn to_json(&self) -> Value {
        Value::Object(vec![
            ("code", self.code.into()),
            ("code_verifier", self.code_verifier.into()),
            ("redirect_uri", self.redirect_uri.into()),
            ("client_id", self.client_id.into()),
        ])
    }
}

/// The form body of a revocation request (RFC 7009).
pub fn revocation_body(token: &str, hint: &str, client_id: &str) -> String {
    form_urlencoded::Serializer::new(String::new())
        .append_pair("token", token)
        .append_pair("token_type_hint", hint)
        .append_pair("client_id", client_id)
        .finish()
}

/// A successful token response (RFC 6749 §5.1, OpenID Connect Core §3.1.3.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenResponse {
    /// The access token.
    pub access_token: String,
    /// Must be `Bearer` (case-insensitive).
    pub token_type: String,
    /// Lifetime in seconds.
    pub expires_in: Option<u64>,
    /// Granted scopes, when they differ from the requested ones.
    pub scope: Option<String>,
    /// Present when `openid` was requested.
    pub id_token: Option<String>,
    /// Present when `offline_access` was granted.
    pub refresh_token: Option<String>,
}

/// An error response from the token endpoint (RFC 6749 §5.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorResponse {
    /// The OAuth error code, e.g. `invalid_grant`.
    pub error: String,
    /// The server's explanation.
    pub error_description: Option<String>,
}

impl FromJson for TokenResponse {
    fn from_json<V: Json>(value: V) -> Result<Self, Invalid> {
        let f = Fields::of(value)?;
        f.finish(TokenResponse {
            access_token: f.required("access_token"),
            token_type: f.required("token_type"),
            expires_in: f.optional("expires_in"),
            scope: f.optional("scope"),
            id_token: f.optional("id_token"),
            refresh_token: f.optional("refresh_token"),
        })
    }
}

impl FromJson for ErrorResponse {
    fn from_json<V: Json>(value: V) -> Result<Self, Invalid> {
        let f = Fields::of(value)?;
        f.finish(ErrorResponse {
            error: f.required("error"),
            error_description: f.optional("error_description"),
        })
    }
}

impl TokenResponse {
    /// Checks what reading the JSON does not: a usable token of a type the element can send, and an id_token
    /// when this is an OpenID Connect sign-in.
    pub fn validate(&self, pending: &PendingAttempt) -> Result<(), Error> {
        self.validate_usable()?;
        if pending.nonce.is_some() && self.id_token.is_none() {
            return Err(Error::new(
                Code::InvalidTokenResponse,
                "The token response lacks the id_token an openid sign-in requires.",
            ));
        }
        Ok(())
    }

    /// The response of a confidential client's exchange (by the site's backend or the page): its refresh token
    /// needs the client secret, which only the backend has, so the element does not keep it (nor try to renew).
    pub fn confidential(self) -> TokenResponse {
        TokenResponse {
            refresh_token: None,
            ..self
        }
    }

    /// The checks of a refresh response: a usable token, and one that does not expire at once (renewing it
    /// would start again at once: a request loop, not a session).
    pub fn validate_renewal(&self) -> Result<(), Error> {
        self.validate_usable()?;
        if self.expires_in == Some(0) {
            return Err(Error::new(
                Code::InvalidTokenResponse,
                "The renewed access token expires at once (expires_in 0).",
            ));
        }
        Ok(())
    }

    /// A token of a type the element can send.
    fn validate_usable(&self) -> Result<(), Error> {
        let fail = |message: &str| Err(Error::new(Code::InvalidTokenResponse, message));
        if self.access_token.is_empty() {
            return fail("The token response has an empty access_token.");
        }
        if !self.token_type.eq_ignore_ascii_case("bearer") {
            return fail("The token response's token_type is not Bearer.");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending() -> PendingAttempt {
        PendingAttempt::example()
    }

    fn response(json: &str) -> Result<TokenResponse, String> {
        crate::fields::parse(json)
    }

    #[test]
    fn token_request_is_form_encoded_with_the_verifier() {
        let body = token_request_body("a b&c", &pending());
        assert_eq!(
            body,
            "grant_type=authorization_code&code=a+b%26c&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb\
             &client_id=client&code_verifier=verifier"
        );
        assert_eq!(
            refresh_request_body("r/t+", "client"),
            "grant_type=refresh_token&refresh_token=r%2Ft%2B&client_id=client"
        );
        assert_eq!(
            revocation_body("t", "access_token", "client"),
            "token=t&token_type_hint=access_token&client_id=client"
        );
    }

    #[test]
    fn a_complete_response_parses_and_validates() {
        let r = response(
            r#"{"access_token":"at","token_type":"bearer","expires_in":3600,"scope":"openid",
                "id_token":"x.y.z","refresh_token":"rt","extra":true}"#,
        )
        .unwrap();
        assert_eq!(r.expires_in, Some(3600));
        assert_eq!(r.refresh_token.as_deref(), Some("rt"));
        assert!(r.validate(&pending()).is_ok());
        let kept = r.clone().confidential();
        assert_eq!(kept.refresh_token, None);
        assert_eq!(kept.access_token, r.access_token);
    }

    #[test]
    fn malformed_responses_are_refused() {
        for (json, why) in [
            (
                r#"{"token_type":"Bearer"}"#,
                "the `access_token` field is missing",
            ),
            (
                r#"{"access_token":1,"token_type":"Bearer"}"#,
                "the `access_token` field is not a string",
            ),
            (
                r#"{"access_token":"a","token_type":"Bearer","expires_in":"soon"}"#,
                "the `expires_in` field is not a whole number",
            ),
            (r#""a""#, "it is not a JSON object"),
        ] {
            assert_eq!(response(json), Err(why.to_owned()), "{json}");
        }
        let no_id = response(r#"{"access_token":"a","token_type":"Bearer"}"#).unwrap();
        assert_eq!(
            no_id.validate(&pending()).unwrap_err().code(),
            Code::InvalidTokenResponse
        );
        let mac = response(r#"{"access_token":"a","token_type":"mac","id_token":"x"}"#).unwrap();
        assert_eq!(
            mac.validate(&pending()).unwrap_err().code(),
            Code::InvalidTokenResponse
        );
        let empty =
            response(r#"{"access_token":"","token_type":"Bearer","id_token":"x"}"#).unwrap();
        assert!(empty.validate(&pending()).is_err());
        let expired =
            response(r#"{"access_token":"a","token_type":"Bearer","expires_in":0}"#).unwrap();
        assert_eq!(
            expired.validate_renewal().unwrap_err().code(),
            Code::InvalidTokenResponse
        );
        let mut no_openid = pending();
        no_openid.nonce = None;
        assert!(
            no_id.validate(&no_openid).is_ok(),
            "without openid no id_token is needed"
        );
    }

    #[test]
    fn error_responses_parse() {
        let e: ErrorResponse = crate::fields::parse(r#"{"error":"invalid_grant"}"#).unwrap();
        assert_eq!(e.error, "invalid_grant");
        assert_eq!(e.error_description, None);
        let described: ErrorResponse =
            crate::fields::parse(r#"{"error":"invalid_grant","error_description":"spent"}"#)
                .unwrap();
        assert_eq!(described.error_description.as_deref(), Some("spent"));
    }
}
