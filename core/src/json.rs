//! The JSON the element reads and writes (server answers, stored attempts and sessions, tab messages, event
//! details), each type's codec made by `json_object!` (`object.rs`) from one list of its fields. The platform does the text:
//! the browser's `JSON.parse` and `JSON.stringify` in the element (the shell's `json`), serde_json in native
//! tests. The core only reads named fields of a parsed value, with strict checks and messages that say what was
//! wrong, and builds plain [`Value`]s.
//!
//! Not serde: its derived visitors and its error formatting (which pulls in float formatting) cost the wasm
//! 17,040 bytes gzip (13 % of the bundle then), measured when serde and serde-wasm-bindgen left it (size rule 1
//! and the "JSON without serde" row in BENCHMARKS.md), where keeping serde would have been worth 1 KB at most.
//! Native users get serde derives instead where the backend crate needs them (feature `serde`).

use std::cell::Cell;
use std::fmt;

/// A parsed JSON value whose fields the core reads: a `JsValue` in the element, serde_json's in native tests.
pub trait Json: Sized {
    /// Field `key` of an object; `None` when the field is absent or null (or `undefined`), or when this is
    /// not an object.
    fn field(&self, key: &str) -> Option<Self>;
    /// What the value is.
    fn kind(&self) -> Kind<Self>;
}

/// The shape of a parsed value, as far as the core reads it.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind<V> {
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string.
    String(String),
    /// An array of values.
    Array(Vec<V>),
    /// An object: read its fields with [`Json::field`].
    Object,
    /// `null`, or what JSON cannot hold (a function, a symbol).
    Other,
}

/// A type read from a parsed JSON value.
pub trait FromJson: Sized {
    /// Reads `value`, or says what is wrong with it.
    fn from_json<V: Json>(value: V) -> Result<Self, Invalid>;
}

/// Why a JSON value is not what the element expects, for error messages: "the `expires_in` field is not a
/// whole number".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid {
    /// The path to the bad field (`profile.name`, `aud.1`); empty for the value itself.
    field: String,
    problem: &'static str,
}

impl Invalid {
    /// The value itself is `problem` ("not a string").
    pub fn new(problem: &'static str) -> Invalid {
        Invalid {
            field: String::new(),
            problem,
        }
    }

    /// The same problem, one level down, in field `key`.
    fn within(mut self, key: &str) -> Invalid {
        self.field = match self.field.is_empty() {
            true => key.to_owned(),
            false => format!("{key}.{}", self.field),
        };
        self
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.field.as_str() {
            "" => write!(f, "it is {}", self.problem),
            field => write!(f, "the `{field}` field is {}", self.problem),
        }
    }
}

/// An object's fields, read with the rules every type shares: absent and null are `None`, any other value of
/// the wrong type is a problem naming the field. Fields nobody reads are ignored.
///
/// A reader notes the first problem and goes on with a default; [`Fields::finish`] then gives the value read or
/// that problem. No early return per field: in the wasm, each one would drop every field read before it (size
/// rule 4, BENCHMARKS.md).
pub struct Fields<V> {
    value: V,
    problem: Cell<Option<Invalid>>,
}

impl<V: Json> Fields<V> {
    /// The fields of `value`, which must be an object.
    pub fn of(value: V) -> Result<Fields<V>, Invalid> {
        match value.kind() {
            Kind::Object => Ok(Fields {
                value,
                problem: Cell::new(None),
            }),
            _ => Err(Invalid::new("not a JSON object")),
        }
    }

    fn note(&self, why: Invalid) {
        let first = self.problem.take();
        self.problem.set(first.or(Some(why)));
    }

    /// Field `key`, when present.
    pub fn optional<T: FromJson>(&self, key: &str) -> Option<T> {
        let read = T::from_json(self.value.field(key)?);
        read.map_err(|why| self.note(why.within(key))).ok()
    }

