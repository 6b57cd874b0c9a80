//! What an element does, one flow per file, each a few entry points over the element's [`Controller`]:
//! [`sign_in`] (redirect or popup), [`callback`] (finishing a sign-in), [`restore`] (a stored or another
//! tab's session), [`renewal`] (expiry and refresh), [`tab_sync`] (the other elements and tabs) and
//! [`sign_out`]. The decisions they take are the core's; here they meet the browser.
//!
//! Their work is in one lazily loaded chunk, `split_flows.wasm` (issue 16), so that a signed-out page shows
//! the button from the main module alone. Each entry point the main module calls (a click, a message from
//! another tab, the page's start) keeps there only what must happen at once (the checks, the popup opened
//! during the click, the status) and hands the rest to a function of the chunk, [`in_flows_chunk!`]. The rest
//! of the flows are only called from those, so they land in the chunk too. One chunk, not Leptos's
//! `#[lazy]` per function: that gives 27 files and 23 KB more gzip (BENCHMARKS.md). scripts/build.sh splits
//! the wasm; `www/src/anypoint-signin.js` fetches the chunk with the main module on pages that need it.

/// `fn f(args) { body }` in the flows' chunk, as `async fn f(args) -> Result<(), Unloaded>`: with the `split`
/// feature (the element's build, scripts/build.sh) it loads `split_flows.wasm` first (`#[wasm_split]`, the
/// macro under Leptos's `#[lazy]`), and fails if the chunk does not load; without it (a Leptos app using the
/// crate, split or not by its own build) it runs the body.
macro_rules! in_flows_chunk {
    ($(#[$attr:meta])* $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) $body:block) => {
        $(#[$attr])*
        #[cfg(feature = "split")]
        #[leptos::wasm_split::wasm_split(flows, fallible, wasm_split_path = ::leptos::wasm_split)]
        $vis fn $name($($arg: $ty),*) -> Result<(), $crate::flows::Unloaded> {
            // Apart, so that the body may `return` early.
            fn body($($arg: $ty),*) $body
            body($($arg),*);
            Ok(())
        }

        $(#[$attr])*
        #[cfg(not(feature = "split"))]
        $vis async fn $name($($arg: $ty),*) -> Result<(), $crate::flows::Unloaded> {
            fn body($($arg: $ty),*) $body
            body($($arg),*);
            Ok(())
        }
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
use crate::error::{Code, Error};
use crate::session::Session;
use crate::{page, popup, storage};
use leptos::prelude::*;

/// The flows' chunk did not load: offline, or `split_flows.wasm` is not served next to the main module.
pub(crate) struct Unloaded;

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for Unloaded {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Unloaded {
        Unloaded
    }
}

impl From<Unloaded> for Error {
    fn from(_: Unloaded) -> Error {
        Error::new(
            Code::NetworkError,
            "The sign-in code (split_flows.wasm) did not load: the network may be down. Click to try again; \
             split_flows.wasm must be served from next to anypoint_signin_bg.wasm.",
        )
    }
}

/// Runs a function of the flows' chunk in the background; if the chunk does not load, the element says so
/// (the loader does not keep the failure: the next call fetches it again).
fn run(c: &Controller, task: impl Future<Output = Result<(), Unloaded>> + 'static) {
    let this = c.clone();
    c.spawn(async move {
        if let Err(unloaded) = task.await {
            this.fail(unloaded.into());
        }
    });
}

/// First steps after connecting. A page that may be a callback or whose storage holds a session or an
/// attempt needs the flows at once (the entry module fetched their chunk with the main module). A
/// signed-out page asks the other tabs, shows the button, and fetches the chunk when the browser is idle (or
/// when the pointer comes near: [`warm`]).
pub(crate) fn start(c: &Controller) {
    let Ok(config) = c.config.get_untracked() else {
        return;
    };
    if page::may_be_callback() || storage::holds_any() {
        return run(c, resume(c.clone()));
    }
    tab_sync::join(c, &config);
    // After this task, so that the first paint does not wait for the question; the answer, if any, loads
    // the chunk (tab_sync). With the attributes of then (a framework may have set them since).
    let this = c.clone();
    c.later(move || {
        tab_sync::ask(&this);
        let again = this.clone();
        this.when_idle(move || warm(&again));
    });
}

/// Fetches the flows' chunk and the discovery document ahead of a click: when the browser is idle after the
/// first paint, and when the pointer or the focus reaches the button. A chunk that does not load is said
/// when it is needed (the click), not here.
pub(crate) fn warm(c: &Controller) {
    if c.handles.warmed.replace(true) {
        return;
    }
    let this = c.clone();
    c.spawn(async move {
        if prefetch(this.clone()).await.is_err() {
            this.handles.warmed.set(false);
        }
    });
}

in_flows_chunk! {
/// The discovery document, fetched ahead of the click (the chunk with it).
fn prefetch(c: Controller) {
    if let Ok(config) = c.config.get_untracked() {
        c.spawn(async move {
            let _ = metadata(&config).await;
        });
    }
}
}

in_flows_chunk! {
/// The rest of [`start`] on a page that needs the flows: the callback, or the stored session; then
/// discovery, fetched ahead of the click.
fn resume(c: Controller) {
    let c = &c;
    let Ok(config) = c.config.get_untracked() else {
        return;
    };
    // The redirect page in a sign-in popup only hands the response back: the opener finishes.
    if popup::return_to_opener() {
        page::clean_callback_url();
        return c.status.set(Status::Working);
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
    // After this task, with the attributes of then.
    let this = c.clone();
    c.later(move || warm(&this));
}
}

/// Shows and announces `session`, and watches its expiry.
pub(crate) fn signed_in(c: &Controller, session: Session) {
    c.show_signed_in(&session);
    if let Ok(config) = c.config.get_untracked() {
        renewal::watch(c, &config, &session);
    }
}
