//! Where attempts and sessions are kept: sessionStorage (per tab, gone when the tab closes) or page memory.
//! Never localStorage: a token there outlives the tab and is readable by every page of the origin, forever.

use std::cell::RefCell;

use rustc_hash::FxHashMap;
use wasm_bindgen::JsCast;
use web_sys::{HtmlDocument, Storage};

use crate::json;
use crate::page::window;
use anypoint_signin_core::authorize::PendingAttempt;
use anypoint_signin_core::backend_session;
use anypoint_signin_core::config::{Config, StorageKind};
use anypoint_signin_core::discovery::Metadata;
use anypoint_signin_core::error::{Code, Error};
use anypoint_signin_core::json::FromJson;
use anypoint_signin_core::session::Session;

/// What every key of the element's starts with; `www/src/anypoint-signin.js` looks for it too, to draw the
/// placeholder as working (not "Sign in") on pages that hold an attempt or a session.
const KEYS: &str = "anypoint-signin:";
const PENDING_PREFIX: &str = "anypoint-signin:pending:";
/// The discovery document an attempt's authorize URL came from, under the attempt's `state` too.
const DISCOVERY_PREFIX: &str = "anypoint-signin:discovery:";
const SESSION_PREFIX: &str = "anypoint-signin:session:";

thread_local! {
    /// Sessions of `storage="memory"` elements, shared by the elements of the page.
    static MEMORY: RefCell<FxHashMap<String, Session>> = RefCell::default();
}

fn session_storage() -> Result<Storage, Error> {
    window().session_storage().ok().flatten().ok_or_else(|| {
        Error::new(
            Code::StorageUnavailable,
            "This browser blocks sessionStorage, which sign-in needs to survive the redirect.",
        )
    })
}

/// Remembers an attempt across the redirect (always sessionStorage: memory does not survive it) with the
/// discovery document its authorize URL came from, and forgets expired ones that were abandoned.
pub fn save_pending(attempt: &PendingAttempt, metadata: &Metadata) -> Result<(), Error> {
    let storage = session_storage()?;
    let keys: Vec<String> = (0..storage.length().unwrap_or(0))
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|k| k.starts_with(PENDING_PREFIX))
        .collect();
    for key in keys {
        let expired =
            read::<PendingAttempt>(&storage, &key).is_none_or(|p| p.is_expired(attempt.created_at));
        if expired {
            forget(&storage, &key[PENDING_PREFIX.len()..]);
        }
    }
    storage
        .set_item(
            &format!("{PENDING_PREFIX}{}", attempt.state),
            &json::stringify(attempt),
        )
        .map_err(|_| {
            Error::new(
                Code::StorageUnavailable,
                "sessionStorage is full or blocked.",
            )
        })?;
    // Only saves the callback page a request: without it (say, storage full), that page fetches discovery.
    let _ = storage.set_item(
        &format!("{DISCOVERY_PREFIX}{}", attempt.state),
        &json::stringify(metadata),
    );
    Ok(())
}

/// The attempt started with `state`, if this tab started one, without consuming it. Blocked storage is an
/// error of its own: the attempt may well exist, and "not started in this tab" would mislead.
pub fn peek_pending(state: &str) -> Result<Option<PendingAttempt>, Error> {
    Ok(read(
        &session_storage()?,
        &format!("{PENDING_PREFIX}{state}"),
    ))
}

/// The discovery document saved with the attempt started with `state`, if any. It is only what this tab's
/// own storage says: the caller checks it as it would a fetched one.
pub fn pending_metadata(state: &str) -> Option<Metadata> {
    read(
        &session_storage().ok()?,
        &format!("{DISCOVERY_PREFIX}{state}"),
    )
}

/// Consumes the attempt started with `state` and its discovery document: a callback is honoured once.
pub fn remove_pending(state: &str) {
    if let Ok(storage) = session_storage() {
        forget(&storage, state);
    }
}

fn forget(storage: &Storage, state: &str) {
    let _ = storage.remove_item(&format!("{PENDING_PREFIX}{state}"));
    let _ = storage.remove_item(&format!("{DISCOVERY_PREFIX}{state}"));
}

/// What is stored under `key`, if it reads as a `T`: anything else is as good as absent.
fn read<T: FromJson>(storage: &Storage, key: &str) -> Option<T> {
    json::parse(&storage.get_item(key).ok()??).ok()
}

/// Whether the site's `exchangeuri` backend holds a session for this browser: its script-readable hint
/// cookie, which holds no token (the refresh token is in an `HttpOnly` cookie beside it).
pub fn backend_holds_session() -> bool {
    window()
        .document()
        .map(|d| d.unchecked_into::<HtmlDocument>())
        .and_then(|d| d.cookie().ok())
        .is_some_and(|cookies| backend_session::hint_in(&cookies))
}

/// Whether this page holds an attempt or a session of any element (not necessarily this one's), or the site's
/// backend holds one: then the flows are needed at once.
pub fn holds_any() -> bool {
    if MEMORY.with_borrow(|m| !m.is_empty()) || backend_holds_session() {
        return true;
    }
    let Ok(storage) = session_storage() else {
        return false;
    };
    let count = storage.length().unwrap_or(0);
    (0..count).any(|i| {
        storage
            .key(i)
            .ok()
            .flatten()
            .is_some_and(|k| k.starts_with(KEYS))
    })
}

/// One session per issuer and connected app: elements configured alike share it.
pub fn session_key(config: &Config) -> String {
    format!(
        "{SESSION_PREFIX}{}:{}",
        config.provider.issuer(),
        config.client_id
    )
}

/// Keeps the signed-in session where `config.storage` says.
pub fn save_session(config: &Config, session: &Session) {
    let key = session_key(config);
    match config.storage {
        StorageKind::Memory => MEMORY.with_borrow_mut(|m| {
            m.insert(key, session.clone());
        }),
        StorageKind::Session => {
            if let Ok(storage) = session_storage() {
                let _ = storage.set_item(&key, &json::stringify(session));
            }
        }
    }
}

/// The stored session for `config`, if any.
pub fn load_session(config: &Config) -> Option<Session> {
    let key = session_key(config);
    match config.storage {
        StorageKind::Memory => MEMORY.with_borrow(|m| m.get(&key).cloned()),
        StorageKind::Session => read(&session_storage().ok()?, &key),
    }
}

/// Forgets the session for `config`.
pub fn clear_session(config: &Config) {
    let key = session_key(config);
    match config.storage {
        StorageKind::Memory => MEMORY.with_borrow_mut(|m| {
            m.remove(&key);
        }),
        StorageKind::Session => {
            if let Ok(storage) = session_storage() {
                let _ = storage.remove_item(&key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_starts_with_what_the_entry_module_looks_for() {
        for prefix in [PENDING_PREFIX, DISCOVERY_PREFIX, SESSION_PREFIX] {
            assert!(prefix.starts_with(KEYS), "{prefix}");
        }
        let entry = include_str!("../www/src/anypoint-signin.js");
        assert!(
            entry.contains(&format!("'{KEYS}'")),
            "the entry module looks for {KEYS}"
        );
    }
}
