//! Whether a sign-in binds its tokens with DPoP (the `dpop` choice against the server's discovery document),
//! and which token types it then accepts.

use crate::attributes::choices;
use crate::error::{Code, Error};

choices! {
    /// Whether tokens are bound to the element's key (the `dpop` choice).
    pub enum DpopMode {
        /// When the server's discovery document lists an algorithm the element signs with.
        Auto = "auto",
        /// Always: a server without DPoP is refused.
        On = "on",
        /// Never: Bearer tokens.
        Off = "off",
    }
}

/// The proof algorithms the element signs with: Web Crypto's ECDSA on P-256 with SHA-256.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algorithm {
    /// ECDSA P-256 SHA-256.
    Es256,
}

impl Algorithm {
    /// The JWS `alg` (RFC 7518 §3.1), as servers list it.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Es256 => "ES256",
        }
    }
}

/// How a sign-in's tokens are requested.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Binding {
    /// With DPoP proofs signed with this algorithm.
    Dpop(Algorithm),
    /// Without proofs: Bearer tokens.
    Bearer,
}

/// The binding `mode` chooses for a server whose discovery document lists `supported` as its
/// `dpop_signing_alg_values_supported` (`None`: absent, which RFC 9449 §5.1 lets a server with DPoP do, but
/// `on` has no other sign to go by). An error for `on` when ES256 is not listed, before the visitor leaves
/// the page.
pub fn binding(mode: DpopMode, supported: Option<&[String]>) -> Result<Binding, Error> {
    let es256 = Algorithm::Es256;
    // JWS algorithm names are case-sensitive.
    let listed = supported.is_some_and(|algs| algs.iter().any(|alg| alg == es256.name()));
    match (mode, listed) {
        (DpopMode::Off, _) | (DpopMode::Auto, false) => Ok(Binding::Bearer),
        (DpopMode::Auto | DpopMode::On, true) => Ok(Binding::Dpop(es256)),
        (DpopMode::On, false) => Err(Error::new(
            Code::DiscoveryFailed,
            format!(
                "dpop=\"on\" requires DPoP with ES256, but the authorization server's discovery document {}. \
                 Enable DPoP with ES256 at the server, or set dpop=\"auto\" to sign in with Bearer tokens there.",
                match supported {
                    None => "lists no dpop_signing_alg_values_supported".to_owned(),
                    Some(algs) => format!(
                        "lists dpop_signing_alg_values_supported [{}]",
                        algs.join(", ")
                    ),
                }
            ),
        )),
    }
}

/// A token's type, as requests present it: `Authorization: DPoP …` with a proof, or `Authorization: Bearer …`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenType {
    /// Bound to the element's key (RFC 9449 §5).
    Dpop,
    /// Not bound: whoever holds it can use it.
    Bearer,
}

impl TokenType {
    /// The `Authorization` scheme, also the `tokenType` pages are told.
    pub fn scheme(self) -> &'static str {
        match self {
            TokenType::Dpop => "DPoP",
            TokenType::Bearer => "Bearer",
        }
    }
}

/// A token response's type, accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accepted {
    /// How the token is presented.
    pub token_type: TokenType,
    /// For the console: the server ignored the proof, and `auto` took the unbound token.
    pub warning: Option<String>,
}

