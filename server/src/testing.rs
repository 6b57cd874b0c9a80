//! Values the tests of this crate and of the applications built on it (the playground's server) share:
//! a configuration's environment as a map. Compiled for this crate's tests and with the `testing` feature.

use std::collections::HashMap;

/// A session key: 32 bytes, as `openssl rand -base64 32` prints them (standard alphabet, padded).
pub const KEY: &str = "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=";

/// The variables a confidential app needs ([`Config::from_vars`](crate::Config::from_vars)).
pub const APP: [(&str, &str); 3] = [
    ("ANYPOINT_CLIENT_ID", "app"),
    ("ANYPOINT_CLIENT_SECRET", "s3cret"),
    ("ANYPOINT_SIGNIN_SESSION_KEY", KEY),
];

/// An environment of `pairs`.
pub fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}