    /// Field `key`, which must be present.
    pub fn required<T: FromJson + Default>(&self, key: &str) -> T {
        // Noted after a wrong value's own problem, "missing" is dropped: only the first counts.
        self.optional(key).unwrap_or_else(|| {
            self.note(Invalid::new("missing").within(key));
            T::default()
        })
    }

    /// Field `key` when present, `T::default()` when absent.
    pub fn or_default<T: FromJson + Default>(&self, key: &str) -> T {
        self.optional(key).unwrap_or_default()
    }

    /// `read`, made of these fields, unless one of them was a problem.
    pub fn finish<T>(&self, read: T) -> Result<T, Invalid> {
        match self.problem.take() {
            Some(why) => Err(why),
            None => Ok(read),
        }
    }
}

impl FromJson for String {
    fn from_json<V: Json>(value: V) -> Result<Self, Invalid> {
        match value.kind() {
            Kind::String(s) => Ok(s),
            _ => Err(Invalid::new("not a string")),
        }
    }
}

impl FromJson for f64 {
    fn from_json<V: Json>(value: V) -> Result<Self, Invalid> {
        match value.kind() {
            Kind::Number(n) => Ok(n),
            _ => Err(Invalid::new("not a number")),
        }
    }
}

impl FromJson for u64 {
    fn from_json<V: Json>(value: V) -> Result<Self, Invalid> {
        match value.kind() {
            // `fract` is NaN for infinities: refused with the rest.
            Kind::Number(n) if n >= 0.0 && n.fract() == 0.0 => Ok(n as u64),
            _ => Err(Invalid::new("not a whole number")),
        }
    }
}

impl FromJson for bool {
    fn from_json<V: Json>(value: V) -> Result<Self, Invalid> {
        match value.kind() {
            Kind::Bool(b) => Ok(b),
            _ => Err(Invalid::new("not true or false")),
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json<V: Json>(value: V) -> Result<Self, Invalid> {
        let Kind::Array(items) = value.kind() else {
            return Err(Invalid::new("not an array"));
        };
        let mut read = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            read.push(T::from_json(item).map_err(|why| why.within(&i.to_string()))?);
        }
        Ok(read)
    }
}

/// Any JSON at all: an answer whose content does not matter (a revocation's).
impl FromJson for () {
    fn from_json<V: Json>(_: V) -> Result<Self, Invalid> {
        Ok(())
    }
}

/// A JSON value the element builds (stored state, tab messages, event details); the shell turns it into a
/// plain JavaScript value.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string.
    String(String),
    /// An array (the discovery document's method list, kept for the callback page).
    Array(Vec<Value>),
    /// An object, its fields in order.
    Object(Vec<(&'static str, Value)>),
}

/// A type written as JSON.
pub trait ToJson {
    /// The value to store or send.
    fn to_json(&self) -> Value;
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_owned())
    }
}

impl From<f64> for Value {
    fn from(n: f64) -> Value {
        Value::Number(n)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

/// `None` is `null`.
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(value: Option<T>) -> Value {
        value.map_or(Value::Null, Into::into)
    }
}

impl ToJson for str {
    fn to_json(&self) -> Value {
        self.into()
    }
}

impl ToJson for String {
    fn to_json(&self) -> Value {
        self.as_str().into()
    }
}

impl ToJson for f64 {
    fn to_json(&self) -> Value {
        (*self).into()
    }
}

impl ToJson for bool {
    fn to_json(&self) -> Value {
        (*self).into()
    }
}

/// `None` is `null`.
impl<T: ToJson> ToJson for Option<T> {
    fn to_json(&self) -> Value {
        self.as_ref().map_or(Value::Null, T::to_json)
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(T::to_json).collect())
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn to_json(&self) -> Value {
        T::to_json(self)
    }
}

/// Reads JSON text natively, as the element reads the browser's parse of it.
#[cfg(test)]
pub(crate) fn parse<T: FromJson>(text: &str) -> Result<T, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    T::from_json(&value).map_err(|why| why.to_string())
}

#[cfg(any(feature = "serde_json", test))]
mod native;
pub(crate) mod object;

#[cfg(test)]
mod tests;
