//! The flows' chunk, `split_flows.wasm` (issue 16): the flows' work is there, so that a signed-out page shows
//! the button from the main module alone. Each entry point the main module calls (a click, a message from
//! another tab, the page's start) keeps there only what must happen at once (the checks, the popup opened
//! during the click, the status) and hands the rest to a function of the chunk, `in_flows_chunk!`. The rest
//! of the flows are only called from those, so they land in the chunk too. One chunk, not Leptos's
//! `#[lazy]` per function: that gives 27 files and 23 KB more gzip (BENCHMARKS.md). scripts/build.sh splits
//! the wasm; `www/src/anypoint-signin.js` fetches the chunk with the main module on pages that need it.

use crate::controller::Controller;
use anypoint_signin_core::error::{Code, Error};

/// `fn f(args) { body }` in the flows' chunk, as `async fn f(args) -> Result<(), Unloaded>`: with the `split`
/// feature (the element's build, scripts/build.sh) it loads `split_flows.wasm` first (`#[wasm_split]`, the
/// macro under Leptos's `#[lazy]`), and fails if the chunk does not load; without it (a Leptos app using the
/// crate, split or not by its own build) it runs the body.
macro_rules! in_flows_chunk {
    ($(#[$attr:meta])* $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) $body:block) => {
        $(#[$attr])*
        #[cfg(feature = "split")]
        #[leptos::wasm_split::wasm_split(flows, fallible, wasm_split_path = ::leptos::wasm_split)]
        $vis fn $name($($arg: $ty),*) -> Result<(), $crate::flows::chunk::Unloaded> {
            // Apart, so that the body may `return` early.
            fn body($($arg: $ty),*) $body
            body($($arg),*);
            Ok(())
        }

        $(#[$attr])*
        #[cfg(not(feature = "split"))]
        $vis async fn $name($($arg: $ty),*) -> Result<(), $crate::flows::chunk::Unloaded> {
            fn body($($arg: $ty),*) $body
            body($($arg),*);
            Ok(())
        }
    };
}

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
pub(crate) fn run(c: &Controller, task: impl Future<Output = Result<(), Unloaded>> + 'static) {
    let this = c.clone();
    c.spawn(async move {
        if let Err(unloaded) = task.await {
            this.fail(unloaded.into());
        }
    });
}
