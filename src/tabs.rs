//! Keeping the elements of a page and the tabs of a browser on one session: a `BroadcastChannel` that carries
//! sign-ins, renewals and sign-outs (and answers a new tab that asks), and a Web Lock that makes one element
//! of one tab the only one that renews a session's tokens.

use wasm_bindgen::prelude::*;
use web_sys::{BroadcastChannel, MessageEvent};

use crate::fields::{Fields, FromJson, Invalid, Json, ToJson, Value};
use crate::json;
use crate::session::Session;

#[wasm_bindgen(module = "/js/lock.js")]
extern "C" {
    #[wasm_bindgen(js_name = holdLock)]
    fn hold_lock(name: &str, granted: &JsValue) -> js_sys::Function;
}

/// The channel's name: one for every element of the origin; messages say which session they are about.
const CHANNEL: &str = "anypoint-signin";

/// What one element tells the others about the session stored under `key`.
#[derive(Clone, Debug, Default)]
pub struct Message {
    /// The session's storage key (issuer and client).
    pub key: String,
    /// A new element asks for the session; signed-in elements answer with it.
    pub ask: bool,
    /// The session, refresh token included (the channel never leaves the origin); `None` with `reason` when
    /// it ended.
    pub session: Option<Session>,
    /// Why the session ended: `user` or `expired`.
    pub reason: Option<String>,
}

impl FromJson for Message {
    fn from_json<V: Json>(value: V) -> Result<Self, Invalid> {
        let f = Fields::of(value)?;
        f.finish(Message {
            key: f.required("key"),
            ask: f.or_default("ask"),
            session: f.optional("session"),
            reason: f.optional("reason"),
        })
    }
}

impl ToJson for Message {
    fn to_json(&self) -> Value {
        Value::Object(vec![
            ("key", self.key.as_str().into()),
            ("ask", self.ask.into()),
            (
                "session",
                self.session.as_ref().map(Session::to_json).into(),
            ),
            ("reason", self.reason.as_deref().into()),
        ])
    }
}

impl Message {
    /// Asks the signed-in elements for the session.
    pub fn ask() -> Message {
        Message {
            ask: true,
            ..Message::default()
        }
    }

    /// Carries a new or renewed session.
    pub fn session(session: Session) -> Message {
        Message {
            session: Some(session),
            ..Message::default()
        }
    }

    /// Says the session ended, and why (`user` or `expired`).
    pub fn ended(reason: &str) -> Message {
        Message {
            reason: Some(reason.to_owned()),
            ..Message::default()
        }
    }
}

/// One element's end of the channel; closed when dropped.
pub struct Channel {
    channel: BroadcastChannel,
    _listener: Closure<dyn Fn(MessageEvent)>,
}

impl Channel {
    /// Listens for messages of other elements (this page's and other tabs'); `None` without BroadcastChannel.
    pub fn open(on_message: impl Fn(Message) + 'static) -> Option<Channel> {
        let channel = BroadcastChannel::new(CHANNEL).ok()?;
        let listener = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            if let Ok(message) = json::from_js(event.data()) {
                on_message(message);
            }
        });
        channel.set_onmessage(Some(listener.as_ref().unchecked_ref()));
        Some(Channel {
            channel,
            _listener: listener,
        })
    }

    /// Tells every other element.
    pub fn post(&self, message: &Message) {
        let _ = self.channel.post_message(&json::to_js(message));
    }
}

impl Drop for Channel {
    fn drop(&mut self) {
        self.channel.set_onmessage(None);
        self.channel.close();
    }
}

/// A Web Lock requested by this element: held (or waited for) until dropped.
pub struct Lock(js_sys::Function);

impl Lock {
    /// Waits for the lock `name` and calls `granted` once it holds it.
    pub fn request(name: &str, granted: impl FnOnce() + 'static) -> Lock {
        Lock(hold_lock(name, &Closure::once_into_js(granted)))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = self.0.call0(&JsValue::NULL);
    }
}
