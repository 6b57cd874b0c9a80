//! Where the authorize page opens, behind one interface (as oidc-client-ts's navigators): this tab
//! (`mode="redirect"`), which leaves for it and finishes on the callback page, or a popup window opened during
//! the click (`mode="popup"`, with `js/popup.js`), whose redirect page hands the response back to this one
//! with `postMessage` (to this origin only, accepted from the popup only; the PKCE verifier never leaves this
//! page). Either way the sign-in ends in one step: `flows::callback::finish`.

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::Window;

use crate::address;
use crate::controller::Controller;
use anypoint_signin_core::error::{Code, Error};

#[wasm_bindgen(module = "/js/popup.js")]
extern "C" {
    #[wasm_bindgen(js_name = openPopup)]
    fn open_popup() -> Option<Window>;
    #[wasm_bindgen(js_name = awaitPopup)]
    fn await_popup(popup: &Window) -> js_sys::Promise;
    #[wasm_bindgen(js_name = handBack)]
    fn hand_back() -> bool;
}

/// Where the authorize page opens.
#[derive(Clone)]
pub(crate) enum Navigator {
    /// This tab: the page leaves.
    Redirect,
    /// A popup, open (blank) since the click.
    Popup(Window),
}

impl Navigator {
    /// A popup, opened now: must be called during the click. `None` when the browser blocked it.
    pub(crate) fn popup() -> Option<Navigator> {
        open_popup().map(Navigator::Popup)
    }

    /// Opens the authorize page at `url`. The response's query when it comes back to this page (a popup);
    /// `None` when this page is leaving (a redirect).
    pub(crate) async fn navigate(
        &self,
        c: &Controller,
        url: &str,
    ) -> Result<Option<String>, Error> {
        let refused = |_| {
            Error::new(
                Code::UnsupportedBrowser,
                "The browser refused to open the sign-in page.",
            )
        };
        let Navigator::Popup(window) = self else {
            return address::assign(url).map(|()| None).map_err(refused);
        };
        window.location().set_href(url).map_err(refused)?;
        // Closed if the element leaves meanwhile, as nothing would finish its sign-in.
        c.handles.popup.replace(Some(window.clone()));
        let answer = JsFuture::from(await_popup(window)).await;
        c.handles.popup.take();
        match answer.ok().and_then(|query| query.as_string()) {
            Some(query) => Ok(Some(query)),
            None => Err(Error::new(
                Code::PopupClosed,
                "The sign-in window was closed before the sign-in finished.",
            )),
        }
    }

    /// Closes the popup of a sign-in that failed (nothing would finish it there).
    pub(crate) fn close(&self) {
        if let Navigator::Popup(window) = self {
            let _ = window.close();
        }
    }
}

/// On the popup's redirect page: hands the response to the opener. True when this page is such a popup.
pub(crate) fn return_to_opener() -> bool {
    hand_back()
}
