//! The authorization server's metadata (OpenID Connect Discovery 1.0 / RFC 8414), and the checks that make it
//! safe to use.

use crate::config::check_web_url;
use crate::error::{Error, code};
use crate::fields::{Fields, FromJson, Invalid, Json};

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
    /// PKCE methods; absent means the server did not say.
    pub code_challenge_methods_supported: Option<Vec<String>>,
    /// RFC 9207: the server promises an `iss` parameter in every authorization response.
    pub authorization_response_iss_parameter_supported: bool,
}

impl FromJson for Metadata {
    fn from_json<V: Json>(value: V) -> Result<Self, Invalid> {
        let f = Fields::of(value)?;
        f.finish(Metadata {
            issuer: f.required("issuer"),
            authorization_endpoint: f.required("authorization_endpoint"),
            token_endpoint: f.required("token_endpoint"),
            userinfo_endpoint: f.optional("userinfo_endpoint"),
            revocation_endpoint: f.optional("revocation_endpoint"),
            code_challenge_methods_supported: f.optional("code_challenge_methods_supported"),
            authorization_response_iss_parameter_supported: f
                .or_default("authorization_response_iss_parameter_supported"),
        })
    }
}

/// Where the discovery document of `issuer` lives.
pub fn discovery_url(issuer: &str) -> String {
    format!("{issuer}/.well-known/openid-configuration")
}

impl Metadata {
    /// Refuses metadata that would make the sign-in unsafe: another issuer (mix-up, RFC 8414 §3.3), a PKCE
    /// method list without S256 (downgrade), or endpoints that are not https.
    pub fn validate(&self, expected_issuer: &str) -> Result<(), Error> {
        let fail = |message: String| Err(Error::new(code::DISCOVERY_FAILED, message));
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
        ];
        for endpoint in endpoints.into_iter().flatten() {
            if let Err(why) = check_web_url(endpoint) {
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

    const ISSUER: &str = "https://idp.example.com/oauth2";

    fn metadata() -> Metadata {
        crate::fields::parse(
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
    fn parses_the_fields_it_needs_and_ignores_the_rest() {
        let m = metadata();
        assert_eq!(m.token_endpoint, "https://idp.example.com/oauth2/token");
        assert_eq!(m.userinfo_endpoint, None);
        assert!(m.authorization_response_iss_parameter_supported);
        assert!(m.validate(ISSUER).is_ok());
        assert_eq!(
            discovery_url(ISSUER),
            "https://idp.example.com/oauth2/.well-known/openid-configuration"
        );
    }

    #[test]
    fn refuses_another_issuer() {
        let err = metadata()
            .validate("https://other.example.com")
            .unwrap_err();
        assert_eq!(err.code(), code::DISCOVERY_FAILED);
    }

    #[test]
    fn refuses_a_server_without_s256() {
        let mut m = metadata();
        m.code_challenge_methods_supported = Some(vec!["plain".into()]);
        assert!(m.validate(ISSUER).unwrap_err().message().contains("S256"));
        m.code_challenge_methods_supported = None;
        assert!(
            m.validate(ISSUER).is_ok(),
            "a server that does not say is given the benefit of the doubt"
        );
    }

    #[test]
    fn refuses_insecure_endpoints() {
        let mut m = metadata();
        m.token_endpoint = "http://idp.example.com/token".into();
        assert!(m.validate(ISSUER).is_err());
        m.token_endpoint = "https://idp.example.com/token".into();
        m.revocation_endpoint = Some("javascript:alert(1)".into());
        assert!(m.validate(ISSUER).is_err());
    }
}
