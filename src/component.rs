//! The crate inside a Leptos app, without the custom element: the [`SignIn`] component (the same button,
//! in its own shadow root) and the session context that the rest of the app reads with [`use_session`].
//!
//! ```no_run
//! use anypoint_signin::component::{SignIn, provide_session, use_session};
//! use leptos::prelude::*;
//!
//! #[component]
//! fn App() -> impl IntoView {
//!     provide_session();
//!     view! {
//!         <SignIn client_id="CLIENT_ID" scopes="openid profile email offline_access"/>
//!         <Greeting/>
//!     }
//! }
//!
//! #[component]
//! fn Greeting() -> impl IntoView {
//!     let session = use_session();
//!     move || match session.profile().and_then(|p| p.name) {
//!         Some(name) => format!("Hello, {name}"),
//!         None => "Not signed in".to_owned(),
//!     }
//! }
//! ```

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::HtmlElement;

use crate::controller::{Controller, Status};
use crate::element::Element;
use crate::flows;
use anypoint_signin_core::attributes::{self, Attribute};
use anypoint_signin_core::session::Session;
use anypoint_signin_core::session::profile::Profile;

/// The signed-in session as Leptos signals, shared through context by every [`SignIn`] under it.
#[derive(Clone, Copy)]
pub struct SessionContext {
    session: RwSignal<Option<Session>>,
    controller: StoredValue<Option<Controller>, LocalStorage>,
}

impl SessionContext {
    /// The session, as the page may see it (no refresh token); tracked.
    pub fn session(&self) -> Option<Session> {
        self.session.get()
    }

    /// Whether someone is signed in; tracked.
    pub fn signed_in(&self) -> bool {
        self.session.with(Option::is_some)
    }

    /// The access token for API calls; tracked, so it follows renewals.
    pub fn access_token(&self) -> Option<String> {
        self.session
            .with(|s| s.as_ref().map(|s| s.access_token.clone()))
    }

    /// How the access token is sent: `DPoP` (bound to the element's key: use [`SessionContext::fetch`]) or
    /// `Bearer`; tracked.
    pub fn token_type(&self) -> Option<String> {
        self.session
            .with(|s| s.as_ref().map(|s| s.token_type.clone()))
    }

    /// The user's claims; tracked.
    pub fn profile(&self) -> Option<Profile> {
        self.session.with(|s| s.as_ref().map(|s| s.profile.clone()))
    }

    /// Starts a sign-in, as the button does (nothing before a [`SignIn`] is mounted).
    pub fn sign_in(&self) {
        self.controller
            .with_value(|c| c.as_ref().map(flows::sign_in::begin));
    }

    /// Signs out, as the button does.
    pub fn sign_out(&self) {
        self.controller
            .with_value(|c| c.as_ref().map(flows::sign_out::begin));
    }

    /// `fetch(input, init)` with the session's token, as `element.fetch` (README, "DPoP"): the response, or
    /// the rejection (an `Error` with a `code`, or the browser's own).
    pub async fn fetch(&self, input: JsValue, init: JsValue) -> Result<web_sys::Response, JsValue> {
        let Some(controller) = self.controller.get_value() else {
            return Err(js_sys::Error::new("anypoint-signin: no SignIn is mounted.").into());
        };
        flows::fetch::fetch(controller, input, init)
            .await
            .map(JsCast::unchecked_into)
    }
}

/// Provides a session context to this component's children; call it near the app's root.
pub fn provide_session() -> SessionContext {
    let context = SessionContext {
        session: RwSignal::new(None),
        controller: StoredValue::new_local(None),
    };
    provide_context(context);
    context
}

/// The nearest session context, or a new one for this component and its children.
pub fn use_session() -> SessionContext {
    use_context().unwrap_or_else(provide_session)
}

