//! The pure core of `<anypoint-signin>`: every OAuth step as a request builder and a strict check of what comes
//! back, with no browser in it (no web-sys, js-sys, wasm-bindgen or Leptos; `scripts/test.sh` checks the
//! dependency tree). Tested natively with `cargo test`; the element (the crate `anypoint-signin`) runs these
//! steps against the browser.
//!
//! - The element's input: [`attributes`] (the one list of them), [`config`] (the sign-in attributes),
//!   [`appearance`] (the look attributes), [`locale`] (the
//!   labels in six languages), [`region`] (Anypoint's hosts), [`web_url`] (URLs as the browser parses them).
//! - The steps: [`discovery`] (server metadata), [`pkce`], [`authorize`] (the pending attempt and the authorize
//!   URL), [`callback`] (the redirect back), [`owner`] (which element takes it), [`token`] (the exchange: its
//!   requests, the backend's bodies, the response, revocation), [`id_token`] (its checks, first and renewed),
//!   [`session`] (the signed-in state, the profile, signing out), [`arrival`] (how a session comes to an
//!   element), [`renewal_policy`] (how often renewal may run), [`tab_message`] (what elements and tabs tell each
//!   other, and what they do with it), [`backend_session`] (the cookies of the `exchangeuri` backend that keeps
//!   the refresh token), [`dpop`] (tokens bound to a key: proofs up to their signature, nonces, the
//!   token-type check).
//! - Underneath: [`json`] (reading and building JSON without serde), [`text`] (cleaning server text),
//!   [`error`], [`failure`] (a request that failed, as the element says it).
//!
//! Features, for native users (tests, fuzzing, servers): `serde_json` (read serde_json values with [`json`]),
//! `url` (`web_url::parse_native`, unlinked: only that feature builds it, so `cargo doc -p` would find no
//! target) and `serde` (the serde form of the OAuth error the backend crate answers with,
//! [`token::response::ErrorResponse`]).

pub mod appearance;
pub mod arrival;
pub mod attributes;
pub mod authorize;
pub mod backend_session;
pub mod callback;
pub mod client;
pub mod config;
pub mod discovery;
pub mod dpop;
pub mod error;
#[cfg(test)]
mod examples;
pub mod failure;
pub mod id_token;
pub mod json;
pub mod locale;
pub mod owner;
pub mod pkce;
pub mod region;
pub mod renewal_policy;
pub mod session;
pub mod tab_message;
pub mod text;
pub mod token;
pub mod web_url;
