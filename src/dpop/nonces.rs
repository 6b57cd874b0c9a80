//! The latest `DPoP-Nonce` each server sent (RFC 9449 §8.2: a nonce holds until the server sends another),
//! for the page's life.

use std::cell::RefCell;

use anypoint_signin_core::dpop::nonce::{Answer, Attempt, Next, Nonce, next_attempt};

/// How many servers' nonces are kept: the issuer and the few origins `element.fetch` may reach.
const SERVERS: usize = 16;

thread_local! {
    /// `(origin, nonce)`, the latest first. A list, not a map: a few entries (size rule 2, BENCHMARKS.md).
    static LATEST: RefCell<Vec<(String, Nonce)>> = const { RefCell::new(Vec::new()) };
}

/// The nonce the server at `origin` asked for last, if any.
pub(crate) fn latest(origin: &str) -> Option<Nonce> {
    LATEST.with_borrow(|all| {
        all.iter()
            .find(|(o, _)| o == origin)
            .map(|(_, nonce)| nonce.clone())
    })
}

/// After an answer from `origin` to `attempt` of a request with a proof that carried `sent`: keeps the nonce
/// of its `DPoP-Nonce` header, and says whether the request goes again with it (it was `challenged`: the rule
/// is the core's [`next_attempt`]).
pub(crate) fn retry(
    origin: &str,
    attempt: Attempt,
    sent: Option<&Nonce>,
    challenged: bool,
    header: Option<String>,
) -> bool {
    let answer = Answer {
        challenged,
        nonce: remember(origin, header),
    };
    matches!(next_attempt(attempt, sent, answer), Next::Retry(_))
}

/// Keeps the nonce of a `DPoP-Nonce` header from `origin`, if it is one ([`Nonce::from_header`]), and returns
/// it. A malformed one is ignored: the server would refuse it back.
fn remember(origin: &str, header: Option<String>) -> Option<Nonce> {
    let nonce = Nonce::from_header(&header?).ok()?;
    LATEST.with_borrow_mut(|all| {
        all.retain(|(o, _)| o != origin);
        all.insert(0, (origin.to_owned(), nonce.clone()));
        all.truncate(SERVERS);
    });
    Some(nonce)
}
