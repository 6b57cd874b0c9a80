//! Where a session's DPoP key is kept: where the session is. `storage="session"`: IndexedDB, under the
//! session's key, so that a reload keeps it and the tabs sharing the session share it; `memory`: this page's
//! memory, gone with the session at a reload. Each key is kept with its thumbprint, which its session holds
//! too (`Session::dpop_jkt`): a session finds, and its end deletes, its own key only, never the key a later
//! sign-in put in its place.

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
    fn keep(name: &str, pair: &JsValue, jkt: &str) -> Promise;
    #[wasm_bindgen(js_name = dpopFind)]
    fn find_pair(name: &str, jkt: &str) -> Promise;
    #[wasm_bindgen(js_name = dpopTake)]
    fn take_pair(name: &str, jkt: &str) -> Promise;
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

    /// The sign-in succeeded: the key stays, for the session whose `dpop_jkt` is its thumbprint.
    pub(crate) fn keep(mut self) -> Option<String> {
        self.key.take().map(|key| key.thumbprint())
    }
}

impl Drop for NewKey {
    fn drop(&mut self) {
        if let Some(key) = &self.key {
            forget(&self.config, Some(&key.thumbprint()));
        }
    }
}

/// A new key for a sign-in under `config`, kept (in place of the key of an earlier session there).
pub(crate) async fn create(config: &Config) -> Result<NewKey, Error> {
    let key = DpopKey::generate().await?;
    let name = storage::session_key(config);
    match config.storage {
        StorageKind::Memory => MEMORY.with_borrow_mut(|all| {
            all.retain(|(n, _)| *n != name);
            all.push((name, key.clone()));
        }),
        StorageKind::Session => {
            JsFuture::from(keep(&name, &key.pair, &key.thumbprint()))
                .await
                .map_err(|e| {
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

/// The key a session under `config` is bound to (`jkt`, its `dpop_jkt`): an error when it is gone (site data
/// cleared, another sign-in since), as nothing can use or renew its tokens then.
pub(crate) async fn find(config: &Config, jkt: Option<&str>) -> Result<DpopKey, Error> {
    let name = storage::session_key(config);
    let found = match (jkt, config.storage) {
        (None, _) => None,
        (Some(jkt), StorageKind::Memory) => MEMORY.with_borrow(|all| {
            all.iter()
                .find(|(n, key)| *n == name && key.thumbprint() == jkt)
                .map(|(_, key)| key.clone())
        }),
        (Some(jkt), StorageKind::Session) => match JsFuture::from(find_pair(&name, jkt)).await {
            Ok(pair) if !pair.is_undefined() => Some(DpopKey::from_pair(pair).await?),
            _ => None,
        },
    };
    found.ok_or_else(|| {
        Error::new(
            Code::RenewalFailed,
            "The session's DPoP key is gone (the browser's site data was cleared, or another sign-in replaced \
             it), so its tokens cannot be used or renewed: sign in again.",
        )
    })
}

/// A key being taken out of its store: deleted already, to be had still by whoever has a request to sign.
pub(crate) struct Taken(Result<JsFuture, Option<DpopKey>>);

impl Taken {
    /// The key, if it was there.
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

/// Deletes the key `jkt` names under `config` now (not another), and gives it to whoever still has a request to
/// sign with it (sign-out's revocation).
pub(crate) fn take(config: &Config, jkt: Option<&str>) -> Taken {
    let name = storage::session_key(config);
    Taken(match (jkt, config.storage) {
        (None, _) => Err(None),
        (Some(jkt), StorageKind::Memory) => Err(MEMORY.with_borrow_mut(|all| {
            let at = all
                .iter()
                .position(|(n, key)| *n == name && key.thumbprint() == jkt)?;
            Some(all.remove(at).1)
        })),
        // Called now, so the deletion is queued before any later request on the store.
        (Some(jkt), StorageKind::Session) => Ok(JsFuture::from(take_pair(&name, jkt))),
    })
}

/// Deletes the key `jkt` names under `config`, in the background.
pub(crate) fn forget(config: &Config, jkt: Option<&str>) {
    if let Taken(Ok(deleting)) = take(config, jkt) {
        spawn_local(async move {
            let _ = deleting.await;
        });
    }
}
