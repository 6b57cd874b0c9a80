//! The `<anypoint-signin>` custom element: registration, and one [`Element`] per connected host.

use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos::tachys::view::any_view::AnyViewState;
use wasm_bindgen::prelude::*;
use web_sys::{CssStyleSheet, HtmlElement, ShadowRootInit, ShadowRootMode};

use crate::button::Button;
use crate::button::style::CSS;
use crate::controller::{Controller, Status};
use crate::flows;
use crate::{events, json};
use anypoint_signin_core::attributes;
use anypoint_signin_core::error::{Code, Error};

#[wasm_bindgen(module = "/js/element.js")]
extern "C" {
    #[wasm_bindgen(js_name = defineElement, catch)]
    fn define_element(tag: &str, observed: &js_sys::Array, create: &JsValue)
    -> Result<(), JsValue>;
}

thread_local! {
    /// One stylesheet for all elements of the page.
    static SHEET: Option<CssStyleSheet> = CssStyleSheet::new().ok().filter(|s| s.replace_sync(CSS).is_ok());
}

/// The element's tag unless the page picks another.
pub(crate) const TAG: &str = "anypoint-signin";

/// Defines the custom element as `tag` (default `anypoint-signin`) and its headless companion as
/// `{tag}-aware`; a tag already defined is left alone.
#[wasm_bindgen]
pub fn define(tag: Option<String>) -> Result<(), JsValue> {
    let tag = tag.as_deref().unwrap_or(TAG);
    let observed: js_sys::Array = attributes::observed().map(JsValue::from_str).collect();
    let button =
        Closure::<dyn Fn(HtmlElement) -> JsValue>::new(|host| JsValue::from(Element::new(host)));
    let aware = Closure::<dyn Fn(HtmlElement) -> JsValue>::new(|host| {
        JsValue::from(Element::headless(host))
    });
    define_element(tag, &observed, button.as_ref())?;
    define_element(&(tag.to_owned() + "-aware"), &observed, aware.as_ref())?;
    // The element classes keep calling them for every new host, for the life of the page.
    button.forget();
    aware.forget();
    Ok(())
}

/// The Rust side of one connected element. Dropping it (on disconnect) unmounts the view, or for the headless
/// element disposes of its effects, and leaves the other elements.
#[wasm_bindgen]
pub struct Element {
    controller: Controller,
    _view: Option<UnmountHandle<AnyViewState>>,
    _owner: Option<Owner>,
}

impl Element {
    /// `<anypoint-signin-aware>`: the same controller without a view, sharing the session with the buttons.
    fn headless(host: HtmlElement) -> Element {
        let controller = Controller::new(host);
        // Effects need Leptos's executor, which `mount_to` sets up for the buttons; here nothing else may have.
        let _ = any_spawner::Executor::init_wasm_bindgen();
        let owner = Owner::new();
        owner.with(|| controller.watch_config());
        flows::start::connected(&controller);
        Element {
            controller,
            _view: None,
            _owner: Some(owner),
        }
    }

    /// The button in `host`'s shadow root (attached here when it has none). A host whose shadow root the
    /// element cannot reach (the page gave it a closed one) gets no button, but an error, and works headless.
    pub(crate) fn new(host: HtmlElement) -> Element {
        let init = ShadowRootInit::new(ShadowRootMode::Open);
        let Some(shadow) = host
            .shadow_root()
            .or_else(|| host.attach_shadow(&init).ok())
        else {
            let error = Error::new(
                Code::ShadowRootUnavailable,
                "This element already has a closed shadow root (a <template shadowrootmode=\"closed\"> in its markup), so the sign-in button cannot be shown: remove the template.",
            );
            events::error(&host, &error);
            return Element::headless(host);
        };
        SHEET.with(|sheet| {
            if let Some(sheet) = sheet {
                shadow.set_adopted_style_sheets(&js_sys::Array::of1(sheet));
            }
        });
        let controller = Controller::new(host);
        let mounted = controller.clone();
        let view = mount_to(shadow.unchecked_into(), move || {
            mounted.watch_config();
            view! { <Button controller=mounted/> }.into_any()
        });
        flows::start::connected(&controller);
        Element {
            controller,
            _view: Some(view),
            _owner: None,
        }
    }
}

impl Element {
    /// The element's controller.
    pub(crate) fn controller(&self) -> &Controller {
        &self.controller
    }
}

impl Drop for Element {
    fn drop(&mut self) {
        self.controller.leave();
    }
}

#[wasm_bindgen]
impl Element {
    /// `attributeChangedCallback`.
    #[wasm_bindgen(js_name = attributeChanged)]
    pub fn attribute_changed(&self, name: &str, value: Option<String>) {
        self.controller.attribute_changed(name, value);
    }

    /// The page came back from the back/forward cache: a redirect that was under way was abandoned.
    #[wasm_bindgen(js_name = pageRestored)]
    pub fn page_restored(&self) {
        flows::sign_in::abandon(&self.controller);
    }

    /// The pointer or the focus reached the element: a click may come, so its code is fetched now.
    pub fn warm(&self) {
        flows::start::warm(&self.controller);
    }

    /// The `signedIn` property.
    #[wasm_bindgen(getter, js_name = signedIn)]
    pub fn signed_in(&self) -> bool {
        matches!(self.controller.status.get_untracked(), Status::SignedIn(_))
    }

    /// The `accessToken` property.
    #[wasm_bindgen(getter, js_name = accessToken)]
    pub fn access_token(&self) -> Option<String> {
        self.controller.session().map(|s| s.access_token)
    }

    /// The `tokenType` property: `DPoP` when the tokens are bound to the element's key, `Bearer`, or `null`.
    #[wasm_bindgen(getter, js_name = tokenType)]
    pub fn token_type(&self) -> Option<String> {
        self.controller.session().map(|s| s.token_type)
    }

    /// The `profile` property: the signed-in user's OpenID Connect claims, or `null`.
    #[wasm_bindgen(getter)]
    pub fn profile(&self) -> JsValue {
        self.controller
            .session()
            .map_or(JsValue::NULL, |s| json::to_js(&s.profile))
    }

    /// The `signIn()` method.
    #[wasm_bindgen(js_name = signIn)]
    pub fn sign_in(&self) {
        flows::sign_in::begin(&self.controller);
    }

    /// The `fetch(input, init)` method: a promise of the response to the page's request, sent with the
    /// session's token (`flows::fetch`).
    pub fn fetch(&self, input: JsValue, init: JsValue) -> js_sys::Promise {
        wasm_bindgen_futures::future_to_promise(flows::fetch::fetch(
            self.controller.clone(),
            input,
            init,
        ))
    }

    /// The `signOut()` method.
    #[wasm_bindgen(js_name = signOut)]
    pub fn sign_out(&self) {
        flows::sign_out::begin(&self.controller);
    }
}
