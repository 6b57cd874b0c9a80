//! Where a session's DPoP key is kept: where the session is. `storage="session"`: IndexedDB, under the
//! session's key, so that a reload keeps it and the tabs sharing the session share it; `memory`: this page's
//! memory, gone with the session at a reload. Deleted when the session ends.

use std::cell::RefCell;

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{JsFuture, spawn_local};

use super::DpopKey;
use crate::storage;
use anypoint_signin_core::config::{Config, StorageKind};
use anypoint_signin_core::error::{Code, Error};

#[wasm_bindgen(module = "/js/dpop.js")]
extern "C" {
    #[wasm_bindgen(js_name = dpopKeep)]
    fn keep(name: &str, pair: &JsValue) -> Promise;
    #[wasm_bindgen(js_name = dpopFind)]
    fn find_pair(name: &str) -> Promise;
    #[wasm_bindgen(js_name = dpopTake)]
    fn take_pair(name: &str) -> Promise;
}

thread_local! {
    /// `memory` sessions' keys, by session key.
    static MEMORY: RefCell<Vec<(String, DpopKey)>> = const { RefCell::new(Vec::new()) };
}

/// A new key of a sign-in that has not succeeded yet: deleted when dropped before [`NewKey::keep`] (the
/// sign-in failed, or its element left), as no session will use it.
pub(crate) struct NewKey {
    config: Config,
    key: Option<DpopKey>,
}

impl NewKey {
    /// The key, to sign the sign-in's requests with.
    pub(crate) fn key(&self) -> Option<&DpopKey> {
        self.key.as_ref()
    }

    /// The sign-in succeeded: the key stays with its session.
    pub(crate) fn keep(mut self) {
        self.key = None;
    }
}

impl Drop for NewKey {
    fn drop(&mut self) {
        if self.key.is_some() {
            forget(&self.config);
        }
    }
}

/// A new key for a sign-in under `config`, kept (replacing the key of an earlier session there).
pub(crate) async fn create(config: &Config) -> Result<NewKey, Error> {
    let key = DpopKey::generate().await?;
    let name = storage::session_key(config);
    match config.storage {
        StorageKind::Memory => MEMORY.with_borrow_mut(|all| {
            all.retain(|(n, _)| *n != name);
            all.push((name, key.clone()));
        }),
        StorageKind::Session => {
            JsFuture::from(keep(&name, &key.pair)).await.map_err(|e| {
                Error::new(
                    Code::StorageUnavailable,
                    format!(
                        "The browser's IndexedDB could not keep the DPoP key ({}), so the session could not \
                         outlive this page. Set storage=\"memory\", or dpop=\"off\" to sign in without DPoP.",
                        js_sys::Error::from(e).message()
                    ),
                )
            })?;
        }
    }
    Ok(NewKey {
        config: config.clone(),
        key: Some(key),
    })
}

/// The key of the session under `config`: an error when it is gone (site data cleared, or another browser
/// profile), as nothing can use its tokens then.
pub(crate) async fn find(config: &Config) -> Result<DpopKey, Error> {
    let name = storage::session_key(config);
    let found = match config.storage {
        StorageKind::Memory => MEMORY.with_borrow(|all| {
            all.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, key)| key.clone())
        }),
        StorageKind::Session => match JsFuture::from(find_pair(&name)).await {
            Ok(pair) if !pair.is_undefined() => Some(DpopKey::from_pair(pair).await?),
            _ => None,
        },
    };
    found.ok_or_else(|| {
        Error::new(
            Code::RenewalFailed,
            "The session's DPoP key is gone (the browser's site data was cleared?), so its tokens cannot be \
             used or renewed: sign in again.",
        )
    })
}

/// A key being taken out of its store: deleted already, to be had still by whoever has a request to sign.
pub(crate) struct Taken(Result<JsFuture, Option<DpopKey>>);

impl Taken {
    /// The key, if there was one.
    pub(crate) async fn key(self) -> Option<DpopKey> {
        match self.0 {
            Err(in_memory) => in_memory,
            Ok(kept) => match kept.await {
                Ok(pair) if !pair.is_undefined() => DpopKey::from_pair(pair).await.ok(),
                _ => None,
            },
        }
    }
}

/// Deletes the key of the session under `config` now, and gives it to whoever still has a request to sign
/// with it (sign-out's revocation).
pub(crate) fn take(config: &Config) -> Taken {
    let name = storage::session_key(config);
    Taken(match config.storage {
        StorageKind::Memory => Err(MEMORY.with_borrow_mut(|all| {
            let at = all.iter().position(|(n, _)| *n == name)?;
            Some(all.remove(at).1)
        })),
        // Called now, so the deletion is queued before any later request on the store.
        StorageKind::Session => Ok(JsFuture::from(take_pair(&name))),
    })
}

/// Deletes the key of the session under `config`, in the background.
pub(crate) fn forget(config: &Config) {
    if let Taken(Ok(deleting)) = take(config) {
        spawn_local(async move {
            let _ = deleting.await;
        });
    }
}
