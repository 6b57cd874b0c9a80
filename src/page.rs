//! The page the element is on: its window, its address (where we are, leaving for the authorization server,
//! cleaning up after the callback), its URL parser and its language.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue, UnwrapThrowExt};
use web_sys::{Location, Window};

use anypoint_signin_core::callback::without_callback_params;
use anypoint_signin_core::web_url::WebUrl;

pub(crate) fn window() -> Window {
    web_sys::window().expect_throw("anypoint-signin runs in a browser window")
}

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

/// Calls `run` when the browser is idle, within 2 s; after the current task where the browser has no
/// `requestIdleCallback` (or the page replaced it with something that throws).
pub fn when_idle(run: impl FnOnce() + 'static) {
    let callback = Closure::once_into_js(run);
    let w = window();
    let options = web_sys::IdleRequestOptions::new();
    options.set_timeout(2000);
    let has_it =
        js_sys::Reflect::has(&w, &JsValue::from_str("requestIdleCallback")).unwrap_or(false);
    if !has_it
        || w.request_idle_callback_with_options(callback.unchecked_ref(), &options)
            .is_err()
    {
        let _ = w.set_timeout_with_callback(callback.unchecked_ref());
    }
}

/// Whether the page may be a callback: its query has a `state`, as the browser parses it. Cheaper than
/// reading the callback, for deciding whether the page needs the flows at once; `www/src/anypoint-signin.js`
/// asks the same before any wasm is requested.
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

/// The languages the element should speak, most preferred first: the nearest `lang` attribute around `host`
/// (the page's own language), then the browser's.
pub fn languages(host: &web_sys::Element) -> Vec<String> {
    let page = host
        .closest("[lang]")
        .ok()
        .flatten()
        .and_then(|e| e.get_attribute("lang"));
    let browser = window().navigator().languages();
    page.into_iter()
        .chain(browser.iter().filter_map(|l| l.as_string()))
        .collect()
}

/// Whether the page still holds a user gesture (a popup may open): `navigator.userActivation.isActive`. A click
/// kept by the placeholder until the element could act may be too old. True where the browser does not say.
pub fn user_active() -> bool {
    js_sys::Reflect::get(&window().navigator(), &"userActivation".into())
        .ok()
        .filter(|a| a.is_object())
        .and_then(|a| js_sys::Reflect::get(&a, &"isActive".into()).ok())
        .is_none_or(|active| active.as_bool() != Some(false))
}
