//! What the element tells the page: DOM events that bubble out of the shadow root, and the console.

use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit, HtmlElement};

use crate::json::{js, to_js};
use anypoint_signin_core::error::Error;
use anypoint_signin_core::json::Value;
use anypoint_signin_core::session::Session;

/// Fired with the session (`{accessToken, tokenType, expiresAt, scope, idToken, profile}`, and `dpopJkt`
/// when the tokens are bound) after a sign-in
/// or when a stored session is restored.
pub const SIGNIN: &str = "anypoint-signin";
/// Fired after sign-out, with `{reason}`: `user` or `expired`.
pub const SIGNOUT: &str = "anypoint-signout";
/// Fired with `{code, message}` on every failure.
pub const ERROR: &str = "anypoint-signin-error";
/// Cancelable, before the code exchange: a page that cancels it does the exchange itself.
pub const CODE_EXCHANGE: &str = "anypoint-code-exchange";
// The earlier Lit `<anypoint-signin>`'s events, fired beside ours: a page written for it keeps working when
// only its script changes (README, "Coming from the earlier element").
/// The earlier element's events, detail `{value}`.
pub const SIGNED_IN_CHANGE: &str = "signedinchange";
/// See [`SIGNED_IN_CHANGE`].
pub const ACCESS_TOKEN_CHANGE: &str = "accesstokenchange";
/// The earlier element's [`SIGNIN`], with the same detail.
pub const EARLIER_SIGNIN: &str = "anypointsignin";
/// The earlier element's [`SIGNOUT`], with the same detail.
pub const EARLIER_SIGNOUT: &str = "anypointsignout";
/// The earlier element's [`ERROR`]; its detail is the message.
pub const EARLIER_ERROR: &str = "anypointsigninawareerror";
/// The earlier element's code exchange: the code is `event.code`, and the page sets `event.detail.result` to
/// (a promise of) the token, camelCase.
pub const EARLIER_CODE_EXCHANGE: &str = "anypointcodeexchange";

/// Every event the element dispatches, each with the earlier element's name for it, fired beside it, where
/// that has one: as www/meta/registry.json lists them (src/registry.rs).
#[cfg(test)]
pub(crate) const ALL: [(&str, Option<&str>); 6] = [
    (SIGNIN, Some(EARLIER_SIGNIN)),
    (SIGNOUT, Some(EARLIER_SIGNOUT)),
    (ERROR, Some(EARLIER_ERROR)),
    (CODE_EXCHANGE, Some(EARLIER_CODE_EXCHANGE)),
    (SIGNED_IN_CHANGE, None),
    (ACCESS_TOKEN_CHANGE, None),
];

/// Dispatches `name` on the host, with `extra` properties on the event object itself; false when a listener
/// cancelled it.
pub(crate) fn dispatch_with(
    host: &HtmlElement,
    name: &str,
    detail: &JsValue,
    cancelable: bool,
    extra: &[(&str, &JsValue)],
) -> bool {
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_cancelable(cancelable);
    init.set_detail(detail);
    let Ok(event) = CustomEvent::new_with_event_init_dict(name, &init) else {
        return true;
    };
    for (key, value) in extra {
        let _ = js_sys::Reflect::set(&event, &JsValue::from_str(key), value);
    }
    host.dispatch_event(&event).unwrap_or(true)
}

/// Dispatches `name` on the host; false when a listener cancelled it.
pub(crate) fn dispatch(host: &HtmlElement, name: &str, detail: &JsValue, cancelable: bool) -> bool {
    dispatch_with(host, name, detail, cancelable, &[])
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
pub fn signin(host: &HtmlElement, session: &Session) {
    let detail = to_js(&session.public());
    dispatch(host, SIGNIN, &detail, false);
    dispatch(host, EARLIER_SIGNIN, &detail, false);
    changed(host, Some(session));
}

/// Tells the page the user signed out, and why: `user` or `expired`.
pub fn signout(host: &HtmlElement, reason: &str) {
    let detail = js(&Value::Object(vec![("reason", reason.into())]));
    dispatch(host, SIGNOUT, &detail, false);
    dispatch(host, EARLIER_SIGNOUT, &detail, false);
    changed(host, None);
}

/// Logs `error` and tells the page about it.
pub fn error(host: &HtmlElement, error: &Error) {
    report(host, error, false);
}

/// Like [`error`], for a failure the element can work around: the event is cancelable, and the element falls
/// back (returns true) unless the page cancels it.
pub fn cancelable_error(host: &HtmlElement, error: &Error) -> bool {
    report(host, error, true)
}

/// What the element's console lines start with.
const CONSOLE_PREFIX: &str = "anypoint-signin:";

/// A console warning for the developer, about something that works but not as it should.
pub fn warn(message: &str) {
    web_sys::console::warn_2(
        &JsValue::from_str(CONSOLE_PREFIX),
        &JsValue::from_str(message),
    );
}

fn report(host: &HtmlElement, error: &Error, cancelable: bool) -> bool {
    web_sys::console::error_2(
        &JsValue::from_str(CONSOLE_PREFIX),
        &JsValue::from_str(&error.to_string()),
    );
    let detail = Value::Object(vec![
        ("code", error.code().as_str().into()),
        ("message", error.message().into()),
    ]);
    let go_on = dispatch(host, ERROR, &js(&detail), cancelable);
    dispatch(host, EARLIER_ERROR, &error.message().into(), false);
    go_on
}
