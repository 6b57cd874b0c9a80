//! `mode="popup"`: the sign-in page opens in a popup window whose redirect page hands the response back with
//! `postMessage` (to this origin only, accepted from the popup only); the PKCE verifier never leaves this page.

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::Window;

#[wasm_bindgen(module = "/js/popup.js")]
extern "C" {
    #[wasm_bindgen(js_name = openPopup)]
    fn open_popup() -> Option<Window>;
    #[wasm_bindgen(js_name = awaitPopup)]
    fn await_popup(popup: &Window) -> js_sys::Promise;
    #[wasm_bindgen(js_name = handBack)]
    fn hand_back() -> bool;
}

/// Opens the (blank) popup; must be called during the click. `None` when the browser blocked it.
pub fn open() -> Option<Window> {
    open_popup()
}

/// The query of the popup's redirect page, once it hands it back; `None` when the user closed the popup.
pub async fn response(popup: &Window) -> Option<String> {
    JsFuture::from(await_popup(popup)).await.ok()?.as_string()
}

/// On the popup's redirect page: hands the response to the opener. True when this page is such a popup.
pub fn return_to_opener() -> bool {
    hand_back()
}
