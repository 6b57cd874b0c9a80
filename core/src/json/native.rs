//! The [`Json`] of native builds: serde_json's parsed values (tests, the fuzz target, servers), and in tests
//! the values the core built, read back.

#[cfg(test)]
use crate::json::Value;
use crate::json::{Json, Kind};

/// Native builds (tests, the fuzz target) parse JSON text with serde_json (feature `serde_json`); the wasm
/// never sees it.
#[cfg(feature = "serde_json")]
impl Json for &serde_json::Value {
    fn field(&self, key: &str) -> Option<Self> {
        self.get(key).filter(|v| !v.is_null())
    }

    fn kind(&self) -> Kind<Self> {
        use serde_json::Value as V;
        match self {
            V::Bool(b) => Kind::Bool(*b),
            V::Number(n) => n.as_f64().map_or(Kind::Other, Kind::Number),
            V::String(s) => Kind::String(s.clone()),
            V::Array(items) => Kind::Array(items.iter().collect()),
            V::Object(_) => Kind::Object,
            V::Null => Kind::Other,
        }
    }
}

/// What the core wrote, read back: storage round-trips natively.
#[cfg(test)]
impl Json for &Value {
    fn field(&self, key: &str) -> Option<Self> {
        match self {
            Value::Object(fields) => fields
                .iter()
                .find(|(k, v)| *k == key && *v != Value::Null)
                .map(|(_, v)| v),
            _ => None,
        }
    }

    fn kind(&self) -> Kind<Self> {
        match self {
            Value::Bool(b) => Kind::Bool(*b),
            Value::Number(n) => Kind::Number(*n),
            Value::String(s) => Kind::String(s.clone()),
            Value::Array(items) => Kind::Array(items.iter().collect()),
            Value::Object(_) => Kind::Object,
            Value::Null => Kind::Other,
        }
    }
}
