//! The public half of the element's DPoP key (P-256), and its JWK thumbprint (RFC 7638).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::{Member, object_text};
use crate::error::{Code, Error};
use crate::json::object::json_object;
use crate::pkce;

/// A public key as Web Crypto exports it (`exportKey("jwk", publicKey)`); only these members are read (not
/// `ext` or `key_ops`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Jwk {
    /// The key type: must be `EC`.
    pub kty: String,
    /// The curve: must be `P-256`.
    pub crv: String,
    /// The point's x coordinate, base64url.
    pub x: String,
    /// Its y coordinate, base64url.
    pub y: String,
}

json_object! {
    read Jwk {
        kty: required,
        crv: required,
        x: required,
        y: required,
    }
}

/// A checked P-256 public key: the `jwk` of every proof, and what a bound token names by its thumbprint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicKey {
    x: String,
    y: String,
}

impl PublicKey {
    /// The key in `jwk`, if it is an EC key on P-256 whose coordinates are base64url of 32 bytes each (taken as
    /// given: not checked to be on the curve, which the server does when it verifies a proof). Web Crypto
    /// exports nothing else for a P-256 key, so a failure means a browser that does not follow the standard.
    pub fn from_jwk(jwk: Jwk) -> Result<PublicKey, Error> {
        let fail = |what: String| {
            Err(Error::new(
                Code::UnsupportedBrowser,
                format!(
                    "The browser's Web Crypto exported a DPoP key {what}. Use a browser whose Web Crypto \
                     follows the standard, or set dpop=\"off\"."
                ),
            ))
        };
        if jwk.kty != "EC" || jwk.crv != "P-256" {
            return fail(format!(
                "of type \"{}\" on curve \"{}\", not an EC key on P-256",
                jwk.kty, jwk.crv
            ));
        }
        for (name, coordinate) in [("x", &jwk.x), ("y", &jwk.y)] {
            // The unpadded engine also refuses padding and non-zero trailing bits: one spelling per value.
            if URL_SAFE_NO_PAD.decode(coordinate).map(|b| b.len()) != Ok(32) {
                return fail(format!(
                    "whose {name} is not 32 bytes in base64url (\"{coordinate}\")"
                ));
            }
        }
        Ok(PublicKey { x: jwk.x, y: jwk.y })
    }

    /// The key's required members in lexicographic order, without whitespace: what RFC 7638 §3.2 hashes, and
    /// the proof header's `jwk` (where any order does, and only public members may appear: RFC 9449 §4.2).
    pub(super) fn members(&self) -> String {
        object_text(&[
            ("crv", Member::Text("P-256")),
            ("kty", Member::Text("EC")),
            ("x", Member::Text(&self.x)),
            ("y", Member::Text(&self.y)),
        ])
    }

    /// The JWK SHA-256 thumbprint, base64url (RFC 7638): the `jkt` that a bound token's `cnf.jkt` equals
    /// (RFC 9449 §6) and that `dpop_jkt` would send.
    pub fn thumbprint(&self) -> String {
        // base64url(SHA-256(text)): PKCE's S256 is the same function.
        pkce::challenge(&self.members())
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::json::parse;
    use sha2::{Digest, Sha256};

    /// The key of RFC 9449's examples (§4.1), as Web Crypto exports one.
    pub(in crate::dpop) fn rfc9449_key() -> PublicKey {
        let jwk: Jwk = parse(
            r#"{"kty":"EC","crv":"P-256","ext":true,"key_ops":["verify"],
                "x":"l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs",
                "y":"9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA"}"#,
        )
        .unwrap();
        PublicKey::from_jwk(jwk).unwrap()
    }

    #[test]
    fn the_thumbprint_hashes_the_required_members_in_order() {
        let key = rfc9449_key();
        let text = concat!(
            r#"{"crv":"P-256","kty":"EC","x":"l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs","#,
            r#""y":"9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA"}"#
        );
        assert_eq!(key.members(), text);
        assert_eq!(
            key.thumbprint(),
            URL_SAFE_NO_PAD.encode(Sha256::digest(text.as_bytes()))
        );
        // The `cnf.jkt` of RFC 9449 §6.1's token bound to this key.
        assert_eq!(
            key.thumbprint(),
            "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"
        );
    }

    #[test]
    fn keys_that_are_not_p256_public_keys_are_refused() {
        let x = "l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs";
        let jwk = |kty: &str, crv: &str, x: &str, y: &str| Jwk {
            kty: kty.into(),
            crv: crv.into(),
            x: x.into(),
            y: y.into(),
        };
        assert!(PublicKey::from_jwk(jwk("EC", "P-256", x, x)).is_ok());
        for (bad, why) in [
            (jwk("RSA", "P-256", x, x), "not an EC key on P-256"),
            (jwk("EC", "P-384", x, x), "not an EC key on P-256"),
            (jwk("EC", "p-256", x, x), "not an EC key on P-256"),
            (jwk("EC", "P-256", "", x), "x is not 32 bytes"),
            (jwk("EC", "P-256", x, &x[1..]), "y is not 32 bytes"),
            (jwk("EC", "P-256", &format!("{x}="), x), "x is not 32 bytes"),
            (
                jwk("EC", "P-256", &x.replace('-', "+"), x),
                "x is not 32 bytes",
            ),
            // The last character's trailing bits must be zero: `t` (…101101) spells no 32-byte value.
            (
                jwk("EC", "P-256", &x.replace('s', "t"), x),
                "x is not 32 bytes",
            ),
            (
                jwk("EC", "P-256", &format!("{x}AAAA"), x),
                "x is not 32 bytes",
            ),
        ] {
            let error = PublicKey::from_jwk(bad.clone()).unwrap_err();
            assert_eq!(error.code(), Code::UnsupportedBrowser);
            assert!(error.message().contains(why), "{bad:?}: {error}");
        }
        assert_eq!(
            parse::<Jwk>(r#"{"kty":"EC","crv":"P-256","x":"a"}"#),
            Err("the `y` field is missing".into())
        );
    }
}
