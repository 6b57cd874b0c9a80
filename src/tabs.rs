//! The browser's means of keeping elements and tabs on one session: a `BroadcastChannel` for their messages
//! ([`crate::flows::tab_sync`]), and a Web Lock that makes one element of one tab the only one that renews a
//! session's tokens ([`crate::flows::renewal`]).

use wasm_bindgen::prelude::*;
use web_sys::{BroadcastChannel, MessageEvent};

use crate::json;
use anypoint_signin_core::tab_message::TabMessage;

#[wasm_bindgen(module = "/js/lock.js")]
extern "C" {
    #[wasm_bindgen(js_name = holdLock)]
    fn hold_lock(name: &str, granted: &JsValue) -> js_sys::Function;
}

/// The channel's name: one for every element of the origin; messages say which session they are about.
const CHANNEL: &str = "anypoint-signin";

/// One element's end of the channel; closed when dropped.
pub struct Channel {
    channel: BroadcastChannel,
    _listener: Closure<dyn Fn(MessageEvent)>,
}

impl Channel {
    /// Listens for messages of other elements (this page's and other tabs'), unread: the flows read them.
    /// `None` without BroadcastChannel.
    pub fn open(on_message: impl Fn(JsValue) + 'static) -> Option<Channel> {
        let channel = BroadcastChannel::new(CHANNEL).ok()?;
        let listener = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            on_message(event.data());
        });
        channel.set_onmessage(Some(listener.as_ref().unchecked_ref()));
        Some(Channel {
            channel,
            _listener: listener,
        })
    }

    /// Tells every other element.
    pub fn post(&self, message: &TabMessage) {
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

    /// Waits for the lock `name`, held until the result is dropped (a task dropped while it waits gives up).
    pub async fn acquire(name: &str) -> Option<Lock> {
        let mut lock = None;
        // The executor runs at once: `lock` is set before the wait.
        let granted = js_sys::Promise::new(&mut |resolve, _| {
            lock = Some(Lock::request(name, move || {
                let _ = resolve.call0(&JsValue::NULL);
            }));
        });
        let _ = wasm_bindgen_futures::JsFuture::from(granted).await;
        lock
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = self.0.call0(&JsValue::NULL);
    }
}
