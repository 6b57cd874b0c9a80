//! An element's first steps on a page: the callback or the stored session at once, or, signed out, the
//! other tabs asked and discovery fetched ahead of a click.

use crate::address;
use crate::authorization_response::{self, Found};
use crate::controller::{Controller, Status};
use crate::discovery_cache::metadata;
use crate::flows::{callback, restore, tab_sync};
use crate::{navigator, storage};
use leptos::prelude::*;

/// First steps after connecting. A page that may be a callback or whose storage holds a session or an
/// attempt resumes at once. A signed-out page asks the other tabs, shows the button, and fetches discovery
/// when the browser is idle (or when the pointer comes near: [`warm`]).
pub(crate) fn connected(c: &Controller) {
    let Ok(config) = c.config.get_untracked() else {
        return;
    };
    if address::may_be_callback() || storage::holds_any() {
        return resume(c);
    }
    tab_sync::join(c, &config);
    tab_sync::ask(c);
    let this = c.clone();
    c.when_idle(move || warm(&this));
}

/// Fetches the discovery document ahead of a click: when the browser is idle after the first paint, and when
/// the pointer or the focus reaches the button. A document that does not come is said when it is needed (the
/// click), not here.
pub(crate) fn warm(c: &Controller) {
    if c.handles.warmed.replace(true) {
        return;
    }
    if let Ok(config) = c.config.get_untracked() {
        c.spawn(async move {
            let _ = metadata(&config).await;
        });
    }
}

/// The rest of [`connected`] on a page that needs the flows: the callback, or the stored session; then
/// discovery, fetched ahead of the click.
fn resume(c: &Controller) {
    let Ok(config) = c.config.get_untracked() else {
        return;
    };
    // The redirect page in a sign-in popup only hands the response back: the opener finishes.
    if navigator::return_to_opener() {
        address::clean_callback_url();
        return c.status.set(Status::Working);
    }
    tab_sync::join(c, &config);
    match authorization_response::from_address_bar(&config) {
        Found::Mine(claimed) => return callback::finish(c, config, *claimed),
        Found::Refused(error) => c.fail(error),
        Found::Nothing => restore::stored(c, &config),
        Found::Others => {
            // The elements of the page connect in this task (the parser, or `define` upgrading them), and a
            // framework may set this one's attributes right after connecting it (Angular's bindings): by the
            // next task, the response is claimed, this element's after all, or no element's.
            let this = c.clone();
            c.later(move || {
                if let Ok(config) = this.config.get_untracked()
                    && let Found::Mine(claimed) = authorization_response::from_address_bar(&config)
                {
                    return callback::finish(&this, config, *claimed);
                }
                authorization_response::refuse_unclaimed().map_or((), |e| this.fail(e))
            });
            restore::stored(c, &config);
        }
    }
    // After this task, with the attributes of then.
    let this = c.clone();
    c.later(move || warm(&this));
}
