//! What the element tells the page: DOM events that bubble out of the shadow root, and the console.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::Closure;
use web_sys::{CustomEvent, CustomEventInit, HtmlElement};

use crate::authorize::PendingAttempt;
use crate::error::{Code, Error};
use crate::fields::Value;
use crate::json::{js, to_js};
use crate::session::Session;

/// Fired with the session (`{accessToken, tokenType, expiresAt, scope, idToken, profile}`) after a sign-in
/// or when a stored session is restored.
pub const SIGNIN: &str = "anypoint-signin";
/// Fired after sign-out, with `{reason}`: `user` or `expired`.
pub const SIGNOUT: &str = "anypoint-signout";
/// Fired with `{code, message}` on every failure.
pub const ERROR: &str = "anypoint-signin-error";
/// Cancelable, before the code exchange: a page that cancels it does the exchange itself.
pub const CODE_EXCHANGE: &str = "anypoint-code-exchange";
/// The earlier element's events, detail `{value}`.
pub const SIGNED_IN_CHANGE: &str = "signedinchange";
/// See [`SIGNED_IN_CHANGE`].
pub const ACCESS_TOKEN_CHANGE: &str = "accesstokenchange";

/// Dispatches `name` on the host; false when a listener cancelled it.
fn dispatch(host: &HtmlElement, name: &str, detail: &JsValue, cancelable: bool) -> bool {
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_cancelable(cancelable);
    init.set_detail(detail);
    match CustomEvent::new_with_event_init_dict(name, &init) {
        Ok(event) => host.dispatch_event(&event).unwrap_or(true),
        Err(_) => true,
    }
}

/// The earlier element's detail, `{value}`.
fn value(value: Value) -> JsValue {
    js(&Value::Object(vec![("value", value)]))
}

fn changed(host: &HtmlElement, session: Option<&Session>) {
    dispatch(
        host,
        SIGNED_IN_CHANGE,
        &value(session.is_some().into()),
        false,
    );
    let token = session.map(|s| s.access_token.as_str());
    dispatch(host, ACCESS_TOKEN_CHANGE, &value(token.into()), false);
}

/// Tells the page who signed in.
pub fn signed_in(host: &HtmlElement, session: &Session) {
    dispatch(host, SIGNIN, &to_js(&session.public()), false);
    changed(host, Some(session));
}

/// Tells the page the user signed out, and why: `user` or `expired`.
pub fn signed_out(host: &HtmlElement, reason: &str) {
    let detail = Value::Object(vec![("reason", reason.into())]);
    dispatch(host, SIGNOUT, &js(&detail), false);
    changed(host, None);
}

/// Logs `error` and tells the page about it.
pub fn error(host: &HtmlElement, error: &Error) {
    report(host, error, false);
}

/// Like [`error`], for a failure the element can work around: the event is cancelable, and the element falls
/// back (returns true) unless the page cancels it.
pub fn fallback(host: &HtmlElement, error: &Error) -> bool {
    report(host, error, true)
}

fn report(host: &HtmlElement, error: &Error, cancelable: bool) -> bool {
    web_sys::console::error_2(
        &JsValue::from_str("anypoint-signin:"),
        &JsValue::from_str(&error.to_string()),
    );
    let detail = Value::Object(vec![
        ("code", error.code().into()),
        ("message", error.message().into()),
    ]);
    dispatch(host, ERROR, &js(&detail), cancelable)
}

/// Offers the code exchange to the page. `Ok(None)`: the element exchanges. `Ok(Some(answer))`: the page
/// cancelled the event and called `detail.respondWith(tokenResponseOrPromise)` during dispatch, as with
/// `FetchEvent`; cancelling without answering is an error.
pub fn code_exchange(
    host: &HtmlElement,
    code_value: &str,
    attempt: &PendingAttempt,
) -> Result<Option<JsValue>, Error> {
    let detail = js(&Value::Object(vec![
        ("code", code_value.into()),
        ("codeVerifier", attempt.code_verifier.as_str().into()),
        ("redirectUri", attempt.redirect_uri.as_str().into()),
        ("clientId", attempt.client_id.as_str().into()),
        ("tokenEndpoint", attempt.token_endpoint.as_str().into()),
    ]));
    let answer = Rc::new(RefCell::new(None));
    let slot = answer.clone();
    let respond_with = Closure::<dyn Fn(JsValue)>::new(move |value| {
        slot.replace(Some(value));
    });
    let _ = js_sys::Reflect::set(&detail, &"respondWith".into(), respond_with.as_ref());
    if dispatch(host, CODE_EXCHANGE, &detail, true) {
        return Ok(None);
    }
    let answer = answer.take();
    answer.map(Some).ok_or_else(|| {
        Error::new(
            Code::ExchangeNotHandled,
            "The page cancelled anypoint-code-exchange without calling detail.respondWith().",
        )
    })
}
