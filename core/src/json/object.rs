//! `json_object!`: a struct's JSON codec from one list of its fields, each JSON name written once.

use crate::json::Invalid;

/// A value kept as several fields of the object it is part of (how a session renews: its `refreshToken`, or
/// `renewal: "backend"`, or neither), which `json_object!` reads together and writes apart.
pub(crate) trait Spread<'a>: Sized {
    /// The fields as read, in order.
    type Read;
    /// The fields to write, in the same order, borrowed from the value.
    type Written;
    /// The value the fields make, or why they make none.
    fn gather(read: Self::Read) -> Result<Self, Invalid>;
    /// The fields of this value.
    fn spread(&'a self) -> Self::Written;
}

/// Implements [`FromJson`](super::FromJson) and [`ToJson`](super::ToJson) for a struct (or one of them, after
/// `read` or `write`) from one list of its fields, each with its JSON name (the field's own, or `as "name"`) and
/// its mode:
///
/// - `required`: absent or `null` is a problem;
/// - `optional`: absent or `null` reads as `None`, and `None` is written as `null`;
/// - `skip_none`: the same, but `None` is left out when written;
/// - `or_default`: absent or `null` reads as the type's default;
/// - `or(value)`: absent or `null` reads as `value`.
///
/// `=> read` after a mode reads the field with `read(&fields, name)` instead (the mode then only says how it is
/// written). A last `..field { … }` lists the JSON fields that together make one field of the struct
/// ([`Spread`]: `Session`'s `renewal`). `read Wrapper(Inner) { … }` reads a newtype. The fields are read in the
/// order listed: the first problem is the one reported ([`Fields`](super::Fields)). They are written in that
/// order too, those with `skip_none` last.
macro_rules! json_object {
    (read $wrapper:ident($ty:ident) { $($fields:tt)* }) => {
        impl $crate::json::FromJson for $wrapper {
            fn from_json<V: $crate::json::Json>(value: V) -> Result<Self, $crate::json::Invalid> {
                let f = $crate::json::Fields::of(value)?;
                f.finish($wrapper($crate::json::object::json_object!(@read f, $ty { $($fields)* })))
            }
        }
    };
    (read $ty:ident { $($fields:tt)* }) => {
        impl $crate::json::FromJson for $ty {
            fn from_json<V: $crate::json::Json>(value: V) -> Result<Self, $crate::json::Invalid> {
                let f = $crate::json::Fields::of(value)?;
                f.finish($crate::json::object::json_object!(@read f, $ty { $($fields)* }))
            }
        }
    };
    (write $ty:ident $(<$lifetime:lifetime>)? {
        $( $field:ident $(as $name:literal)? : $mode:ident $(($($arg:tt)*))? $(=> $read:path)?, )*
        $( ..$spread:ident { $( $part:ident $(as $part_name:literal)? : $part_mode:ident, )* } )?
    }) => {
        impl $crate::json::ToJson for $ty $(<$lifetime>)? {
            fn to_json(&self) -> $crate::json::Value {
                $( let ($($part,)*) = $crate::json::object::Spread::spread(&self.$spread); )?
                $crate::json::object::json_object!(@object [] {
                    $( ($crate::json::object::json_object!(@name $field $($name)?), self.$field, $mode) )*
                    $($( ($crate::json::object::json_object!(@name $part $($part_name)?), $part, $part_mode) )*)?
                })
            }
        }
    };
    ($ty:ident { $($fields:tt)* }) => {
        $crate::json::object::json_object!(read $ty { $($fields)* });
        $crate::json::object::json_object!(write $ty { $($fields)* });
    };

    // The struct, its fields read from `$f`.
    (@read $f:ident, $ty:ident {
        $( $field:ident $(as $name:literal)? : $mode:ident $(($($arg:tt)*))? $(=> $read:path)?, )*
        $( ..$spread:ident { $( $part:ident $(as $part_name:literal)? : $part_mode:ident, )* } )?
    }) => {
        $ty {
            $( $field: $crate::json::object::json_object!(
                @get $f, $crate::json::object::json_object!(@name $field $($name)?), $mode $(($($arg)*))?
                $(=> $read)?
            ), )*
            $( $spread: $crate::json::object::Spread::gather(($( $crate::json::object::json_object!(
                @get $f, $crate::json::object::json_object!(@name $part $($part_name)?), $part_mode
            ), )*))?, )?
        }
    };
    (@name $field:ident) => { stringify!($field) };
    (@name $field:ident $name:literal) => { $name };
    (@get $f:ident, $name:expr, $mode:ident => $read:path) => { $read(&$f, $name) };
    (@get $f:ident, $name:expr, required) => { $f.required($name) };
    (@get $f:ident, $name:expr, optional) => { $f.optional($name) };
    (@get $f:ident, $name:expr, skip_none) => { $f.optional($name) };
    (@get $f:ident, $name:expr, or_default) => { $f.or_default($name) };
    (@get $f:ident, $name:expr, or($default:expr)) => { $f.optional($name).unwrap_or_else(|| $default) };
    // The object of `(name, value, mode)`: one vector of the fields always written, then those left out when
    // `None`, pushed when present (filtering a second vector costs the wasm more).
    (@object [$($plain:tt)*] { ($name:expr, $value:expr, skip_none) $($rest:tt)* }) => {{
        let mut object = vec![$($plain)*];
        $crate::json::object::json_object!(@push object { ($name, $value, skip_none) $($rest)* });
        $crate::json::Value::Object(object)
    }};
    (@object [$($plain:tt)*] { ($name:expr, $value:expr, $mode:ident) $($rest:tt)* }) => {
        $crate::json::object::json_object!(
            @object [$($plain)* ($name, $crate::json::ToJson::to_json(&$value)),] { $($rest)* }
        )
    };
    (@object [$($plain:tt)*] {}) => { $crate::json::Value::Object(vec![$($plain)*]) };
    (@push $object:ident { $( ($name:expr, $value:expr, skip_none) )* }) => {
        $( if let Some(value) = &$value {
            $object.push(($name, $crate::json::ToJson::to_json(value)));
        } )*
    };
}
pub(crate) use json_object;