/// The sign-in button as a Leptos component. The props are the custom element's attributes (see the
/// README), read once when it mounts; the button fills the nearest [`SessionContext`].
#[component]
pub fn SignIn(
    /// `clientid`.
    #[prop(into)]
    client_id: String,
    /// `redirecturi`; default: the current page.
    #[prop(optional, into)]
    redirect_uri: Option<String>,
    /// `scopes`.
    #[prop(optional, into)]
    scopes: Option<String>,
    /// `region`.
    #[prop(optional, into)]
    region: Option<String>,
    /// `authority` (blank: none, as for every prop here).
    #[prop(optional, into)]
    authority: Option<String>,
    /// `exchangeuri`.
    #[prop(optional, into)]
    exchange_uri: Option<String>,
    /// `storage`.
    #[prop(optional, into)]
    storage: Option<String>,
    /// `mode`.
    #[prop(optional, into)]
    mode: Option<String>,
    /// `signout`: `revoke` (the default) or `provider`.
    #[prop(optional, into)]
    signout: Option<String>,
    /// `authtype` (the earlier element's; only `authorization_code`).
    #[prop(optional, into)]
    auth_type: Option<String>,
    /// `theme`.
    #[prop(optional, into)]
    theme: Option<String>,
    /// `size`.
    #[prop(optional, into)]
    size: Option<String>,
    /// `shape`.
    #[prop(optional, into)]
    shape: Option<String>,
    /// `width`.
    #[prop(optional, into)]
    width: Option<String>,
    /// `label-signin`.
    #[prop(optional, into)]
    label_signin: Option<String>,
    /// `label-signout`.
    #[prop(optional, into)]
    label_signout: Option<String>,
    /// `locale`.
    #[prop(optional, into)]
    locale: Option<String>,
    /// `dpop`: `auto` (the default), `on` or `off`.
    #[prop(optional, into)]
    dpop: Option<String>,
    /// `fetchorigins`: where [`SessionContext::fetch`] may send the token, space-separated origins.
    #[prop(optional, into)]
    fetch_origins: Option<String>,
) -> impl IntoView {
    let context = use_session();
    // Each prop with the attribute it sets, by name; one per attribute (the array's length is the registry's).
    let props: [(&Attribute, Option<String>); attributes::ALL.len()] = [
        (&attributes::CLIENT_ID, Some(client_id)),
        (&attributes::REDIRECT_URI, redirect_uri),
        (&attributes::SCOPES, scopes),
        (&attributes::REGION, region),
        (&attributes::AUTHORITY, authority),
        (&attributes::EXCHANGE_URI, exchange_uri),
        (&attributes::STORAGE, storage),
        (&attributes::MODE, mode),
        (&attributes::SIGNOUT, signout),
        (&attributes::AUTHTYPE, auth_type),
        (&attributes::DPOP, dpop),
        (&attributes::FETCH_ORIGINS, fetch_origins),
        (&attributes::THEME, theme),
        (&attributes::SIZE, size),
        (&attributes::SHAPE, shape),
        (&attributes::WIDTH, width),
        (&attributes::LABEL_SIGNIN, label_signin),
        (&attributes::LABEL_SIGNOUT, label_signout),
        (&attributes::LOCALE, locale),
    ];
    debug_assert!(
        attributes::ALL
            .iter()
            .all(|a| props.iter().any(|(b, _)| a.name == b.name)),
        "every attribute has its prop"
    );
    let element = StoredValue::new_local(None::<Element>);
    let host = NodeRef::<leptos::html::Div>::new();
    host.on_load(move |div| {
        let host: HtmlElement = div.unchecked_into();
        for (attribute, value) in props {
            if let Some(value) = value {
                let _ = host.set_attribute(attribute.name, &value);
            }
        }
        let mounted = Element::new(host);
        let controller = mounted.controller().clone();
        context.controller.set_value(Some(controller.clone()));
        Effect::new(move |_| {
            context.session.set(match controller.status.get() {
                Status::SignedIn(session) => Some(session.public()),
                _ => None,
            });
        });
        element.set_value(Some(mounted));
    });
    // The element (its view, timers and channel) goes with this component's owner; the context may outlive it.
    on_cleanup(move || {
        context.controller.try_set_value(None);
        context.session.try_set(None);
    });
    view! { <div node_ref=host class="anypoint-signin"></div> }
}
