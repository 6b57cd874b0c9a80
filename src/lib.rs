//! `<anypoint-signin>`: a "Sign in with Anypoint Platform" button as a web component, and the same button as a
//! Leptos component.
//!
//! This crate is the browser shell and the view over the pure core, [`anypoint_signin_core`] (every OAuth step
//! and check, tested natively). Its public API is small: [`define`] registers the custom elements;
//! [`component`] is the Leptos-native API (`SignIn`, `provide_session`, `use_session`); [`Session`],
//! [`Profile`] and [`Error`] are the core's types those hand out.
//!
//! Inside, one module per idea: `element` (registration; `js/element.js` is the class wasm-bindgen cannot
//! declare), `button` (the Leptos view; `placeholder`, the stylesheet that draws it before the wasm, is built
//! from it by a test), `controller` (one element's state, and background work that stops with it), `flows`
//! (sign-in, callback, restore, renewal, the other tabs, sign-out: the lazily loaded chunk), `claim` (which
//! element takes a callback), `tabs` (the channel between elements and tabs, and the Web Lock of
//! `js/lock.js`), `popup` (with `js/popup.js`), `discovery_cache`, `storage`, `http`, `json`, `page` (the
//! window, its address and its language), `events`.

// The core's modules, under the names the shell has always used.
pub(crate) use anypoint_signin_core::{
    appearance, attributes, authorize, backend_session, callback, config, discovery, error, fields,
    id_token, locale, renewal_policy, session, tab_message, token,
};

pub use anypoint_signin_core::error::Error;
pub use anypoint_signin_core::session::{Profile, Session};

#[macro_use]
mod button;
mod claim;
pub mod component;
mod controller;
mod discovery_cache;
mod element;
mod events;
mod flows;
mod http;
mod json;
mod page;
#[cfg(test)]
mod placeholder;
mod popup;
mod storage;
mod tabs;

pub use element::define;
