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
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

use crate::attributes;
use crate::controller::{Controller, Status};
use crate::element::Element;
use crate::flows;
use crate::session::{Profile, Session};

/// The signed-in session as Leptos signals, shared through context by every [`SignIn`] under it.
#[derive(Clone, Copy)]
pub struct SessionContext {
    session: RwSignal<Option<Session>>,
    client: StoredValue<Option<Controller>, LocalStorage>,
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

    /// The user's claims; tracked.
    pub fn profile(&self) -> Option<Profile> {
        self.session.with(|s| s.as_ref().map(|s| s.profile.clone()))
    }

    /// Starts a sign-in, as the button does (nothing before a [`SignIn`] is mounted).
    pub fn sign_in(&self) {
        self.client
            .with_value(|c| c.as_ref().map(flows::sign_in::sign_in));
    }

    /// Signs out, as the button does.
    pub fn sign_out(&self) {
        self.client
            .with_value(|c| c.as_ref().map(flows::sign_out::sign_out));
    }
}

/// Provides a session context to this component's children; call it near the app's root.
pub fn provide_session() -> SessionContext {
    let context = SessionContext {
        session: RwSignal::new(None),
        client: StoredValue::new_local(None),
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
) -> impl IntoView {
    let context = use_session();
    // The props in the registry's order, one per attribute (the array's length is checked against it).
    let values: [Option<String>; attributes::ALL.len()] = [
        Some(client_id),
        redirect_uri,
        scopes,
        region,
        authority,
        exchange_uri,
        storage,
        mode,
        signout,
        auth_type,
        theme,
        size,
        shape,
        width,
        label_signin,
        label_signout,
        locale,
    ];
    let attributes: Vec<_> = attributes::ALL.iter().map(|a| a.name).zip(values).collect();
    let element = StoredValue::new_local(None::<Element>);
    let host = NodeRef::<leptos::html::Div>::new();
    host.on_load(move |div| {
        let host: HtmlElement = div.unchecked_into();
        for (name, value) in attributes {
            if let Some(value) = value {
                let _ = host.set_attribute(name, &value);
            }
        }
        let mounted = Element::new(host);
        let client = mounted.client().clone();
        context.client.set_value(Some(client.clone()));
        Effect::new(move |_| {
            context.session.set(match client.status.get() {
                Status::SignedIn(session) => Some(session.public()),
                _ => None,
            });
        });
        element.set_value(Some(mounted));
    });
    // The element (its view, timers and channel) goes with this component's owner; the context may outlive it.
    on_cleanup(move || {
        context.client.try_set_value(None);
        context.session.try_set(None);
    });
    view! { <div node_ref=host class="anypoint-signin"></div> }
}