/// Checks a token response's `token_type` (any case: RFC 6749 §5.1) against how the tokens were requested
/// (`requested`, which `mode` chose). A Bearer answer to a request with a proof means the server did not bind
/// the token (RFC 9449 §5 lets it): `on` refuses it, `auto` takes it with a warning.
pub fn check_token_type(
    mode: DpopMode,
    requested: Binding,
    token_type: &str,
) -> Result<Accepted, Error> {
    let fail = |message: String| Err(Error::new(Code::InvalidTokenResponse, message));
    let accept = |token_type, warning| {
        Ok(Accepted {
            token_type,
            warning,
        })
    };
    let bound = matches!(requested, Binding::Dpop(_));
    if token_type.eq_ignore_ascii_case("DPoP") {
        return match bound {
            true => accept(TokenType::Dpop, None),
            false => fail(
                "The token response's token_type is DPoP, but the request carried no DPoP proof: the token is \
                 bound to a key the element does not have."
                    .into(),
            ),
        };
    }
    if !token_type.eq_ignore_ascii_case("Bearer") {
        return fail(format!(
            "The token response's token_type \"{token_type}\" is neither DPoP nor Bearer."
        ));
    }
    let unbound = "The authorization server answered a request with a DPoP proof with a Bearer token \
                   (token_type Bearer): it did not bind the token to this browser's key, so whoever copies \
                   the token can use it (RFC 9449 §5).";
    match (bound, mode) {
        (false, _) => accept(TokenType::Bearer, None),
        (true, DpopMode::On) => fail(format!(
            "{unbound} dpop=\"on\" refuses it: enable DPoP for this client at the server, or set \
             dpop=\"auto\" to accept unbound tokens."
        )),
        (true, DpopMode::Auto | DpopMode::Off) => accept(
            TokenType::Bearer,
            Some(format!("{unbound} dpop=\"{}\" accepts it.", mode.word())),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attributes::Choice;

    const ES256: Binding = Binding::Dpop(Algorithm::Es256);

    #[test]
    fn the_mode_words_default_to_auto() {
        assert_eq!(DpopMode::WORDS, ["auto", "on", "off"]);
        assert_eq!(DpopMode::default(), DpopMode::Auto);
        assert_eq!(DpopMode::On.word(), "on");
    }

    #[test]
    fn dpop_applies_when_the_server_lists_es256_and_the_mode_allows() {
        let list = |algs: &[&str]| algs.iter().map(|a| a.to_string()).collect::<Vec<_>>();
        let with_es256 = list(&["PS256", "ES256"]);
        let without = list(&["RS256", "es256", "ES384"]);
        let none = list(&[]);
        for (mode, supported, expected) in [
            (DpopMode::Auto, Some(&with_es256), Some(ES256)),
            (DpopMode::On, Some(&with_es256), Some(ES256)),
            (DpopMode::Off, Some(&with_es256), Some(Binding::Bearer)),
            (DpopMode::Auto, Some(&without), Some(Binding::Bearer)),
            (DpopMode::Auto, Some(&none), Some(Binding::Bearer)),
            (DpopMode::Auto, None, Some(Binding::Bearer)),
            (DpopMode::Off, None, Some(Binding::Bearer)),
            (DpopMode::On, Some(&without), None),
            (DpopMode::On, Some(&none), None),
            (DpopMode::On, None, None),
        ] {
            let decided = binding(mode, supported.map(Vec::as_slice));
            assert_eq!(
                decided.as_ref().ok().copied(),
                expected,
                "{mode:?} {supported:?}"
            );
            if let Err(error) = decided {
                assert_eq!(error.code(), Code::DiscoveryFailed);
                assert!(error.message().contains("dpop=\"auto\""), "{error}");
            }
        }
        let error = binding(DpopMode::On, Some(&without)).unwrap_err();
        assert!(error.message().contains("[RS256, es256, ES384]"), "{error}");
        let error = binding(DpopMode::On, None).unwrap_err();
        assert!(
            error
                .message()
                .contains("lists no dpop_signing_alg_values_supported")
        );
    }

    #[test]
    fn a_bound_request_takes_a_dpop_token_in_any_case() {
        for token_type in ["DPoP", "dpop", "DPOP"] {
            for mode in [DpopMode::Auto, DpopMode::On] {
                let accepted = check_token_type(mode, ES256, token_type).unwrap();
                assert_eq!(accepted.token_type, TokenType::Dpop);
                assert_eq!(accepted.warning, None);
            }
        }
        assert_eq!(TokenType::Dpop.scheme(), "DPoP");
        assert_eq!(TokenType::Bearer.scheme(), "Bearer");
    }

    #[test]
    fn an_unbound_answer_to_a_proof_is_refused_by_on_and_reported_by_auto() {
        let refused = check_token_type(DpopMode::On, ES256, "Bearer").unwrap_err();
        assert_eq!(refused.code(), Code::InvalidTokenResponse);
        assert!(refused.message().contains("did not bind"), "{refused}");
        assert!(refused.message().contains("RFC 9449 §5"), "{refused}");
        let reported = check_token_type(DpopMode::Auto, ES256, "bearer").unwrap();
        assert_eq!(reported.token_type, TokenType::Bearer);
        assert!(reported.warning.unwrap().contains("did not bind"));
    }

    #[test]
    fn without_a_proof_only_bearer_is_taken() {
        for mode in [DpopMode::Auto, DpopMode::Off] {
            let accepted = check_token_type(mode, Binding::Bearer, "BEARER").unwrap();
            assert_eq!(
                accepted,
                Accepted {
                    token_type: TokenType::Bearer,
                    warning: None
                }
            );
            let error = check_token_type(mode, Binding::Bearer, "DPoP").unwrap_err();
            assert!(error.message().contains("no DPoP proof"), "{error}");
        }
    }

    #[test]
    fn other_token_types_are_refused() {
        for token_type in ["", "mac", "N_A", "Bearer ", "DPoP\u{0}", "<b>x</b>"] {
            for (mode, requested) in [(DpopMode::On, ES256), (DpopMode::Off, Binding::Bearer)] {
                let error = check_token_type(mode, requested, token_type).unwrap_err();
                assert_eq!(error.code(), Code::InvalidTokenResponse, "{token_type:?}");
                assert!(error.message().contains("neither DPoP nor Bearer"));
            }
        }
    }
}
