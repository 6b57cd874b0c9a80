//! Server-provided nonces (RFC 9449 §8, §9): the `DPoP-Nonce` header, the token endpoint's `use_dpop_nonce`
//! error (the resource server's challenge: [`super::challenge`]), and the one retry a challenge earns.

use crate::token::response::ErrorResponse;

/// The longest nonce the element keeps and sends back. RFC 9449 sets no limit; real nonces are tens of
/// characters, and a longer one would be copied into every proof.
pub const MAX_NONCE_LEN: usize = 256;

/// A nonce from a `DPoP-Nonce` header, checked: the `nonce` of the next proofs to that server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Nonce(String);

impl Nonce {
    /// A `DPoP-Nonce` header's value, if it is `1*NQCHAR` (%x21 / %x23-5B / %x5D-7E, RFC 9449 §8.1) of at
    /// most [`MAX_NONCE_LEN`] characters; otherwise why not. Refused, not cleaned: a nonce changed by the
    /// element would be refused by the server anyway.
    pub fn from_header(value: &str) -> Result<Nonce, &'static str> {
        if value.is_empty() {
            return Err("is empty");
        }
        if value.len() > MAX_NONCE_LEN {
            return Err("is longer than 256 characters");
        }
        match value
            .bytes()
            .all(|b| matches!(b, 0x21 | 0x23..=0x5B | 0x5D..=0x7E))
        {
            true => Ok(Nonce(value.to_owned())),
            false => Err(
                "holds a character other than printable ASCII without space, quote or backslash",
            ),
        }
    }

    /// The nonce, as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether the token endpoint's error answer asks for a nonce: a 400 with error `use_dpop_nonce` (RFC 9449 §8).
pub fn is_nonce_error(status: u16, error: &ErrorResponse) -> bool {
    status == 400 && error.error == "use_dpop_nonce"
}

/// Which try of a request this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attempt {
    /// The request as first sent.
    First,
    /// The request sent again with the server's nonce.
    Retry,
}

/// What a server answered a request with a proof, as far as nonces go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// It asked for a nonce ([`is_nonce_error`], [`super::challenge::asks_for_nonce`]).
    pub challenged: bool,
    /// The nonce it sent (`DPoP-Nonce`), if a valid one ([`Nonce::from_header`]).
    pub nonce: Option<Nonce>,
}

/// What to do after an answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Next {
    /// Send the request again, with a fresh proof that carries this nonce.
    Retry(Nonce),
    /// Take the answer as it is (a challenge that is not retried fails as the server's error).
    Done,
}

/// The nonce rule: a first attempt that the server challenged is retried once, with the nonce it sent, when
/// that nonce is not the one the attempt carried (the same proof would be refused again). A retry is never
/// retried: a server that keeps asking cannot make the element loop.
pub fn next_attempt(attempt: Attempt, sent: Option<&Nonce>, answer: Answer) -> Next {
    match (attempt, answer) {
        (
            Attempt::First,
            Answer {
                challenged: true,
                nonce: Some(nonce),
            },
        ) if sent != Some(&nonce) => Next::Retry(nonce),
        _ => Next::Done,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nonce_is_printable_ascii_without_quote_backslash_or_space() {
        let ok = "eyJ7S_zG.eyJH0-Z.HX4w-7v";
        assert_eq!(Nonce::from_header(ok).unwrap().as_str(), ok);
        let every_nqchar: String = (0x21u8..=0x7e)
            .filter(|b| *b != b'"' && *b != b'\\')
            .map(char::from)
            .collect();
        assert!(Nonce::from_header(&every_nqchar).is_ok());
        assert!(Nonce::from_header(&"n".repeat(MAX_NONCE_LEN)).is_ok());
        for bad in [
            "",
            " n",
            "n ",
            "a b",
            "a\"b",
            "a\\b",
            "a\tb",
            "a\r\nSet-Cookie: x",
            "a\u{0}",
            "a\u{7f}",
            "é",
            "n\u{202e}",
        ] {
            assert!(Nonce::from_header(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            Nonce::from_header(&"n".repeat(MAX_NONCE_LEN + 1)),
            Err("is longer than 256 characters")
        );
        assert!(Nonce::from_header(&"n".repeat(10_000_000)).is_err());
    }

    #[test]
    fn the_token_endpoint_asks_with_a_400_use_dpop_nonce() {
        let error = |code: &str| ErrorResponse {
            error: code.into(),
            error_description: None,
        };
        assert!(is_nonce_error(400, &error("use_dpop_nonce")));
        assert!(!is_nonce_error(401, &error("use_dpop_nonce")));
        assert!(!is_nonce_error(400, &error("invalid_dpop_proof")));
        assert!(!is_nonce_error(400, &error("USE_DPOP_NONCE")));
        let read: ErrorResponse = crate::json::parse(
            r#"{"error":"use_dpop_nonce","error_description":"Authorization server requires nonce"}"#,
        )
        .unwrap();
        assert!(is_nonce_error(400, &read));
    }

    #[test]
    fn a_challenge_is_retried_once_with_a_new_nonce() {
        let nonce = |n: &str| Nonce::from_header(n).unwrap();
        let answer = |challenged, n: Option<&str>| Answer {
            challenged,
            nonce: n.map(nonce),
        };
        assert_eq!(
            next_attempt(Attempt::First, None, answer(true, Some("n1"))),
            Next::Retry(nonce("n1"))
        );
        assert_eq!(
            next_attempt(Attempt::First, Some(&nonce("n0")), answer(true, Some("n1"))),
            Next::Retry(nonce("n1"))
        );
        for (attempt, sent, answered) in [
            // The retry's own challenge ends it, whatever nonce comes with it.
            (Attempt::Retry, Some("n1"), answer(true, Some("n2"))),
            (Attempt::Retry, None, answer(true, Some("n2"))),
            // The nonce already sent would be refused again.
            (Attempt::First, Some("n1"), answer(true, Some("n1"))),
            // A challenge without a (valid) nonce: nothing to retry with.
            (Attempt::First, None, answer(true, None)),
            // A nonce on an answer that is no challenge is only remembered, by the caller.
            (Attempt::First, None, answer(false, Some("n1"))),
        ] {
            let sent = sent.map(nonce);
            assert_eq!(
                next_attempt(attempt, sent.as_ref(), answered.clone()),
                Next::Done,
                "{attempt:?} {sent:?} {answered:?}"
            );
        }
    }

    #[test]
    fn a_server_that_always_challenges_gets_two_requests() {
        let mut attempt = Attempt::First;
        let mut sent = None;
        let mut requests = 0;
        loop {
            requests += 1;
            let fresh = Nonce::from_header(&format!("n{requests}")).unwrap();
            let answer = Answer {
                challenged: true,
                nonce: Some(fresh),
            };
            match next_attempt(attempt, sent.as_ref(), answer) {
                Next::Retry(nonce) => (attempt, sent) = (Attempt::Retry, Some(nonce)),
                Next::Done => break,
            }
        }
        assert_eq!(requests, 2);
    }
}
