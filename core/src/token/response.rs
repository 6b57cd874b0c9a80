//! What the token endpoint answers (the same, less the refresh token, through the `exchangeuri` backend), and
//! what the element accepts of it. The id_token in it: [`crate::id_token`].

use crate::authorize::PendingAttempt;
use crate::dpop::binding::{Binding, DpopMode, check_token_type};
use crate::error::{Code, Error};
use crate::json::object::json_object;

/// A successful token response (RFC 6749 §5.1, OpenID Connect Core §3.1.3.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenResponse {
    /// The access token.
    pub access_token: String,
    /// `Bearer`, or `DPoP` for a request with a proof (any case); written as sent once checked.
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
    /// Checks what reading the JSON does not: a usable token of a type the element can send (as `requested`
    /// under the `dpop` choice `mode`), and an id_token when this is an OpenID Connect sign-in. Returns the
    /// console's warning for an unbound token `auto` took.
    pub fn validate(
        &mut self,
        pending: &PendingAttempt,
        mode: DpopMode,
        requested: Binding,
    ) -> Result<Option<String>, Error> {
        let warning = self.validate_usable(mode, requested)?;
        if pending.nonce.is_some() && self.id_token.is_none() {
            return Err(Error::new(
                Code::InvalidTokenResponse,
                "The token response lacks the id_token an openid sign-in requires.",
            ));
        }
        Ok(warning)
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
    /// would start again at once: a request loop, not a session). As [`TokenResponse::validate`] returns.
    pub fn validate_renewal(
        &mut self,
        mode: DpopMode,
        requested: Binding,
    ) -> Result<Option<String>, Error> {
        let warning = self.validate_usable(mode, requested)?;
        if self.expires_in == Some(0) {
            return Err(Error::new(
                Code::InvalidTokenResponse,
                "The renewed access token expires at once (expires_in 0).",
            ));
        }
        Ok(warning)
    }

    /// A token of a type the element can send, its `token_type` then written as requests present it.
    fn validate_usable(
        &mut self,
        mode: DpopMode,
        requested: Binding,
    ) -> Result<Option<String>, Error> {
        if self.access_token.is_empty() {
            return Err(Error::new(
                Code::InvalidTokenResponse,
                "The token response has an empty access_token.",
            ));
        }
        let accepted = check_token_type(mode, requested, &self.token_type)?;
        self.token_type = accepted.token_type.scheme().to_owned();
        Ok(accepted.warning)
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
    use crate::dpop::binding::Algorithm;
    use crate::json::parse;

    fn pending() -> PendingAttempt {
        crate::examples::attempt()
    }

    const BEARER: (DpopMode, Binding) = (DpopMode::Auto, Binding::Bearer);
    const BOUND: (DpopMode, Binding) = (DpopMode::On, Binding::Dpop(Algorithm::Es256));

    fn validate(mut r: TokenResponse, pending: &PendingAttempt) -> Result<TokenResponse, Error> {
        r.validate(pending, BEARER.0, BEARER.1).map(|_| r)
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
        // The type as requests will present it.
        assert_eq!(
            validate(r.clone(), &pending()).unwrap().token_type,
            "Bearer"
        );
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
            validate(no_id.clone(), &pending()).unwrap_err().code(),
            Code::InvalidTokenResponse
        );
        let mac = response(r#"{"access_token":"a","token_type":"mac","id_token":"x"}"#).unwrap();
        assert_eq!(
            validate(mac, &pending()).unwrap_err().code(),
            Code::InvalidTokenResponse
        );
        let empty =
            response(r#"{"access_token":"","token_type":"Bearer","id_token":"x"}"#).unwrap();
        assert!(validate(empty, &pending()).is_err());
        let mut expired =
            response(r#"{"access_token":"a","token_type":"Bearer","expires_in":0}"#).unwrap();
        assert_eq!(
            expired
                .validate_renewal(BEARER.0, BEARER.1)
                .unwrap_err()
                .code(),
            Code::InvalidTokenResponse
        );
        let mut no_openid = pending();
        no_openid.nonce = None;
        assert!(
            validate(no_id, &no_openid).is_ok(),
            "without openid no id_token is needed"
        );
    }

    #[test]
    fn a_bound_request_takes_dpop_and_refuses_or_reports_bearer() {
        let mut bound =
            response(r#"{"access_token":"a","token_type":"dpop","expires_in":9}"#).unwrap();
        assert_eq!(bound.validate_renewal(BOUND.0, BOUND.1), Ok(None));
        assert_eq!(bound.token_type, "DPoP");
        let mut unbound =
            response(r#"{"access_token":"a","token_type":"Bearer","expires_in":9}"#).unwrap();
        let refused = unbound
            .clone()
            .validate_renewal(BOUND.0, BOUND.1)
            .unwrap_err();
        assert_eq!(refused.code(), Code::InvalidTokenResponse);
        let warning = unbound
            .validate_renewal(DpopMode::Auto, BOUND.1)
            .unwrap()
            .unwrap();
        assert!(warning.contains("did not bind"), "{warning}");
        assert_eq!(unbound.token_type, "Bearer");
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
