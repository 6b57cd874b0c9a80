//! The button itself: a Leptos view of the controller's config, look and status, styled by [`style`].

#[macro_use]
pub(crate) mod style;

use leptos::prelude::*;
use style::part;

use crate::controller::{Controller, Status};
use crate::flows;
use anypoint_signin_core::appearance::{Appearance, Width};
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
        <svg part=part::MARK class="mark" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
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
                    glyph: if look.width == Width::Icon {
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
                <span part=part::USER class="user" title=title>
                    <span part=part::AVATAR class="avatar" aria-hidden="true">{initials(&name)}</span>
                    <span part=part::NAME class="name" class:sr=icon>{before}<strong><bdi>{name}</bdi></strong>{after}</span>
                </span>
            }
        });
        let glyph = self.glyph;
        let action = self.action;
        let message = self.message.map(|(text, alert)| {
            view! { <p part=part::ERROR class="error" role=alert.then_some("alert")>{text}</p> }
        });
        view! {
            {user}
            <button part=if self.signout { part::SIGNOUT_BUTTON } else { part::BUTTON } class="button" type="button"
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
            let words = [
                a.theme.word(),
                a.size.word(),
                a.shape.word(),
                a.width.word(),
            ];
            format!("container {}", words.join(" "))
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
            .view(&controller, look.width == Width::Icon)
    };
    view! {
        <div part=part::CONTAINER class=class lang=lang>
            {content}
            <p part=part::STATUS class="status" role="status">{status}</p>
        </div>
    }
}

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
