//! The button itself: a Leptos view of the controller's config, look and status.

use leptos::prelude::*;

use crate::controller::{Controller, Status};
use crate::flows;
use anypoint_signin_core::appearance::Appearance;
use anypoint_signin_core::error::Error;
use anypoint_signin_core::locale::{self, Labels};
use anypoint_signin_core::session::sign_out::SignOut;

/// The Anypoint mark, drawn inline so the element needs no image request (and no `img-src` in a CSP). Its
/// colour comes from the stylesheet (`--anypoint-signin-accent`).
///
/// Trusted Types: Leptos builds a nested element whose attributes and children are all literals from an HTML
/// string (`innerHTML`), which a page requiring Trusted Types forbids. One braced value (`{"…"}`) in each such
/// element keeps it on `createElement`; tests/browser/attacks.test.mjs fails if one is missed.
fn mark() -> impl IntoView {
    view! {
        <svg part="mark" class="mark" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <circle cx="12" cy="12" r={"11"}/>
            <path d={"M7 17l5-10 5 10M9.2 13h5.6"} fill="none" stroke="#fff" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/>
        </svg>
    }
}

/// The sign-out glyph of the icon-only width.
fn exit_mark() -> impl IntoView {
    view! {
        <svg class="mark" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d={"M10 4H5v16h5M15 8l4 4-4 4M19 12H9"} fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/>
        </svg>
    }
}

/// Turns while the element works.
fn spinner() -> impl IntoView {
    view! { <span class="spinner" aria-hidden={"true"}></span> }
}

/// Initials for the avatar: first letters of the first two words.
fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

/// What the `aria-live` status says about `status`: results only (errors are alerts of their own).
fn announcement(status: &Status, labels: &Labels) -> String {
    match status {
        Status::Working => labels.signing_in.to_owned(),
        Status::SignedIn(session) => {
            labels.signed_in_as(session.profile.display_name().unwrap_or(labels.user))
        }
        Status::SignedOut(SignOut::User) => labels.signed_out.to_owned(),
        Status::SignedOut(SignOut::Expired) => labels.expired.to_owned(),
        Status::Idle | Status::Failed(_) => String::new(),
    }
}

/// The picture before the button's label.
#[derive(Clone, Copy, PartialEq)]
enum Glyph {
    /// The Anypoint mark: the sign-in button.
    Mark,
    /// While working.
    Spinner,
    /// The sign-out glyph of the icon-only width.
    Exit,
    /// The sign-out button of the other widths.
    None,
}

/// What a click on the button does.
#[derive(Clone, Copy)]
enum Action {
    SignIn,
    SignOut,
    /// The button is disabled.
    None,
}

/// One state of the content: the signed-in user (if any), the one button, and a message under it (if any).
/// Every state has this same shape, so the view is one type that Leptos updates in place, not one view type
/// per state (each of which would be compiled and shipped separately).
struct Content {
    /// The name line: the user's name and the words around it.
    user: Option<(String, &'static str, &'static str)>,
    glyph: Glyph,
    label: String,
    action: Action,
    busy: bool,
    signout: bool,
    /// The message, and whether it is an alert (errors) rather than a notice (expiry).
    message: Option<(String, bool)>,
}

impl Content {
    /// The content for `status`, or for a configuration `error`, which disables the sign-in button.
    fn new(status: Status, error: Option<Error>, look: &Appearance, labels: &Labels) -> Content {
        let sign_in = |label: String, message| Content {
            user: None,
            glyph: Glyph::Mark,
            label,
            action: Action::SignIn,
            busy: false,
            signout: false,
            message,
        };
        let sign_in_label = || {
            look.label_signin
                .clone()
                .unwrap_or_else(|| labels.sign_in.to_owned())
        };
        let alert = |error: Error| Some((error.message().to_owned(), true));
        if let Some(error) = error {
            return Content {
                action: Action::None,
                ..sign_in(sign_in_label(), alert(error))
            };
        }
        match status {
            Status::Idle | Status::SignedOut(SignOut::User) => sign_in(sign_in_label(), None),
            Status::SignedOut(SignOut::Expired) => {
                sign_in(sign_in_label(), Some((labels.expired.to_owned(), false)))
            }
            Status::Failed(error) => sign_in(labels.try_again.to_owned(), alert(error)),
            Status::Working => Content {
                glyph: Glyph::Spinner,
                action: Action::None,
                busy: true,
                ..sign_in(labels.signing_in.to_owned(), None)
            },
            Status::SignedIn(session) => {
                let name = session.profile.display_name().unwrap_or(labels.user);
                let (before, after) = labels.around_name();
                Content {
                    user: Some((name.to_owned(), before, after)),
                    glyph: if look.width == "icon" {
                        Glyph::Exit
                    } else {
                        Glyph::None
                    },
                    label: look
                        .label_signout
                        .clone()
                        .unwrap_or_else(|| labels.sign_out.to_owned()),
                    action: Action::SignOut,
                    busy: false,
                    signout: true,
                    message: None,
                }
            }
        }
    }

