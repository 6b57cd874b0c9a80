//! A DPoP proof (RFC 9449 §4): the JWS sent in each request's `DPoP` header, built here up to its signature,
//! which Web Crypto makes with a key the page cannot export.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::binding::Algorithm;
use super::key::PublicKey;
use super::nonce::Nonce;
use super::{Member, object_text};
use crate::error::{Code, Error};
use crate::pkce;
use crate::web_url::WebUrl;

/// What a proof says about one request.
#[derive(Clone, Copy, Debug)]
pub struct Proof<'a> {
    /// The public half of the key that signs.
    pub key: &'a PublicKey,
    /// The request's method, as given to `fetch`.
    pub method: &'a str,
    /// The request's URL, as the browser parsed it.
    pub url: &'a WebUrl,
    /// Now, in seconds since the Unix epoch.
    pub iat: u64,
    /// Fresh random bytes (`crypto.getRandomValues`), so the server can refuse a replayed proof; RFC 9449
    /// §4.2 asks for at least 96 bits.
    pub jti: &'a [u8; 32],
    /// The server's latest nonce, when it asked for one ([`super::nonce`]).
    pub nonce: Option<&'a Nonce>,
    /// The access token the request presents (a resource request, userinfo): its hash binds the proof to it.
    pub access_token: Option<&'a str>,
}

/// A proof's JWS signing input, `base64url(header).base64url(payload)`: what Web Crypto signs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SigningInput(String);

impl Proof<'_> {
    /// The header and payload of this proof, encoded for signing.
    pub fn signing_input(&self) -> SigningInput {
        let header = object_text(&[
            ("typ", Member::Text("dpop+jwt")),
            ("alg", Member::Text(Algorithm::Es256.name())),
            ("jwk", Member::Object(&self.key.members())),
        ]);
        let jti = pkce::random_string(self.jti);
        // `ath`: base64url(SHA-256(token)), PKCE's S256 function (RFC 9449 §4.2).
        let ath = self.access_token.map(pkce::challenge);
        let mut payload = vec![
            ("jti", Member::Text(&jti)),
            ("htm", Member::Text(htm(self.method))),
            ("htu", Member::Text(htu(self.url))),
            ("iat", Member::Number(self.iat)),
        ];
        payload.extend(self.nonce.map(|n| ("nonce", Member::Text(n.as_str()))));
        payload.extend(ath.as_deref().map(|a| ("ath", Member::Text(a))));
        let [header, payload] = [header, object_text(&payload)].map(|t| URL_SAFE_NO_PAD.encode(t));
        SigningInput(format!("{header}.{payload}"))
    }
}

impl SigningInput {
    /// The text to sign, as UTF-8 bytes.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The proof in compact form: this input and its ES256 signature, which must be the 64 bytes of `r` and `s`
    /// that Web Crypto returns and JWS uses (RFC 7518 §3.4), not a DER sequence.
    pub fn with_signature(self, signature: &[u8]) -> Result<String, Error> {
        if signature.len() != 64 {
            return Err(Error::new(
                Code::UnsupportedBrowser,
                format!(
                    "The browser's Web Crypto returned a {}-byte ES256 signature, not the 64 bytes of r and s \
                     a DPoP proof needs. Use a browser whose Web Crypto follows the standard, or set \
                     dpop=\"off\".",
                    signature.len()
                ),
            ));
        }
        Ok(format!("{}.{}", self.0, URL_SAFE_NO_PAD.encode(signature)))
    }
}

/// `htm`: the method as `fetch` sends it, which upper-cases these six and no other (the Fetch standard's
/// "normalize a method"): `fetch(url, {method: "post"})` sends `POST`, and `htm` must match what is sent.
fn htm(method: &str) -> &str {
    ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"]
        .into_iter()
        .find(|normal| normal.eq_ignore_ascii_case(method))
        .unwrap_or(method)
}

