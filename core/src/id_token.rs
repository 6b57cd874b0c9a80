//! The id_token: decoding it, and the checks that bind it to this sign-in (OpenID Connect Core §3.1.3.7) and
//! a renewed one to the same user (§12.2).
//!
//! The signature is not checked: the id_token comes straight from the token endpoint over TLS, which §3.1.3.7
//! accepts in place of a signature check (SECURITY.md says more). `alg: none` is refused all the same: no
//! server the element talks to has a reason to send an unsigned token.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::authorize::PendingAttempt;
use crate::error::{Code, Error};
use crate::json::object::json_object;
use crate::json::{FromJson, Invalid, Json, Kind};
use crate::session::profile::Profile;

/// Seconds of clock difference tolerated between the browser and the server.
const CLOCK_SKEW_S: f64 = 300.0;

/// A decoded id_token: the claims the element checks, and the user's profile.
#[derive(Clone, Debug, PartialEq)]
pub struct IdToken {
    /// The claims checked.
    pub claims: IdTokenClaims,
    /// The user's profile, from the same payload.
    pub profile: Profile,
}

/// The JOSE header's one field the element reads.
struct Header {
    alg: String,
}

json_object! {
    read Header {
        alg: required,
    }
}

/// The id_token claims the element checks.
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
    /// Issued at, seconds since the epoch.
    pub iat: Option<f64>,
    /// When the user authenticated; a renewed token must repeat it.
    pub auth_time: Option<f64>,
    /// The nonce sent in the authorize request.
    pub nonce: Option<String>,
    /// Authorized party: when present, it must be this client.
    pub azp: Option<String>,
}

json_object! {
    read IdTokenClaims {
        iss: required,
        sub: required,
        aud: required,
        exp: required,
        iat: optional,
        auth_time: optional,
        nonce: optional,
        azp: optional,
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

fn invalid(message: impl AsRef<str>) -> Error {
    Error::new(Code::InvalidIdToken, message)
}

/// The decoded text of one base64url part of a JWT.
fn decode_part(part: &str) -> Result<String, Error> {
    let malformed = || invalid("The id_token is not a well-formed JWT.");
    let bytes = URL_SAFE_NO_PAD.decode(part).map_err(|_| malformed())?;
    String::from_utf8(bytes).map_err(|_| malformed())
}

/// The JSON texts of a JWT's header and payload.
pub fn jwt_parts(jwt: &str) -> Result<(String, String), Error> {
    let mut parts = jwt.split('.');
    let (Some(header), Some(payload), Some(_signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid("The id_token is not a well-formed JWT."));
    };
    Ok((decode_part(header)?, decode_part(payload)?))
}

impl IdToken {
    /// Decodes `jwt` and reads it; `parse` turns JSON text into a value (the browser's `JSON.parse` in the
    /// element). Refuses an unsigned token (`alg: none`) and claims of the wrong shape; the claims are not yet
    /// checked against anything.
    pub fn read<V: Json + Clone>(
        jwt: &str,
        parse: impl Fn(&str) -> Result<V, String>,
    ) -> Result<IdToken, Error> {
        let (header, payload) = jwt_parts(jwt)?;
        let read = |text: &str, what: &str| {
            parse(text)
                .map_err(|why| invalid(format!("The id_token's {what} is not valid: {why}.")))
        };
        let header = Header::from_json(read(&header, "header")?)
            .map_err(|why| invalid(format!("The id_token's header is not valid: {why}.")))?;
        if header.alg.eq_ignore_ascii_case("none") {
            return Err(invalid("The id_token is unsigned (alg none)."));
        }
        let payload = read(&payload, "payload")?;
        let claims_invalid =
            |why: Invalid| invalid(format!("The id_token's claims are invalid: {why}."));
        Ok(IdToken {
            claims: IdTokenClaims::from_json(payload.clone()).map_err(claims_invalid)?,
            profile: Profile::from_json(payload).map_err(claims_invalid)?,
        })
    }
}

impl IdTokenClaims {
    /// The checks of a token issued to `client_id` by `issuer`: issuer, audience, authorized party, expiry
    /// and issue time.
    fn check(&self, issuer: &str, client_id: &str, now_ms: f64) -> Result<(), Error> {
        let now_s = now_ms / 1000.0;
        if self.iss != issuer {
            return Err(invalid(format!(
                "The id_token was issued by \"{}\", not \"{issuer}\".",
                self.iss
            )));
        }
        if !self.aud.contains(client_id) {
            return Err(invalid("The id_token is not meant for this client."));
        }
        let several = matches!(&self.aud, Audience::Many(a) if a.len() > 1);
        if (several || self.azp.is_some()) && self.azp.as_deref() != Some(client_id) {
            return Err(invalid(
                "The id_token's authorized party is not this client.",
            ));
        }
        if self.exp + CLOCK_SKEW_S < now_s {
            return Err(invalid("The id_token has expired."));
        }
        if self.iat.is_some_and(|iat| iat > now_s + CLOCK_SKEW_S) {
            return Err(invalid("The id_token was issued in the future."));
        }
        Ok(())
    }

    /// The first id_token of a sign-in: issued for `pending`'s client by its issuer, carrying its nonce.
    pub fn validate(&self, pending: &PendingAttempt, now_ms: f64) -> Result<(), Error> {
        self.check(&pending.issuer, &pending.client_id, now_ms)?;
        if pending.nonce.is_some() && self.nonce != pending.nonce {
            return Err(invalid("The id_token's nonce does not match this sign-in."));
        }
        Ok(())
    }

    /// An id_token from a renewal (OpenID Connect Core §12.2): valid for `client_id` at `issuer`, and the same
    /// user, audience, authorized party and authentication as the session's `original` one, when it had one.
    pub fn validate_renewal(
        &self,
        issuer: &str,
        client_id: &str,
        original: Option<&IdTokenClaims>,
        now_ms: f64,
    ) -> Result<(), Error> {
        self.check(issuer, client_id, now_ms)?;
        let Some(original) = original else {
            return Ok(());
        };
        let same = self.iss == original.iss
            && self.sub == original.sub
            && self.aud == original.aud
            && self.azp == original.azp
            && (self.auth_time.is_none() || self.auth_time == original.auth_time);
        match same {
            true => Ok(()),
            false => Err(invalid(
                "The renewed id_token is not for the user, client or sign-in of the session: the renewal is refused.",
            )),
        }
    }
}

#[cfg(test)]
mod tests;
