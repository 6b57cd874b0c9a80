//! JSON through the browser: `JSON.parse` and `JSON.stringify` do the text, the core's readers
//! ([`anypoint_signin_core::json`]) read the fields of the parsed objects, and the values the core builds become plain
//! objects. No serde in the wasm.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use anypoint_signin_core::json::{FromJson, Json, Kind, ToJson, Value};

/// A parsed JavaScript value, as the core's readers see it (a newtype: the trait is the core's, the type
/// wasm-bindgen's).
#[derive(Clone)]
pub struct Js(pub JsValue);

impl Json for Js {
    fn field(&self, key: &str) -> Option<Js> {
        if !self.0.is_object() {
            return None;
        }
        // A throwing getter or proxy reads as an absent field.
        Reflect::get(&self.0, &JsValue::from_str(key))
            .ok()
            .filter(|value| !value.is_null() && !value.is_undefined())
            .map(Js)
    }

    fn kind(&self) -> Kind<Js> {
        let value = &self.0;
        if let Some(b) = value.as_bool() {
            Kind::Bool(b)
        } else if let Some(n) = value.as_f64() {
            Kind::Number(n)
        } else if let Some(s) = value.as_string() {
            Kind::String(s)
        } else if Array::is_array(value) {
            Kind::Array(value.unchecked_ref::<Array>().iter().map(Js).collect())
        } else if value.is_object() {
            Kind::Object
        } else {
            Kind::Other
        }
    }
}

/// A plain JavaScript value (an object, not a `Map`) for an event detail, a tab message or `JSON.stringify`.
pub fn js(value: &Value) -> JsValue {
    match value {
        Value::Null => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(*b),
        Value::Number(n) => JsValue::from_f64(*n),
        Value::String(s) => JsValue::from_str(s),
        Value::Array(items) => items.iter().map(js).collect::<Array>().into(),
        Value::Object(fields) => {
            let object = Object::new();
            for (key, value) in fields {
                let _ = Reflect::set(&object, &JsValue::from_str(key), &js(value));
            }
            object.into()
        }
    }
}

/// `value` as a plain JavaScript value.
pub fn to_js<T: ToJson>(value: &T) -> JsValue {
    js(&value.to_json())
}

/// JSON text of `value`.
pub fn stringify<T: ToJson>(value: &T) -> String {
    text(&value.to_json())
}

/// JSON text of a value built already.
pub fn text(value: &Value) -> String {
    js_sys::JSON::stringify(&js(value))
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

/// Reads a JavaScript value; the error says what did not fit.
pub fn from_js<T: FromJson>(value: JsValue) -> Result<T, String> {
    T::from_json(Js(value)).map_err(|why| why.to_string())
}

/// Parses JSON text.
pub fn value(text: &str) -> Result<Js, String> {
    js_sys::JSON::parse(text)
        .map(Js)
        .map_err(|_| "it is not JSON".to_owned())
}

/// Parses JSON text and reads it.
pub fn parse<T: FromJson>(text: &str) -> Result<T, String> {
    T::from_json(value(text)?).map_err(|why| why.to_string())
}
