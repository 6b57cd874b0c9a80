//! One element's state, and the few things every flow does with it: run work in the background (stopped when
//! the element leaves), show a status, tell the page. The flows themselves are in [`crate::flows`].

use std::cell::{Cell, RefCell};
use std::future::{Future, poll_fn};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::Poll;
use std::time::Duration;

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlElement, Window};

use crate::address;
use crate::flows::renewal::Watch;
use crate::tabs::Channel;
use crate::{events, page, storage};
use anypoint_signin_core::appearance::Appearance;
use anypoint_signin_core::attributes;
use anypoint_signin_core::config::Config;
use anypoint_signin_core::error::Error;
use anypoint_signin_core::session::Session;
use anypoint_signin_core::session::sign_out::SignOut;
use anypoint_signin_core::tab_message::{News, TabMessage};

/// What the button shows.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    /// Ready to sign in.
    Idle,
    /// Redirecting, or finishing a callback.
    Working,
    /// Signed in.
    SignedIn(Box<Session>),
    /// Signed out, by the user or because the session expired.
    SignedOut(SignOut),
    /// The last step failed; the button offers to try again.
    Failed(Error),
}

/// The element's attribute values, one signal per observed name.
type Signals = Arc<Vec<(&'static str, ArcRwSignal<Option<String>>)>>;

/// The browser handles an element holds; dropped (timer cleared, lock released, channel closed) when it leaves.
#[derive(Default)]
pub(crate) struct Handles {
    /// Its session's renewal: the flows' (`flows::renewal`), private to them.
    pub(crate) renewal: RefCell<Watch>,
    /// The other elements and tabs (`storage="session"` only).
    pub(crate) channel: RefCell<Option<Channel>>,
    /// The sign-in popup while it is open: closed if the element leaves, as nothing would finish its sign-in.
    pub(crate) popup: RefCell<Option<Window>>,
    /// Whether the click's code and discovery are fetched or being fetched ahead of a click.
    pub(crate) warmed: Cell<bool>,
}

/// One element's state: its attributes (one signal each), the config and look derived from them, its status.
#[derive(Clone)]
pub struct Controller {
    pub(crate) host: HtmlElement,
    attributes: Signals,
    /// The validated attributes; an error is shown instead of the sign-in button.
    pub(crate) config: ArcMemo<Result<Config, Error>>,
    /// The validated look attributes; an error is shown like a config error.
    pub(crate) appearance: ArcMemo<Result<Appearance, Error>>,
    /// What the button shows.
    pub(crate) status: ArcRwSignal<Status>,
    pub(crate) handles: Arc<SendWrapper<Handles>>,
    /// False once the element has left the page: its tasks and timers then stop before touching anything.
    alive: Arc<AtomicBool>,
}

/// The time, in ms since the epoch.
pub(crate) fn now() -> f64 {
    js_sys::Date::now()
}

impl Controller {
    /// State for `host`, from its current attributes.
    pub(crate) fn new(host: HtmlElement) -> Controller {
        let attributes: Signals = Arc::new(
            attributes::observed()
                .map(|name| (name, ArcRwSignal::new(host.get_attribute(name))))
                .collect(),
        );
        // Each memo tracks only the attributes it reads: a theme change does not re-validate the sign-in.
        let reader = |signals: Signals| {
            move |name: &str| {
                let (_, signal) = signals.iter().find(|(n, _)| *n == name)?;
                signal.get()
            }
        };
        let page_url = address::page_url();
        let read = reader(attributes.clone());
        let config =
            ArcMemo::new(move |_| Config::from_attributes(&read, &page_url, address::parse_url));
        let read = reader(attributes.clone());
        let appearance = ArcMemo::new(move |_| Appearance::from_attributes(&read));
        Controller {
            host,
            attributes,
            config,
            appearance,
            status: ArcRwSignal::new(Status::Idle),
            handles: Arc::new(SendWrapper::new(Handles::default())),
            alive: Arc::new(AtomicBool::new(true)),
        }
    }

    /// Runs `task` in the background until it ends or the element leaves the page, whichever comes first: a
    /// task of an element that left is dropped when it next wakes, before it can store, show or dispatch.
    pub(crate) fn spawn(&self, task: impl Future<Output = ()> + 'static) {
        let alive = self.alive.clone();
        let mut task = Box::pin(task);
        spawn_local(poll_fn(move |cx| match alive.load(Ordering::Relaxed) {
            true => task.as_mut().poll(cx),
            false => Poll::Ready(()),
        }));
    }

    /// Runs `then` after the current task, unless the element has left the page by then.
    pub(crate) fn later(&self, then: impl FnOnce() + 'static) {
        let alive = self.alive.clone();
        let run = move || {
            if alive.load(Ordering::Relaxed) {
                then();
            }
        };
        set_timeout(run, Duration::ZERO);
    }

    /// Runs `then` once the browser is idle (within 2 s), unless the element has left the page by then.
    pub(crate) fn when_idle(&self, then: impl FnOnce() + 'static) {
        let alive = self.alive.clone();
        page::when_idle(move || {
            if alive.load(Ordering::Relaxed) {
                then();
            }
        });
    }

    /// The element left the page: its tasks and timers stop, its lock and channel close.
    pub(crate) fn leave(&self) {
        self.alive.store(false, Ordering::Relaxed);
        drop(self.handles.renewal.take());
        drop(self.handles.channel.take());
        if let Some(popup) = self.handles.popup.take() {
            let _ = popup.close();
        }
    }

    /// Updates one attribute's signal; the config and the view follow.
    pub(crate) fn attribute_changed(&self, name: &str, value: Option<String>) {
        if let Some((_, signal)) = self.attributes.iter().find(|(n, _)| *n == name) {
            signal.set(value);
        }
    }

    /// The languages the element should speak, most preferred first.
    pub(crate) fn languages(&self) -> Vec<String> {
        page::languages(&self.host)
    }

    /// The signed-in session, if any.
    pub(crate) fn session(&self) -> Option<Session> {
        match self.status.get_untracked() {
            Status::SignedIn(session) => Some(*session),
            _ => None,
        }
    }

    /// Reports every configuration error once, when it appears. Must run under the view's owner.
    pub(crate) fn watch_config(&self) {
        let this = self.clone();
        let look = self.clone();
        Effect::new(move |_| {
            if let Err(error) = this.config.get() {
                events::error(&this.host, &error);
            }
        });
        Effect::new(move |_| {
            if let Err(error) = look.appearance.get() {
                events::error(&look.host, &error);
            }
        });
    }

    /// Shows, logs and dispatches `error`; the button then offers to try again.
    pub(crate) fn fail(&self, error: Error) {
        events::error(&self.host, &error);
        self.status.set(Status::Failed(error));
    }

    /// Tells the other elements and tabs about this element's session (`storage="session"` only: the
    /// others have no channel).
    pub(crate) fn tell(&self, config: &Config, news: News) {
        let message = TabMessage {
            key: storage::session_key(config),
            news,
        };
        if let Some(channel) = &*self.handles.channel.borrow() {
            channel.post(&message);
        }
    }

    /// Shows and announces `session`.
    pub(crate) fn show_signed_in(&self, session: &Session) {
        self.status.set(Status::SignedIn(Box::new(session.clone())));
        events::signin(&self.host, session);
    }

    /// Shows and announces the end of the session.
    pub(crate) fn show_signed_out(&self, why: SignOut) {
        self.status.set(Status::SignedOut(why));
        events::signout(&self.host, why.reason());
    }
}
