//! A Leptos app that signs in with the crate's `SignIn` component, without the custom element, and reads the
//! session anywhere below `provide_session()`. Build it like the element (see scripts/test.sh, which builds
//! it for tests/browser/leptos.test.mjs) with `-p anypoint-signin-leptos-example`, and serve it from a page registered as the
//! connected app's redirect URI; the page's `<body data-client-id="…" data-authority="…">` configures it.

use anypoint_signin::component::{SignIn, provide_session, use_session};
use leptos::prelude::*;

fn main() {
    leptos::mount::mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    let session = provide_session();
    let body = document().body();
    let setting = |name: &str| body.as_ref().and_then(|b| b.get_attribute(name));
    view! {
        <header>
            <SignIn
                client_id=setting("data-client-id").unwrap_or_else(|| "CLIENT_ID".to_owned())
                authority=setting("data-authority").unwrap_or_default()
                scopes="openid profile email offline_access"
                theme="auto"
                shape="pill"
            />
        </header>
        <main>
            <Greeting/>
            <button on:click=move |_| session.sign_out() disabled=move || !session.signed_in()>"Sign out"</button>
        </main>
    }
}

/// Any component under the context sees the session, renewals included.
#[component]
fn Greeting() -> impl IntoView {
    let session = use_session();
    move || match session.profile().and_then(|p| p.name) {
        Some(name) => format!(
            "Hello, {name}. Your access token ends in …{}.",
            session
                .access_token()
                .unwrap_or_default()
                .chars()
                .rev()
                .take(4)
                .collect::<String>()
        ),
        None => "Not signed in.".to_owned(),
    }
}
