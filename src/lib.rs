//! `<anypoint-signin>`: a "Sign in with Anypoint Platform" button as a web component, and the same button as a
//! Leptos component.
//!
//! This crate is the browser shell and the view over the pure core, [`anypoint_signin_core`] (every OAuth step
//! and check, tested natively). Its public API is small: [`define`] registers the custom elements;
//! [`component`] is the Leptos-native API (`SignIn`, `provide_session`, `use_session`); [`Session`],
//! [`Profile`] and [`Error`] are the core's types those hand out.
//!
//! Inside, one module per idea: `element` (registration; `js/element.js` is the class wasm-bindgen cannot
//! declare), `button` (the Leptos view, and `button::style`: its stylesheet, CSS parts and custom properties;
//! `placeholder`, the stylesheet that draws it before the wasm, is built from it by a test), `controller` (one
//! element's state, and background work that stops with it), `flows` (the page's start, sign-in, callback,
//! restore, the other tabs, sign-out, each through one session `lifecycle` that alone runs renewal),
//! `authorization_response` (which element takes the response in the redirect URI), `code_exchange` (the
//! page's hand in it), `tabs` (the channel between elements and tabs, and the Web Lock of `js/lock.js`),
//! `navigator` (where the authorize page opens: this tab or a popup, with `js/popup.js`), `discovery_cache`,
//! `userinfo`, `storage`, `dpop` (the session's key, with `js/dpop.js`, and the proofs it signs), `http`, `json`, `address` (where the page is, leaving it, cleaning it after a
//! callback), `page` (the window, idle time, language, user gesture), `events`, and `registry` (the published
//! surface, written for `www/meta`). The core's modules are named by their full path
//! (`anypoint_signin_core::callback` is the protocol step, `crate::flows::callback` the flow that runs it).

pub use anypoint_signin_core::error::Error;
pub use anypoint_signin_core::session::Session;
pub use anypoint_signin_core::session::profile::Profile;

#[macro_use]
mod button;
mod address;
mod authorization_response;
mod code_exchange;
pub mod component;
mod controller;
mod discovery_cache;
mod dpop;
mod element;
mod events;
mod flows;
mod http;
mod json;
mod navigator;
mod page;
#[cfg(test)]
mod placeholder;
#[cfg(test)]
mod registry;
#[cfg(test)]
mod shipped;
mod storage;
mod tabs;
mod userinfo;

pub use element::define;
