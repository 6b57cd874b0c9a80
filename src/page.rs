//! The page the element is on: its window, when it is idle, its language and whether it holds a user gesture
//! (its address is [`crate::address`]).

use anypoint_signin_core::error::{Code, Error};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue, UnwrapThrowExt};
use web_sys::Window;

pub(crate) fn window() -> Window {
    web_sys::window().expect_throw("anypoint-signin runs in a browser window")
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

/// Fills `bytes` from the browser's CSPRNG (at most 65,536 at a time: Web Crypto's limit).
pub fn fill_random(bytes: &mut [u8]) -> Result<(), Error> {
    window()
        .crypto()
        .and_then(|crypto| crypto.get_random_values_with_u8_array(bytes))
        .map(drop)
        .map_err(|_| Error::new(Code::UnsupportedBrowser, "This browser has no Web Crypto."))
}
