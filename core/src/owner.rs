//! Which element of a redirect page takes a sign-in response. The attempt it answers says: only an element with
//! the attempt's connected app, issuer and backend ([`PendingAttempt::is_for`]) may finish it. A response no
//! element of the page may finish is refused, its attempt consumed: finishing it elsewhere would send the code
//! and verifier to a server the user never signed in to (mix-up, RFC 9700 §4.4).

use crate::authorize::PendingAttempt;
use crate::callback::not_started_here;
use crate::client::Client;
use crate::error::{Code, Error};

/// Who finishes a response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Owner {
    /// This element: the attempt is its own, or this tab started none (the callback's check then refuses it).
    This,
    /// Another element's: the attempt is for another app, issuer or backend.
    Another,
}

/// Who finishes the response to `pending` (this tab's attempt with its `state`, if any), as seen by an
/// element configured for `client`.
pub fn owner(pending: Option<&PendingAttempt>, client: &Client) -> Owner {
    match pending {
        Some(attempt) if !attempt.is_for(client) => Owner::Another,
        _ => Owner::This,
    }
}

/// Whether the page at `page` (its URL without query and fragment) is where a response was sent: the
/// element's `redirect_uri`, or the attempt's (the element may have been given another since).
pub fn sent_here(page: &str, redirect_uri: &str, attempt: Option<&PendingAttempt>) -> bool {
    let is_page = |uri: &str| uri.split(['?', '#']).next() == Some(page);
    is_page(redirect_uri) || attempt.is_some_and(|a| is_page(&a.redirect_uri))
}

/// The refusal of a response no element of the page took.
pub fn unclaimed(pending: Option<&PendingAttempt>) -> Error {
    let Some(pending) = pending else {
        return not_started_here();
    };
    Error::new(
        Code::AttemptMismatch,
        format!(
            "This sign-in was started for client \"{}\" at \"{}\"{}, and no element on this page has that configuration: it was not finished. Please sign in again.",
            pending.client_id,
            pending.issuer,
            pending
                .exchange_uri
                .as_ref()
                .map(|uri| format!(" with the backend \"{uri}\""))
                .unwrap_or_default()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples::{attempt, config};

    #[test]
    fn only_the_attempts_app_issuer_and_backend_take_its_response() {
        let mine = config(&[
            ("clientid", "client"),
            ("authority", "https://idp.example.com"),
            ("redirecturi", "https://app.example.com/cb"),
        ]);
        let mine = mine.client();
        assert_eq!(owner(Some(&attempt()), &mine), Owner::This);
        assert_eq!(
            owner(None, &mine),
            Owner::This,
            "none started here: this element refuses it"
        );
        let other =
            |attributes: &[(&str, &str)]| owner(Some(&attempt()), &config(attributes).client());
        // Another app, another issuer, a backend the attempt did not record: each would redeem the code elsewhere.
        assert_eq!(
            other(&[
                ("clientid", "other"),
                ("authority", "https://idp.example.com"),
                ("redirecturi", "https://app.example.com/cb")
            ]),
            Owner::Another
        );
        assert_eq!(
            other(&[
                ("clientid", "client"),
                ("authority", "https://evil.example.com"),
                ("redirecturi", "https://app.example.com/cb")
            ]),
            Owner::Another
        );
        assert_eq!(
            other(&[
                ("clientid", "client"),
                ("authority", "https://idp.example.com"),
                ("redirecturi", "https://app.example.com/cb"),
                ("exchangeuri", "/api/exchange")
            ]),
            Owner::Another
        );
    }

    #[test]
    fn a_response_is_sent_to_the_redirect_page_whatever_its_query() {
        let page = "https://app.example.com/cb";
        assert!(sent_here(
            page,
            "https://app.example.com/cb?tab=1#top",
            None
        ));
        assert!(!sent_here(page, "https://app.example.com/cb2", None));
        assert!(!sent_here(page, "https://app.example.com/", None));
        assert!(
            sent_here(page, "https://app.example.com/", Some(&attempt())),
            "the attempt's redirect page"
        );
    }

    #[test]
    fn an_unclaimed_response_says_whose_it_was() {
        assert_eq!(unclaimed(None).code(), Code::StateMismatch);
        let with_backend = PendingAttempt {
            exchange_uri: Some("https://app.example.com/api".into()),
            ..attempt()
        };
        let refused = unclaimed(Some(&with_backend));
        assert_eq!(refused.code(), Code::AttemptMismatch);
        for named in [
            "\"client\"",
            "\"https://idp.example.com\"",
            "\"https://app.example.com/api\"",
        ] {
            assert!(refused.message().contains(named), "{}", refused.message());
        }
    }
}
