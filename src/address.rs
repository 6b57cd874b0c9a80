//! The page's address: where the element is (the default redirect URI, a callback's query), leaving it for the
//! authorization server, cleaning it up after a callback, and the browser's URL parser.

use wasm_bindgen::JsValue;
use web_sys::Location;

use crate::page::window;
use anypoint_signin_core::callback::without_callback_params;
use anypoint_signin_core::web_url::WebUrl;

fn location() -> Location {
    window().location()
}

/// The current page without query or fragment: the default redirect URI, and what a callback must arrive at.
pub fn page_url() -> String {
    let l = location();
    l.origin().unwrap_or_default() + &l.pathname().unwrap_or_default()
}

/// Parses a URL with the browser's own `URL`, the parser every request of the page goes through
/// ([`anypoint_signin_core::web_url::Parse`]).
pub fn parse_url(input: &str, base: Option<&str>) -> Option<WebUrl> {
    let url = match base {
        Some(base) => web_sys::Url::new_with_base(input, base),
        None => web_sys::Url::new(input),
    }
    .ok()?;
    Some(WebUrl {
        href: url.href(),
        scheme: url.protocol().trim_end_matches(':').to_owned(),
        host: url.hostname(),
        origin: url.origin(),
        has_credentials: !url.username().is_empty() || !url.password().is_empty(),
    })
}

/// Whether the page may be a callback: its query has a `state`, as the browser parses it. Cheaper than
/// reading the callback, for deciding whether the element resumes at once; `www/src/anypoint-signin.js` asks
/// the same before any wasm runs.
pub fn may_be_callback() -> bool {
    web_sys::UrlSearchParams::new_with_str(&query()).is_ok_and(|q| q.has("state"))
}

/// The current query string, with its `?`.
pub fn query() -> String {
    location().search().unwrap_or_default()
}

/// Removes `code`, `state` and the other callback parameters from the address bar and this history entry, so
/// that neither a reload, a bookmark, the Back button nor a Referer can replay or leak them.
pub fn clean_callback_url() {
    let l = location();
    let url = l.pathname().unwrap_or_default()
        + &without_callback_params(&query())
        + &l.hash().unwrap_or_default();
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}

/// Leaves the page for `url`.
pub fn assign(url: &str) -> Result<(), JsValue> {
    location().assign(url)
}