    /// The view. With the icon-only width the labels stay in the DOM, visually hidden: the button's label is
    /// its accessible name (and its tooltip, except while working).
    fn view(self, controller: &Controller, icon: bool) -> impl IntoView + use<> {
        let controller = controller.clone();
        let title = (icon && !self.busy).then(|| self.label.clone());
        let user = self.user.map(|(name, before, after)| {
            let title = name.clone();
            // One line, cut with an ellipsis (the title shows it whole); isolated, so that a right-to-left name
            // cannot reorder the words around it.
            view! {
                <span part="user" class="user" title=title>
                    <span part="avatar" class="avatar" aria-hidden="true">{initials(&name)}</span>
                    <span part="name" class="name" class:sr=icon>{before}<strong><bdi>{name}</bdi></strong>{after}</span>
                </span>
            }
        });
        let glyph = self.glyph;
        let action = self.action;
        let message = self.message.map(|(text, alert)| {
            view! { <p part="error" class="error" role=alert.then_some("alert")>{text}</p> }
        });
        view! {
            {user}
            <button part=if self.signout { "button signout" } else { "button" } class="button" type="button"
                disabled=matches!(action, Action::None) aria-busy=self.busy.then_some("true") title=title
                on:click=move |_| match action {
                    Action::SignIn => flows::sign_in::begin(&controller),
                    Action::SignOut => flows::sign_out::begin(&controller),
                    Action::None => {}
                }>
                {(glyph == Glyph::Mark).then(mark)}
                {(glyph == Glyph::Spinner).then(spinner)}
                {(glyph == Glyph::Exit).then(exit_mark)}
                <span class="label" class:sr=icon>{self.label}</span>
            </button>
            {message}
        }
    }
}

/// The element's whole view. Text is always set as text, never as HTML: profile fields come from a server.
/// The container and the live status stay in place while the content changes, so that screen readers hear
/// each new status.
#[component]
pub fn Button(controller: Controller) -> impl IntoView {
    let languages = controller.languages();
    // The look and the words, tracking only the look attributes (through their memo): a closure that reads
    // them re-runs when they change, not when the sign-in attributes do.
    let look = {
        let controller = controller.clone();
        move || {
            let appearance = controller.appearance.get().unwrap_or_default();
            let tags = appearance.locale.as_deref().into_iter();
            let labels = locale::labels(tags.chain(languages.iter().map(String::as_str)));
            (appearance, labels)
        }
    };
    let class = {
        let look = look.clone();
        move || {
            let (a, _) = look();
            format!("container {} {} {} {}", a.theme, a.size, a.shape, a.width)
        }
    };
    let lang = {
        let look = look.clone();
        move || look().1.lang
    };
    let status = {
        let (look, controller) = (look.clone(), controller.clone());
        move || announcement(&controller.status.get(), look().1)
    };
    let content = move || {
        let (look, labels) = look();
        let error = controller
            .config
            .get()
            .err()
            .or(controller.appearance.get().err());
        Content::new(controller.status.get(), error, &look, labels)
            .view(&controller, look.width == "icon")
    };
    view! {
        <div part="container" class=class lang=lang>
            {content}
            <p part="status" class="status" role="status">{status}</p>
        </div>
    }
}

/// The light palette, the default. The look's values are macros (string literals) so that the shadow root's
/// stylesheet here and the placeholder stylesheet (`src/placeholder.rs`, drawn before the element is defined)
/// are both built from them.
macro_rules! light {
    () => {
        "--_bg:#fff;--_fg:#1f2933;--_line:#5f6b7a;--_hover:rgba(0,0,0,.06);--_focus:#0b5cad;\
--_accent:#0b6bcb;--_error:#b42318"
    };
}

/// The dark palette, used by `theme="dark"` and by `theme="auto"` under `prefers-color-scheme: dark`.
macro_rules! dark {
    () => {
        "--_bg:#1b2530;--_fg:#f1f4f8;--_line:#8a96a3;--_hover:rgba(255,255,255,.1);--_focus:#8cc8ff;\
--_accent:#0b6bcb;--_error:#ff9c8f"
    };
}

/// The sizes: font, height, horizontal padding, glyph.
macro_rules! medium {
    () => {
        "font-size:14px;--_h:40px;--_pad:16px;--_icon:20px"
    };
}
macro_rules! small {
    () => {
        "font-size:13px;--_h:32px;--_pad:12px;--_icon:18px"
    };
}
macro_rules! large {
    () => {
        "font-size:16px;--_h:48px;--_pad:20px;--_icon:24px"
    };
}

