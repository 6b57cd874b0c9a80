//! The code exchange and renewal: the token requests ([`request`], and the bodies for the site's backend:
//! [`backend`]), the token response ([`response`]; the id_token in it: [`crate::id_token`]), the earlier
//! element's token ([`earlier`]), and revocation at sign-out ([`revocation`]).
//!
//! JSON is parsed by the caller (the browser's `JSON.parse` in the element, `serde_json` in tests) and read
//! into these types field by field ([`crate::json`]); these modules also decide what is acceptable.

pub mod backend;
pub mod earlier;
pub mod request;
pub mod response;
pub mod revocation;
