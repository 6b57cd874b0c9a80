//! The authorization server's metadata (OpenID Connect Discovery 1.0 / RFC 8414), and the checks that make it
//! safe to use.

use crate::error::{Code, Error};
use crate::json::object::json_object;
use crate::web_url::{Parse, check_web_url};

/// The part of the discovery document the element uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Metadata {
    /// Must equal the issuer the document was fetched for.
    pub issuer: String,
    /// Where the user is sent to sign in.
    pub authorization_endpoint: String,
    /// Where the code is exchanged.
    pub token_endpoint: String,
    /// Where the profile for the signed-in label comes from, when the id_token lacks a name.
    pub userinfo_endpoint: Option<String>,
    /// Where tokens are revoked on sign-out (RFC 7009).
    pub revocation_endpoint: Option<String>,
    /// Where the user is sent to end the session at the provider too (OpenID Connect RP-Initiated Logout).
    pub end_session_endpoint: Option<String>,
    /// PKCE methods; absent means the server did not say.
    pub code_challenge_methods_supported: Option<Vec<String>>,
    /// RFC 9207: the server promises an `iss` parameter in every authorization response.
    pub authorization_response_iss_parameter_supported: bool,
    /// RFC 9449 §5.1: the DPoP proof algorithms the server takes; absent, the element does not use DPoP.
    pub dpop_signing_alg_values_supported: Option<Vec<String>>,
}

// Written too: kept next to the pending attempt, for the callback page.
json_object! {
    Metadata {
        issuer: required,
        authorization_endpoint: required,
        token_endpoint: required,
        userinfo_endpoint: optional,
        revocation_endpoint: optional,
        end_session_endpoint: optional,
        code_challenge_methods_supported: optional,
        authorization_response_iss_parameter_supported: or_default,
        dpop_signing_alg_values_supported: optional,
    }
}

/// Where the discovery document of `issuer` lives.
pub fn discovery_url(issuer: &str) -> String {
    format!("{issuer}/.well-known/openid-configuration")
}

impl Metadata {
    /// Refuses metadata that would make the sign-in unsafe: another issuer (mix-up, RFC 8414 §3.3), a PKCE
    /// method list without S256 (downgrade), or endpoints that are not https (as the browser parses them).
    pub fn validate(&self, expected_issuer: &str, parse: Parse) -> Result<(), Error> {
        let fail = |message: String| Err(Error::new(Code::DiscoveryFailed, message));
        if self.issuer != expected_issuer {
            return fail(format!(
                "The discovery document names issuer \"{}\", expected \"{expected_issuer}\".",
                self.issuer
            ));
        }
        if let Some(methods) = &self.code_challenge_methods_supported
            && !methods.iter().any(|m| m == "S256")
        {
            return fail("The authorization server does not support PKCE with S256.".into());
        }
        let endpoints = [
            Some(&self.authorization_endpoint),
            Some(&self.token_endpoint),
            self.userinfo_endpoint.as_ref(),
            self.revocation_endpoint.as_ref(),
            self.end_session_endpoint.as_ref(),
        ];
        for endpoint in endpoints.into_iter().flatten() {
            if let Err(why) = check_web_url(endpoint, parse) {
                return fail(format!(
                    "The endpoint \"{endpoint}\" in the discovery document {why}."
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::{FromJson, ToJson};
    use crate::web_url::parse_native;

    const ISSUER: &str = "https://idp.example.com/oauth2";

    fn metadata() -> Metadata {
        crate::json::parse(
            r#"{
                "issuer": "https://idp.example.com/oauth2",
                "authorization_endpoint": "https://idp.example.com/oauth2/authorize",
                "token_endpoint": "https://idp.example.com/oauth2/token",
                "code_challenge_methods_supported": ["S256"],
                "authorization_response_iss_parameter_supported": true,
                "response_types_supported": ["code"]
            }"#,
        )
        .unwrap()
    }

    #[test]
    fn the_copy_kept_for_the_callback_page_reads_back_the_same() {
        let mut m = metadata();
        assert_eq!(Metadata::from_json(&m.to_json()), Ok(m.clone()));
        m.userinfo_endpoint = Some("https://idp.example.com/oauth2/userinfo".into());
        m.code_challenge_methods_supported = None;
        assert_eq!(Metadata::from_json(&m.to_json()), Ok(m));
    }

    #[test]
    fn parses_the_fields_it_needs_and_ignores_the_rest() {
        let m = metadata();
        assert_eq!(m.token_endpoint, "https://idp.example.com/oauth2/token");
        assert_eq!(m.userinfo_endpoint, None);
        assert!(m.authorization_response_iss_parameter_supported);
        assert!(m.validate(ISSUER, parse_native).is_ok());
        assert_eq!(
            discovery_url(ISSUER),
            "https://idp.example.com/oauth2/.well-known/openid-configuration"
        );
    }

    #[test]
    fn refuses_another_issuer() {
        let err = metadata()
            .validate("https://other.example.com", parse_native)
            .unwrap_err();
        assert_eq!(err.code(), Code::DiscoveryFailed);
    }

    #[test]
    fn refuses_a_server_without_s256() {
        let mut m = metadata();
        m.code_challenge_methods_supported = Some(vec!["plain".into()]);
        assert!(
            m.validate(ISSUER, parse_native)
                .unwrap_err()
                .message()
                .contains("S256")
        );
        m.code_challenge_methods_supported = None;
        assert!(
            m.validate(ISSUER, parse_native).is_ok(),
            "a server that does not say is given the benefit of the doubt"
        );
    }

    #[test]
    fn refuses_insecure_endpoints() {
        let mut m = metadata();
        m.token_endpoint = "http://idp.example.com/token".into();
        assert!(m.validate(ISSUER, parse_native).is_err());
        m.token_endpoint = "https://idp.example.com/token".into();
        m.revocation_endpoint = Some("javascript:alert(1)".into());
        assert!(m.validate(ISSUER, parse_native).is_err());
    }
}
