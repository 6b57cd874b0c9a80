//! Keeping the elements of a page and the tabs of a browser on one session: what one signs in, renews or
//! ends reaches the others ([`anypoint_signin_core::tab_message`] decides what each does with it).

use crate::controller::Controller;
use crate::flows::lifecycle::{self, Reach};
use crate::tabs::Channel;
use crate::{json, storage};
use anypoint_signin_core::arrival::Arrival;
use anypoint_signin_core::config::{Config, StorageKind};
use anypoint_signin_core::tab_message::{News, Reaction, TabMessage, react};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

/// Joins the other elements of the origin, for a `storage="session"` element: from now on it hears their
/// sign-ins, renewals and sign-outs.
pub(crate) fn join(c: &Controller, config: &Config) {
    if config.storage != StorageKind::Session {
        return;
    }
    let this = c.clone();
    let channel = Channel::open(move |data| heard(&this, data));
    c.handles.channel.replace(channel);
}

/// Asks the other elements and tabs for the session, after this task: the answer comes later anyway, so the
/// first paint does not wait for the question; with the element's attributes of then (a framework may have
/// set them since it connected).
pub(crate) fn ask(c: &Controller) {
    let this = c.clone();
    c.later(move || {
        if let Ok(config) = this.config.get_untracked() {
            this.tell(&config, News::Ask);
        }
    });
}

/// A message from another element or tab.
fn heard(c: &Controller, data: JsValue) {
    let Ok(message) = json::from_js::<TabMessage>(data) else {
        return;
    };
    let Ok(config) = c.config.get_untracked() else {
        return;
    };
    let key = storage::session_key(&config);
    let shown = c.session();
    match react(message, &key, shown.as_ref(), || {
        storage::load_session(&config)
    }) {
        Reaction::Ignore => {}
        Reaction::Answer(session) => c.tell(&config, News::Session(session)),
        Reaction::Adopt(session) => lifecycle::adopt(c, &config, *session, Arrival::OtherTab),
        Reaction::End(why) => lifecycle::end(c, &config, why, Reach::Here),
    }
}
