//! The latest `DPoP-Nonce` each server sent (RFC 9449 §8.2: a nonce holds until the server sends another),
//! for the page's life.

use std::cell::RefCell;

use anypoint_signin_core::dpop::nonce::Nonce;

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

/// Keeps the nonce of a `DPoP-Nonce` header from `origin`, if it is one ([`Nonce::from_header`]), and returns
/// it. A malformed one is ignored: the server would refuse it back.
pub(crate) fn remember(origin: &str, header: Option<String>) -> Option<Nonce> {
    let nonce = Nonce::from_header(&header?).ok()?;
    LATEST.with_borrow_mut(|all| {
        all.retain(|(o, _)| o != origin);
        all.insert(0, (origin.to_owned(), nonce.clone()));
        all.truncate(SERVERS);
    });
    Some(nonce)
}
