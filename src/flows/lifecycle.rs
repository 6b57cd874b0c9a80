//! A session's life in an element: the one place that adopts and ends it, always in the same order.
//!
//! Adopting: keep it (storage), show it and tell the page (`anypoint-signin`), watch its expiry (renewal),
//! then tell the other elements and tabs; the last two only while the session is still shown, as a listener
//! of the page's event may have signed out already. [`Arrival`] says which steps a session's origin has done
//! already. Ending: stop watching, forget it and its DPoP key, show it and tell the page (`anypoint-signout`),
//! then tell the others when the end began here. The flows adopt and end sessions through this module only, and it alone
//! starts and stops [`renewal`].

use anypoint_signin_core::arrival::Arrival;

use crate::controller::{Controller, Status};
use crate::dpop::key_store;
use crate::flows::renewal::{self, Report};
use crate::storage;
use anypoint_signin_core::config::Config;
use anypoint_signin_core::session::Session;
use anypoint_signin_core::session::sign_out::SignOut;
use anypoint_signin_core::tab_message::News;
use leptos::prelude::*;

/// Whom a session's end reaches.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reach {
    /// This element only: another element or tab ended it and told everyone.
    Here,
    /// This element, then the other elements and tabs.
    Everywhere,
}

/// Makes `session` this element's: kept, shown, announced, watched, and told to the others as `arrival` asks.
pub(crate) fn adopt(c: &Controller, config: &Config, session: Session, arrival: Arrival) {
    if arrival.saves() {
        storage::save_session(config, &session);
    }
    c.show_signed_in(&session);
    let Some(shown) = c.session() else {
        return;
    };
    renewal::watch(c, config, &shown, reported);
    if arrival.tells() {
        c.tell(config, News::Session(Box::new(shown)));
    }
}

/// Ends the session: no more renewal, nothing stored, the page told why; the others too with
/// [`Reach::Everywhere`].
pub(crate) fn end(c: &Controller, config: &Config, why: SignOut, reach: Reach) {
    renewal::stop(c);
    // Shown, or stored (a session that ends while it is renewed first).
    let ended = c.session().or_else(|| storage::load_session(config));
    storage::clear_session(config);
    // Its own key only: a tab that hears of the end late (frozen in the background) leaves a later sign-in's.
    if let Some(ended) = ended {
        key_store::forget(config, ended.dpop_jkt.as_deref());
    }
    c.show_signed_out(why);
    if reach == Reach::Everywhere {
        c.tell(config, News::Ended(why));
    }
}

/// A stored session whose access token expired: renewed first (under the session's lock), then adopted.
pub(crate) fn renew_first(c: &Controller, config: &Config, session: &Session) {
    c.status.set(Status::Working);
    renewal::watch(c, config, session, reported);
}

/// A page with no session of its own whose `exchangeuri` backend holds one: its tokens, then adopted.
pub(crate) fn from_backend(c: &Controller, config: &Config) {
    c.status.set(Status::Working);
    renewal::from_backend(c, config, reported);
}

/// What the renewal says: a session to adopt (renewed, or the backend's), or the end of this one.
fn reported(c: &Controller, config: &Config, report: Report) {
    match report {
        Report::Session(session, arrival) => adopt(c, config, *session, arrival),
        Report::Expired => end(c, config, SignOut::Expired, Reach::Everywhere),
    }
}
