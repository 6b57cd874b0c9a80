//! What the token endpoint answers (the same, less the refresh token, through the `exchangeuri` backend), and
//! what the element accepts of it. The id_token in it: [`crate::id_token`].

use crate::authorize::PendingAttempt;
use crate::error::{Code, Error};
use crate::json::object::json_object;

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

json_object! {
    read TokenResponse {
        access_token: required,
        token_type: required,
        expires_in: optional,
        scope: optional,
        id_token: optional,
        refresh_token: optional,
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

    /// The response of a confidential client's exchange by the page (its own code, not `exchangeuri`): its
    /// refresh token needs the client secret, which the element cannot hand it to, so it is not kept.
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

/// An error response from the token endpoint (RFC 6749 §5.2); also what the backend crate answers when it
/// refuses (its serde form, feature `serde`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ErrorResponse {
    /// The OAuth error code, e.g. `invalid_grant`.
    pub error: String,
    /// The server's explanation.
    #[cfg_attr(feature = "serde", serde(skip_serializing_if = "Option::is_none"))]
    pub error_description: Option<String>,
}

json_object! {
    read ErrorResponse {
        error: required,
        error_description: optional,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    fn pending() -> PendingAttempt {
        crate::examples::attempt()
    }

    fn response(json: &str) -> Result<TokenResponse, String> {
        parse(json)
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
        let e: ErrorResponse = parse(r#"{"error":"invalid_grant"}"#).unwrap();
        assert_eq!(e.error, "invalid_grant");
        assert_eq!(e.error_description, None);
        let described: ErrorResponse =
            parse(r#"{"error":"invalid_grant","error_description":"spent"}"#).unwrap();
        assert_eq!(described.error_description.as_deref(), Some("spent"));
    }

    #[test]
    fn the_serde_form_of_an_error_is_the_one_the_element_reads() {
        let error = |description: Option<&str>| ErrorResponse {
            error: "invalid_grant".into(),
            error_description: description.map(str::to_owned),
        };
        for (read, text) in [
            (
                error(Some("spent")),
                r#"{"error":"invalid_grant","error_description":"spent"}"#,
            ),
            (error(None), r#"{"error":"invalid_grant"}"#),
        ] {
            assert_eq!(serde_json::to_string(&read).unwrap(), text);
            assert_eq!(serde_json::from_str::<ErrorResponse>(text).unwrap(), read);
            assert_eq!(parse::<ErrorResponse>(text), Ok(read));
        }
    }
}
