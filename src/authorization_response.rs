//! Taking a sign-in response, as the core's [`owner`] decides. The first element
//! on the redirect page to see one cleans the address bar at once (before any request could carry it in a
//! Referer) and keeps it until the element it is for takes it; when no element of the page does by the end of
//! the task, its attempt is consumed and it is refused.

use std::cell::RefCell;

use crate::address;
use crate::{discovery_cache, storage};
use anypoint_signin_core::authorize::PendingAttempt;
use anypoint_signin_core::callback::{self, Callback};
use anypoint_signin_core::config::Config;
use anypoint_signin_core::error::{Code, Error};
use anypoint_signin_core::owner::{self, Owner};

/// A response this element may finish, with the attempt it answers (`None` when this tab started none: the
/// callback's check refuses it).
pub(crate) type Claimed = (Callback, Option<PendingAttempt>);

thread_local! {
    /// The response taken from the address bar, until an element claims it or it is refused as no element's.
    static WAITING: RefCell<Option<Result<Callback, Error>>> = const { RefCell::new(None) };
}

/// What an element found in the address bar.
pub(crate) enum Found {
    /// No sign-in response for this element.
    Nothing,
    /// This element's response: finish it.
    Mine(Box<Claimed>),
    /// A response refused outright: malformed, or the attempt could not be read.
    Refused(Error),
    /// The response of another element's attempt: unless an element of the page claims it by the end of this
    /// task, [`refuse_unclaimed`] consumes it.
    Others,
}

/// The response in the address bar, as it concerns `config`.
pub(crate) fn from_address_bar(config: &Config) -> Found {
    WAITING.with_borrow_mut(|waiting| {
        if waiting.is_none() {
            let found = match callback::parse(&address::query()) {
                Ok(None) => return Found::Nothing,
                Ok(Some(callback)) => Ok(callback),
                Err(error) => Err(error),
            };
            if !is_callback_page(config, &found) {
                return Found::Nothing;
            }
            address::clean_callback_url();
            *waiting = Some(found);
        }
        let found = match waiting.as_ref() {
            None => return Found::Nothing,
            Some(Err(error)) => Found::Refused(error.clone()),
            Some(Ok(callback)) => match decide(config, callback) {
                Some(Ok(claimed)) => Found::Mine(Box::new(claimed)),
                Some(Err(error)) => Found::Refused(error),
                None => return Found::Others,
            },
        };
        *waiting = None;
        found
    })
}

/// Whether this page is where `found` was sent (the core decides).
fn is_callback_page(config: &Config, found: &Result<Callback, Error>) -> bool {
    let attempt = found
        .as_ref()
        .ok()
        .and_then(|callback| storage::peek_pending(&callback.state).ok().flatten());
    owner::sent_here(&address::page_url(), &config.redirect_uri, attempt.as_ref())
}

/// The response a sign-in popup handed back, if it is `config`'s; another element's attempt is refused.
pub(crate) fn from_popup(config: &Config, query: &str) -> Result<Claimed, Error> {
    match callback::parse(query)? {
        Some(callback) => decide(config, &callback).unwrap_or_else(|| {
            Err(refuse(
                storage::peek_pending(&callback.state).ok().flatten(),
            ))
        }),
        None => Err(Error::new(
            Code::InvalidCallback,
            "The sign-in window came back without a sign-in response.",
        )),
    }
}

/// `Some` when `config` may finish `callback` (consuming its attempt); `None` when the attempt is another
/// element's.
fn decide(config: &Config, callback: &Callback) -> Option<Result<Claimed, Error>> {
    let pending = match storage::peek_pending(&callback.state) {
        Ok(pending) => pending,
        Err(error) => return Some(Err(error)),
    };
    if owner::owner(pending.as_ref(), &config.client()) == Owner::Another {
        return None;
    }
    // The discovery document kept with the attempt saves the callback page a request.
    if let Some(kept) = storage::pending_metadata(&callback.state) {
        discovery_cache::adopt(config, kept);
    }
    storage::remove_pending(&callback.state);
    Some(Ok((callback.clone(), pending)))
}

/// The response no element claimed (after [`Found::Others`]): its attempt consumed, and the refusal to report;
/// `None` when an element claimed it meanwhile.
pub(crate) fn refuse_unclaimed() -> Option<Error> {
    let callback = WAITING.take()?.ok()?;
    Some(refuse(
        storage::peek_pending(&callback.state).ok().flatten(),
    ))
}

/// Consumes `pending`, which no element here may finish, and says why.
fn refuse(pending: Option<PendingAttempt>) -> Error {
    if let Some(pending) = &pending {
        storage::remove_pending(&pending.state);
    }
    owner::unclaimed(pending.as_ref())
}
