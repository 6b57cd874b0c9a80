//! PKCE (RFC 7636) with S256 only, and the random values of an attempt.
//!
//! Randomness comes from the caller (the browser's `crypto.getRandomValues`), so this stays pure and testable.

use sha2::{Digest, Sha256};

/// Encodes random bytes as an unpadded base64url string: 32 bytes give 43 characters, the shortest verifier
/// RFC 7636 §4.1 allows and 256 bits of entropy (the same encoding serves `state` and `nonce`).
pub fn random_string(bytes: &[u8; 32]) -> String {
    base64url(bytes)
}

/// `code_challenge` for `code_verifier` with method S256: base64url(SHA-256(verifier)).
pub fn challenge(verifier: &str) -> String {
    base64url(&Sha256::digest(verifier.as_bytes()))
}

/// Unpadded base64url (RFC 4648 §5). Written out rather than the base64 crate's encoder, which is unrolled
/// for long inputs (2 KB of wasm on the sign-in path) while a sign-in encodes only four 32-byte values; the
/// crate still decodes id_tokens, and the tests check this against it.
fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        // Up to 24 bits, first byte highest; k bytes give k + 1 characters of 6 bits.
        let bits = chunk
            .iter()
            .enumerate()
            .fold(0u32, |bits, (i, &b)| bits | (u32::from(b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[((bits >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn base64url_matches_the_base64_crate(bytes in proptest::collection::vec(any::<u8>(), 0..100)) {
            prop_assert_eq!(base64url(&bytes), URL_SAFE_NO_PAD.encode(&bytes));
        }
    }

    #[test]
    fn rfc7636_appendix_b_vector() {
        let octets: [u8; 32] = [
            116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212,
            37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
        ];
        let verifier = random_string(&octets);
        assert_eq!(verifier, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assert_eq!(
            challenge(&verifier),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn verifier_has_the_rfc_length_and_alphabet() {
        let v = random_string(&[0xff; 32]);
        assert_eq!(v.len(), 43);
        assert!(
            v.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
    }
}
