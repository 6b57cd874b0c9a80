//! `<anypoint-signin>`: a "Sign in with Anypoint Platform" button as a web component.
//!
//! The crate has two halves.
//!
//! **The pure core** — no browser in it, tested natively with `cargo test`:
//! [`config`] (the element's attributes), [`region`] (Anypoint's hosts), [`discovery`] (server metadata),
//! [`pkce`], [`authorize`] (the pending attempt and the authorize URL), [`callback`] (the redirect back),
//! [`token`] (the exchange), [`id_token`] (its checks), [`session`] (the signed-in state), [`renewal_policy`]
//! (how often renewal may run), [`web_url`] (URLs as the browser parses them), [`text`] (cleaning server
//! text), [`appearance`] (the look attributes), [`locale`] (the labels in six languages), [`fields`] (reading
//! and building JSON without serde) and [`error`].
//!
//! **The browser shell** — thin, tested in headless Chromium: `element` (custom element registration),
//! `button` (the Leptos view), `storage`, `http`, `json`, `navigation`, `events`, `renewal` (expiry and refresh),
//! `tabs` (the session shared between elements and tabs), `popup`, `claim` (which element takes a callback),
//! `discovery_cache` (the page's discovery documents), and `client`, which runs the sign-in steps of the core
//! against them.
//!
//! **In a Leptos app**, without the custom element: [`component`] (the `SignIn` component and the session
//! context).

pub mod appearance;
pub mod authorize;
pub mod callback;
pub mod config;
pub mod discovery;
pub mod error;
pub mod fields;
pub mod id_token;
pub mod locale;
pub mod pkce;
pub mod region;
pub mod renewal_policy;
pub mod session;
pub mod text;
pub mod token;
pub mod web_url;

pub mod button;
pub mod claim;
pub mod client;
pub mod component;
pub mod discovery_cache;
pub mod element;
pub mod events;
pub mod http;
pub mod json;
pub mod navigation;
pub mod popup;
pub mod renewal;
pub mod storage;
pub mod tabs;

pub use element::define;
