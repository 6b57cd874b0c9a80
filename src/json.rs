//! JSON through the browser's own `JSON.parse`/`JSON.stringify` and serde-wasm-bindgen: the same serde types
//! as the core, without serde_json's ~17 KB in the bundle.

use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;

/// A plain JavaScript value (objects, not `Map`s) for an event detail or `JSON.stringify`.
pub fn to_js<T: Serialize>(value: &T) -> JsValue {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::NULL)
}

/// JSON text of `value`.
pub fn stringify<T: Serialize>(value: &T) -> String {
    js_sys::JSON::stringify(&to_js(value))
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

/// Reads a JavaScript value into a serde type; the error says what did not fit.
pub fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, String> {
    serde_wasm_bindgen::from_value(value).map_err(|e| e.to_string())
}

/// Parses JSON text into a serde type.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    from_js(js_sys::JSON::parse(text).map_err(|_| "it is not JSON".to_owned())?)
}
