//! The code exchange: the token request, the token response and the id_token checks.
//!
//! JSON is parsed by the caller (the browser's `JSON.parse` in the element, `serde_json` in tests) and read
//! into these types field by field ([`crate::fields`]); this module also decides what is acceptable.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::authorize::PendingAttempt;
use crate::error::{Error, code};
use crate::fields::{Fields, FromJson, Invalid, Json, Kind, ToJson, Value};

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
        self.validate_renewal()?;
        if pending.nonce.is_some() && self.id_token.is_none() {
            return Err(Error::new(
                code::INVALID_TOKEN_RESPONSE,
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

    /// The checks that also apply to a refresh response: a usable token of a type the element can send.
    pub fn validate_renewal(&self) -> Result<(), Error> {
        let fail = |message: &str| Err(Error::new(code::INVALID_TOKEN_RESPONSE, message));
        if self.access_token.is_empty() {
            return fail("The token response has an empty access_token.");
        }
        if !self.token_type.eq_ignore_ascii_case("bearer") {
            return fail("The token response's token_type is not Bearer.");
        }
        Ok(())
    }
}

/// The id_token claims the element checks or shows.
#[derive(Clone, Debug, PartialEq)]
pub struct IdTokenClaims {
    /// Issuer.
    pub iss: String,
    /// The user's stable identifier.
    pub sub: String,
    /// Audience: must include the client ID.
    pub aud: Audience,
    /// Expiry, seconds since the epoch.
    pub exp: f64,
    /// The nonce sent in the authorize request.
    pub nonce: Option<String>,
    /// Authorized party, when there are several audiences.
    pub azp: Option<String>,
}

impl FromJson for IdTokenClaims {
    fn from_json<V: Json>(value: V) -> Result<Self, Invalid> {
        let f = Fields::of(value)?;
        f.finish(IdTokenClaims {
            iss: f.required("iss"),
            sub: f.required("sub"),
            aud: f.required("aud"),
            exp: f.required("exp"),
            nonce: f.optional("nonce"),
            azp: f.optional("azp"),
        })
    }
}

/// `aud` is one string or an array of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Audience {
    /// A single audience.
    One(String),
    /// Several audiences.
    Many(Vec<String>),
}

/// No audience: what a missing `aud` reads as, before the claims are refused for it.
impl Default for Audience {
    fn default() -> Audience {
        Audience::Many(Vec::new())
    }
}

impl FromJson for Audience {
    fn from_json<V: Json>(value: V) -> Result<Self, Invalid> {
        if let Kind::String(aud) = value.kind() {
            return Ok(Audience::One(aud));
        }
        Vec::from_json(value)
            .map(Audience::Many)
            .map_err(|_| Invalid::new("not a string or an array of strings"))
    }
}

impl Audience {
    fn contains(&self, client_id: &str) -> bool {
        match self {
            Audience::One(aud) => aud == client_id,
            Audience::Many(auds) => auds.iter().any(|a| a == client_id),
        }
    }
}

/// The JSON text of a JWT's payload. The signature is not checked: the id_token comes straight from the
/// token endpoint over TLS, which OpenID Connect Core §3.1.3.7 accepts in place of a signature check.
pub fn jwt_payload(jwt: &str) -> Result<String, Error> {
    let malformed = || {
        Error::new(
            code::INVALID_ID_TOKEN,
            "The id_token is not a well-formed JWT.",
        )
    };
    let mut parts = jwt.split('.');
    let (Some(_header), Some(payload), Some(_signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(malformed());
    };
    let bytes = URL_SAFE_NO_PAD.decode(payload).map_err(|_| malformed())?;
    String::from_utf8(bytes).map_err(|_| malformed())
}

/// Seconds of clock difference tolerated between the browser and the server.
const CLOCK_SKEW_S: f64 = 300.0;

impl IdTokenClaims {
    /// The checks of OpenID Connect Core §3.1.3.7 that apply without a signature: issuer, audience,
    /// authorized party, expiry, and the nonce that binds the token to this attempt.
    pub fn validate(&self, pending: &PendingAttempt, now_ms: f64) -> Result<(), Error> {
        let fail = |message: String| Err(Error::new(code::INVALID_ID_TOKEN, message));
        if self.iss != pending.issuer {
            return fail(format!(
                "The id_token was issued by \"{}\", not \"{}\".",
                self.iss, pending.issuer
            ));
        }
        if !self.aud.contains(&pending.client_id) {
            return fail("The id_token is not meant for this client.".into());
        }
        if matches!(&self.aud, Audience::Many(a) if a.len() > 1)
            && self.azp.as_deref() != Some(pending.client_id.as_str())
        {
            return fail("The id_token's authorized party is not this client.".into());
        }
        if self.exp + CLOCK_SKEW_S < now_ms / 1000.0 {
            return fail("The id_token has expired.".into());
        }
        if pending.nonce.is_some() && self.nonce != pending.nonce {
            return fail("The id_token's nonce does not match this sign-in.".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending() -> PendingAttempt {
        PendingAttempt {
            state: "s".into(),
            code_verifier: "verifier".into(),
            nonce: Some("n-1".into()),
            redirect_uri: "https://app.example.com/cb".into(),
            issuer: "https://idp.example.com".into(),
            client_id: "client".into(),
            scope: "openid profile".into(),
            created_at: 0.0,
        }
    }

    fn response(json: &str) -> Result<TokenResponse, String> {
        crate::fields::parse(json)
    }

    fn jwt(claims: &str) -> String {
        format!(
            "eyJhbGciOiJSUzI1NiJ9.{}.c2ln",
            URL_SAFE_NO_PAD.encode(claims)
        )
    }

    fn claims(json: &str) -> IdTokenClaims {
        crate::fields::parse(&jwt_payload(&jwt(json)).unwrap()).unwrap()
    }

    fn profile(json: &str) -> crate::session::Profile {
        crate::fields::parse(&jwt_payload(&jwt(json)).unwrap()).unwrap()
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
            code::INVALID_TOKEN_RESPONSE
        );
        let mac = response(r#"{"access_token":"a","token_type":"mac","id_token":"x"}"#).unwrap();
        assert_eq!(
            mac.validate(&pending()).unwrap_err().code(),
            code::INVALID_TOKEN_RESPONSE
        );
        let empty =
            response(r#"{"access_token":"","token_type":"Bearer","id_token":"x"}"#).unwrap();
        assert!(empty.validate(&pending()).is_err());
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

    #[test]
    fn jwt_payloads_decode_and_garbage_is_refused() {
        assert_eq!(jwt_payload(&jwt(r#"{"a":1}"#)).unwrap(), r#"{"a":1}"#);
        for bad in ["", "a.b", "a.b.c.d", "a.!!!.c", "a.gA.c"] {
            assert_eq!(
                jwt_payload(bad).unwrap_err().code(),
                code::INVALID_ID_TOKEN,
                "{bad}"
            );
        }
    }

    const GOOD: &str = r#"{"iss":"https://idp.example.com","sub":"u1","aud":"client","exp":2000,
        "iat":1000,"nonce":"n-1","name":"Max Mule","email":"max@example.com"}"#;

    #[test]
    fn matching_claims_validate_and_carry_the_profile() {
        assert!(claims(GOOD).validate(&pending(), 1_500_000.0).is_ok());
        let p = profile(GOOD);
        assert_eq!(p.sub.as_deref(), Some("u1"));
        assert_eq!(p.name.as_deref(), Some("Max Mule"));
        assert_eq!(p.email.as_deref(), Some("max@example.com"));
    }

    #[test]
    fn claims_for_another_attempt_issuer_or_client_are_refused() {
        let now = 1_500_000.0;
        for (from, to) in [
            (r#""nonce":"n-1""#, r#""nonce":"n-2""#),
            (r#""nonce":"n-1""#, r#""x":1"#),
            (
                r#""iss":"https://idp.example.com""#,
                r#""iss":"https://evil.example""#,
            ),
            (r#""aud":"client""#, r#""aud":"other""#),
            (r#""aud":"client""#, r#""aud":["client","other"]"#),
            (r#""exp":2000"#, r#""exp":1000"#),
        ] {
            let c = claims(&GOOD.replace(from, to));
            assert_eq!(
                c.validate(&pending(), now).unwrap_err().code(),
                code::INVALID_ID_TOKEN,
                "{to}"
            );
        }
        let multi = claims(&GOOD.replace(
            r#""aud":"client""#,
            r#""aud":["client","other"],"azp":"client""#,
        ));
        assert!(multi.validate(&pending(), now).is_ok());
        assert_eq!(
            crate::fields::parse::<IdTokenClaims>(&GOOD.replace(r#""aud":"client""#, r#""aud":7"#)),
            Err("the `aud` field is not a string or an array of strings".to_owned())
        );
    }
}