/// The text: the page's overrides, else the system font.
macro_rules! font {
    () => {
        "font-family:var(--anypoint-signin-font,system-ui,-apple-system,'Segoe UI',Roboto,sans-serif);\
font-weight:var(--anypoint-signin-font-weight,500);line-height:1.3;\
color:var(--anypoint-signin-color,var(--_fg))"
    };
}

/// The button's box.
macro_rules! button_box {
    () => {
        "display:inline-flex;align-items:center;justify-content:center;gap:10px;box-sizing:border-box;\
min-height:var(--_h);min-width:var(--_h);max-width:100%;padding:4px var(--_pad);\
border:1px solid var(--anypoint-signin-border,var(--_line));border-radius:var(--anypoint-signin-radius,4px);\
background:var(--anypoint-signin-bg,var(--_bg));text-align:start;overflow-wrap:break-word;cursor:pointer"
    };
}

/// The glyph's box, and the pill's corners.
macro_rules! mark_box {
    () => {
        "width:var(--_icon);height:var(--_icon);flex:none"
    };
}
macro_rules! pill {
    () => {
        "border-radius:var(--anypoint-signin-radius,999px)"
    };
}

/// Visually hidden, still read: the icon-only width's labels, the live status.
macro_rules! visually_hidden {
    () => {
        "position:absolute;width:1px;height:1px;margin:-1px;padding:0;border:0;overflow:hidden;\
clip-path:inset(50%);white-space:nowrap"
    };
}

/// The element's styles, adopted by every shadow root (constructable stylesheets work under a strict CSP,
/// where an inline `<style>` would need `'unsafe-inline'`). The `--_*` properties are the theme's palette;
/// the documented `--anypoint-signin-*` properties override them. Contrast (WCAG AA) is checked by axe-core
/// in the browser tests for every theme.
pub const CSS: &str = concat!(
    ":host{display:inline-block;max-width:100%;vertical-align:middle}",
    ":host([hidden]){display:none}",
    ":host([width=wide i]){display:block}",
    ".container{",
    light!(),
    ";",
    medium!(),
    ";position:relative;display:inline-flex;flex-wrap:wrap;align-items:center;gap:8px;max-width:100%;",
    font!(),
    "}",
    ".dark{",
    dark!(),
    "}@media (prefers-color-scheme:dark){.auto{",
    dark!(),
    "}}",
    ".small{",
    small!(),
    "}.large{",
    large!(),
    "}",
    ".wide{display:flex}.wide .button{flex:1 1 auto}",
    ".button{",
    button_box!(),
    ";color:inherit;font:inherit}",
    ".icon .button{padding:4px}",
    ".pill .button,.pill .user{",
    pill!(),
    "}",
    ".button:hover{box-shadow:inset 0 0 0 99em var(--_hover)}",
    ".button:focus-visible{outline:3px solid var(--anypoint-signin-focus,var(--_focus));outline-offset:2px}",
    ".button:disabled{cursor:default;opacity:.7}",
    ".button[aria-busy=true]{cursor:progress;opacity:1}",
    ".label,.name{min-width:0}",
    ".name{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}",
    ".mark{",
    mark_box!(),
    "}",
    ".mark circle{fill:var(--anypoint-signin-accent,var(--_accent))}",
    ".user{display:inline-flex;align-items:center;gap:8px;min-width:0;max-width:min(100%,22em);box-sizing:border-box;",
    "padding:2px 10px 2px 2px;border-radius:var(--anypoint-signin-radius,4px);",
    "background:var(--anypoint-signin-bg,var(--_bg))}",
    ".icon .user{padding:0;background:none}",
    ".avatar{display:inline-grid;place-items:center;flex:none;width:calc(var(--_h) - 6px);",
    "height:calc(var(--_h) - 6px);border-radius:50%;background:var(--anypoint-signin-accent,var(--_accent));",
    "color:#fff;font-size:.85em}",
    ".error{flex-basis:100%;margin:0;padding:4px 8px;border-radius:4px;background:var(--_bg);",
    "color:var(--_error);font-weight:400;overflow-wrap:break-word}",
    ".spinner{box-sizing:border-box;",
    mark_box!(),
    ";border:2px solid;border-right-color:transparent;border-radius:50%;animation:spin .8s linear infinite}",
    "@keyframes spin{to{transform:rotate(1turn)}}",
    "@media (prefers-reduced-motion:reduce){.spinner{animation:none}}",
    ".sr,.status{",
    visually_hidden!(),
    "}",
);

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
