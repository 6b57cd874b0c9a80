//! A page load of a signed-in tab: the stored session (renewed first if its token expired), or, with none,
//! a question to the other elements and tabs, and the `exchangeuri` backend's session if it holds one.

use crate::controller::{Controller, now};
use crate::flows::{lifecycle, tab_sync};
use crate::storage;
use anypoint_signin_core::arrival::Arrival;
use anypoint_signin_core::config::Config;

/// A stored session for this configuration, unless it has expired.
pub(crate) fn stored(c: &Controller, config: &Config) {
    match storage::load_session(config) {
        Some(session) if !session.is_expired(now()) => {
            lifecycle::adopt(c, config, session, Arrival::Stored)
        }
        // Its token expired: renewed at once (under the lock) if it can be.
        Some(session) if session.renewal.renews() => lifecycle::renew_first(c, config, &session),
        Some(_) => storage::clear_session(config),
        // Another tab (or element) signed in may answer.
        None => {
            if config.exchange_uri.is_some() && storage::backend_holds_session() {
                lifecycle::from_backend(c, config);
            }
            tab_sync::ask(c);
        }
    }
}
