//! What an element does, one flow per file, each a few entry points over the element's [`Controller`]:
//! [`sign_in`] (redirect or popup), [`callback`] (finishing a sign-in), [`restore`] (a stored or another
//! tab's session), [`renewal`] (expiry and refresh), [`tab_sync`] (the other elements and tabs) and
//! [`sign_out`]. The decisions they take are the core's; here they meet the browser.
//!
//! Their work is in one lazily loaded chunk, `split_flows.wasm` (issue 16): each entry point keeps in the
//! main module only what must happen at once (the checks, the popup opened during the click, the status),
//! and hands the rest to a `#[wasm_split(flows)]` function, the macro under Leptos's `#[lazy]` (which gives
//! every function a chunk of its own: 27 files, 23 KB more gzip than one). scripts/build.sh splits the wasm.

/// `fn f(args) { body }` in the flows' chunk: with the `split` feature (the element's build,
/// scripts/build.sh), an `async fn` that loads `split_flows.wasm` first; without it (a Leptos app using the
/// crate, split or not by its own build), an `async fn` with the same body.
macro_rules! in_flows_chunk {
    ($(#[$attr:meta])* $vis:vis fn $name:ident($($args:tt)*) $body:block) => {
        $(#[$attr])*
        #[cfg(feature = "split")]
        #[leptos::wasm_split::wasm_split(flows, wasm_split_path = ::leptos::wasm_split)]
        $vis fn $name($($args)*) $body

        $(#[$attr])*
        #[cfg(not(feature = "split"))]
        $vis async fn $name($($args)*) $body
    };
}

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
/// session; then fetch discovery ahead of the click. All but the popup's redirect page is in the flows'
/// chunk (`split_flows.wasm`, fetched once the button is shown).
pub(crate) fn start(c: &Controller) {
    if c.config.get_untracked().is_err() {
        return;
    }
    // The redirect page in a sign-in popup only hands the response back: the opener finishes.
    if popup::return_to_opener() {
        page::clean_callback_url();
        c.status.set(Status::Working);
        return;
    }
    let this = c.clone();
    c.spawn(async move { start_loaded(this).await });
}

in_flows_chunk! {
/// The rest of [`start`], in the flows' chunk: the callback, the stored session, discovery, and the click
/// path's code (the same chunk) by then loaded.
fn start_loaded(c: Controller) {
    let c = &c;
    let Ok(config) = c.config.get_untracked() else {
        return;
    };
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
                #[cfg(feature = "split")]
                sign_in::__wasm_split_preload_go().await;
                let _ = metadata(&config).await;
            })
        }
    });
}
}

/// Shows and announces `session`, and watches its expiry.
pub(crate) fn signed_in(c: &Controller, session: Session) {
    c.show_signed_in(&session);
    if let Ok(config) = c.config.get_untracked() {
        renewal::watch(c, &config, &session);
    }
}
