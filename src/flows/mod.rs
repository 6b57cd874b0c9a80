//! What an element does, one flow per file, each a few entry points over the element's [`Controller`]:
//! [`sign_in`] (redirect or popup), [`callback`] (finishing a sign-in), [`restore`] (a stored or another
//! tab's session), [`renewal`] (expiry and refresh), [`tab_sync`] (the other elements and tabs) and
//! [`sign_out`]. The decisions they take are the core's; here they meet the browser.

pub(crate) mod callback;
pub(crate) mod renewal;
pub(crate) mod restore;
pub(crate) mod sign_in;
pub(crate) mod sign_out;
pub(crate) mod tab_sync;

use crate::claim::{self, Found};
use crate::controller::{Controller, Status};
use crate::discovery_cache::metadata;
use crate::session::Session;
use crate::{page, popup};
use leptos::prelude::*;

/// First steps after connecting: finish a sign-in if this page is its callback, else restore a stored
/// session; then fetch discovery ahead of the click.
pub(crate) fn start(c: &Controller) {
    let Ok(config) = c.config.get_untracked() else {
        return;
    };
    // The redirect page in a sign-in popup only hands the response back: the opener finishes.
    if popup::return_to_opener() {
        page::clean_callback_url();
        c.status.set(Status::Working);
        return;
    }
    tab_sync::join(c, &config);
    match claim::from_address_bar(&config) {
        Found::Mine(claimed) => return callback::finish(c, config, *claimed),
        Found::Refused(error) => c.fail(error),
        Found::Nothing => restore::restore(c, &config),
        Found::Others => {
            // The elements of the page connect in this task (the parser, or `define` upgrading them), and a
            // framework may set this one's attributes right after connecting it (Angular's bindings): by the
            // next task, the response is claimed, this element's after all, or no element's.
            let this = c.clone();
            c.later(move || {
                if let Ok(config) = this.config.get_untracked()
                    && let Found::Mine(claimed) = claim::from_address_bar(&config)
                {
                    return callback::finish(&this, config, *claimed);
                }
                claim::refuse_unclaimed().map_or((), |e| this.fail(e))
            });
            restore::restore(c, &config);
        }
    }
    // After this task, so that the first paint of the button does not wait for the request to start; with the
    // attributes of then (a framework may have set them since).
    let this = c.clone();
    c.later(move || {
        if let Ok(config) = this.config.get_untracked() {
            this.spawn(async move {
                let _ = metadata(&config).await;
            })
        }
    });
}

/// Shows and announces `session`, and watches its expiry.
pub(crate) fn signed_in(c: &Controller, session: Session) {
    c.show_signed_in(&session);
    if let Ok(config) = c.config.get_untracked() {
        renewal::watch(c, &config, &session);
    }
}
