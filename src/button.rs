//! The button itself: a Leptos view of the client's config and status.

use leptos::prelude::*;

use crate::client::{Client, Status};

/// Label of the sign-in button.
const SIGN_IN: &str = "Sign in with Anypoint Platform";

/// The Anypoint mark, drawn inline so the element needs no image request (and no `img-src` in a CSP).
///
/// Trusted Types: Leptos builds a nested element whose attributes and children are all literals from an HTML
/// string (`innerHTML`), which a page requiring Trusted Types forbids. One braced value (`{"…"}`) in each such
/// element keeps it on `createElement`; tests/attacks.test.mjs fails if one is missed.
fn mark() -> impl IntoView {
    view! {
        <svg class="mark" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <circle cx="12" cy="12" r="11" fill={"#00a0df"}/>
            <path d={"M7 17l5-10 5 10M9.2 13h5.6"} fill="none" stroke="#fff" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/>
        </svg>
    }
}

/// Initials for the avatar: first letters of the first two words.
fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

/// The element's whole view. Text is always set as text, never as HTML: profile fields come from a server.
#[component]
pub fn Button(client: Client) -> impl IntoView {
    let view_client = client.clone();
    let render = move || {
        let client = view_client.clone();
        let (sign_in, sign_out) = (client.clone(), client.clone());
        let sign_in_button = move |label: &'static str| {
            let client = sign_in.clone();
            view! {
                <button part="button" class="button" type="button" on:click=move |_| client.sign_in()>
                    {mark()}<span class="label">{label}</span>
                </button>
            }
        };
        match (client.config.get(), client.status.get()) {
            (Err(error), _) => view! {
                <button part="button" class="button" type="button" disabled>
                    {mark()}<span class="label">{SIGN_IN}</span>
                </button>
                <p part="error" class="error" role="alert">{error.message().to_owned()}</p>
            }
            .into_any(),
            (Ok(_), Status::Idle) => sign_in_button(SIGN_IN).into_any(),
            (Ok(_), Status::Working) => view! {
                <button part="button" class="button" type="button" disabled aria-busy="true">
                    {mark()}<span class="label">{"Signing in…"}</span>
                </button>
            }
            .into_any(),
            (Ok(_), Status::SignedIn(session)) => {
                let name = session
                    .profile
                    .display_name()
                    .unwrap_or("Anypoint user")
                    .to_owned();
                view! {
                    <span part="user" class="user">
                        <span class="avatar" aria-hidden="true">{initials(&name)}</span>
                        <span class="name">"Signed in as "<strong>{name}</strong></span>
                    </span>
                    <button part="button signout" class="button" type="button" on:click=move |_| sign_out.sign_out()>
                        "Sign out"
                    </button>
                }
                .into_any()
            }
            (Ok(_), Status::Failed(error)) => view! {
                {sign_in_button("Try again")}
                <p part="error" class="error" role="alert">{error.message().to_owned()}</p>
            }
            .into_any(),
        }
    };
    view! { <div part="container" class="container">{render}</div> }
}

/// The element's styles, adopted by every shadow root (constructable stylesheets work under a strict CSP,
/// where an inline `<style>` would need `'unsafe-inline'`).
pub const CSS: &str = "\
:host{display:inline-block;font:500 14px/1.3 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1f2933}\
:host([hidden]){display:none}\
.container{display:inline-flex;flex-wrap:wrap;align-items:center;gap:8px}\
.button{display:inline-flex;align-items:center;gap:10px;min-height:40px;padding:0 16px;border:1px solid #c1c9d2;\
border-radius:4px;background:#fff;color:inherit;font:inherit;cursor:pointer}\
.button:hover{background:#f3f6f9}\
.button:focus-visible{outline:2px solid #0070d2;outline-offset:2px}\
.button:disabled{cursor:default;opacity:.65}\
.mark{width:20px;height:20px;flex:none}\
.user{display:inline-flex;align-items:center;gap:8px}\
.avatar{display:inline-grid;place-items:center;width:28px;height:28px;border-radius:50%;background:#00a0df;\
color:#fff;font-size:12px}\
.error{flex-basis:100%;margin:0;color:#b42318;font-weight:400}";

#[cfg(test)]
mod tests {
    use super::initials;

    #[test]
    fn initials_take_the_first_two_words() {
        assert_eq!(initials("max mule"), "MM");
        assert_eq!(initials("Ana María de la Cruz"), "AM");
        assert_eq!(initials("ünal"), "Ü");
        assert_eq!(initials(""), "");
    }
}