/// `htu`: the URL without its query and fragment (RFC 9449 §4.2). In the browser's serialization, the first
/// `?` or `#` ends the path: both are percent-encoded in a path and in user info, no host holds them, and a
/// `?` in a fragment comes after its `#`.
fn htu(url: &WebUrl) -> &str {
    url.href.split(['?', '#']).next().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dpop::key::tests::rfc9449_key;
    use crate::web_url::parse_native;
    use serde_json::{Value, json};

    fn url(input: &str) -> WebUrl {
        parse_native(input, None).unwrap()
    }

    /// A token request's proof, as RFC 9449 §4.1's example.
    fn token_proof<'a>(key: &'a PublicKey, target: &'a WebUrl) -> Proof<'a> {
        Proof {
            key,
            method: "POST",
            url: target,
            iat: 1_562_262_616,
            jti: &[7; 32],
            nonce: None,
            access_token: None,
        }
    }

    fn decode(part: &str) -> Value {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
    }

    #[test]
    fn a_token_request_proof_has_the_header_and_claims_of_rfc_9449() {
        let key = rfc9449_key();
        let target = url("https://server.example.com/token");
        let input = token_proof(&key, &target).signing_input();
        let (header, payload) = input.as_str().split_once('.').unwrap();
        // The exact header text: typ, alg, then only the public members of the key.
        assert_eq!(
            URL_SAFE_NO_PAD.decode(header).unwrap(),
            format!(
                r#"{{"typ":"dpop+jwt","alg":"ES256","jwk":{}}}"#,
                key.members()
            )
            .as_bytes()
        );
        assert_eq!(
            decode(payload),
            json!({
                "jti": URL_SAFE_NO_PAD.encode([7; 32]),
                "htm": "POST",
                "htu": "https://server.example.com/token",
                "iat": 1_562_262_616,
            })
        );
        let jws = input.clone().with_signature(&[0xff; 64]).unwrap();
        assert_eq!(jws, format!("{}.{}w", input.as_str(), "_".repeat(85)));
        assert_eq!(jws.split('.').count(), 3);
    }

    #[test]
    fn a_resource_proof_carries_the_nonce_and_the_token_hash() {
        let key = rfc9449_key();
        let target = url("https://resource.example.org/protectedresource?q=1#top");
        let nonce = Nonce::from_header("eyJ7S_zG.eyJH0-Z.HX4w-7v").unwrap();
        let proof = Proof {
            method: "get",
            jti: &[0; 32],
            nonce: Some(&nonce),
            access_token: Some("Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"),
            ..token_proof(&key, &target)
        };
        let payload = decode(proof.signing_input().as_str().split('.').nth(1).unwrap());
        assert_eq!(payload["htm"], "GET");
        assert_eq!(
            payload["htu"],
            "https://resource.example.org/protectedresource"
        );
        assert_eq!(payload["nonce"], "eyJ7S_zG.eyJH0-Z.HX4w-7v");
        // RFC 9449 §7.1's example token and its `ath`.
        assert_eq!(
            payload["ath"],
            "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo"
        );
        assert_eq!(payload["jti"], "A".repeat(43));
    }

    #[test]
    fn only_a_64_byte_signature_makes_a_proof() {
        let key = rfc9449_key();
        let target = url("https://server.example.com/token");
        let input = token_proof(&key, &target).signing_input();
        for length in [0, 63, 65, 70, 72] {
            let error = input.clone().with_signature(&vec![1; length]).unwrap_err();
            assert_eq!(error.code(), Code::UnsupportedBrowser);
            assert!(
                error.message().contains(&format!("{length}-byte")),
                "{error}"
            );
        }
    }

    #[test]
    fn htm_is_the_method_fetch_sends() {
        for (given, sent) in [
            ("post", "POST"),
            ("Get", "GET"),
            ("delete", "DELETE"),
            ("PATCH", "PATCH"),
            // fetch sends these as given: only the six above are normalized.
            ("patch", "patch"),
            ("Propfind", "Propfind"),
        ] {
            assert_eq!(htm(given), sent);
        }
    }

    #[test]
    fn htu_is_what_the_whatwg_parser_leaves_without_query_and_fragment() {
        for (input, expected) in [
            ("https://a.example/p?q=1", "https://a.example/p"),
            ("https://a.example/p#f", "https://a.example/p"),
            ("https://a.example/p?q#f", "https://a.example/p"),
            // A fragment before what looks like a query: all fragment.
            ("https://a.example/p#f?q", "https://a.example/p"),
            ("https://a.example/p?", "https://a.example/p"),
            ("https://a.example/p#", "https://a.example/p"),
            ("https://a.example?q", "https://a.example/"),
            ("https://A.EXAMPLE:443/a/../b/./c", "https://a.example/b/c"),
            ("https://a.example/p%3Fq%23f", "https://a.example/p%3Fq%23f"),
            ("https://a.example/\"x\"", "https://a.example/%22x%22"),
            ("https://a.example\\p\\q?r", "https://a.example/p/q"),
            (
                "https://us%3Fer@a.example/p?q",
                "https://us%3Fer@a.example/p",
            ),
            ("https://a.example/é?é", "https://a.example/%C3%A9"),
            ("http://127.0.0.1:8080/t?x#y", "http://127.0.0.1:8080/t"),
        ] {
            let parsed = url(input);
            // The same, by the url crate's own WHATWG setters.
            let mut whatwg = url::Url::parse(input).unwrap();
            whatwg.set_query(None);
            whatwg.set_fragment(None);
            assert_eq!(htu(&parsed), whatwg.as_str(), "{input}");
            assert_eq!(htu(&parsed), expected, "{input}");
        }
    }
}
