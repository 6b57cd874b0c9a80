//! How the button looks: the `theme`, `size`, `shape`, `width`, `label-signin`, `label-signout` and `locale`
//! attributes, validated like the sign-in attributes so a typo shows up as a message, not a silent default.

use crate::attributes::{
    Attribute, LABEL_SIGNIN, LABEL_SIGNOUT, LOCALE, Reader, SHAPE, SIZE, THEME, WIDTH,
};
use crate::error::Error;

/// The validated look of one element. The option values are the attributes' own words, which the view uses
/// as class names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Appearance {
    /// `light`, `dark` or `auto` (follows `prefers-color-scheme`).
    pub theme: &'static str,
    /// `small`, `medium` or `large`.
    pub size: &'static str,
    /// `rectangular` or `pill`.
    pub shape: &'static str,
    /// `standard`, `wide` (fills its container) or `icon` (the mark only; the label stays the accessible name).
    pub width: &'static str,
    /// Replaces the locale's sign-in label.
    pub label_signin: Option<String>,
    /// Replaces the locale's sign-out label.
    pub label_signout: Option<String>,
    /// The `locale` attribute, when set; the document's language decides otherwise.
    pub locale: Option<String>,
}

impl Default for Appearance {
    fn default() -> Self {
        let first = |attribute: &Attribute| attribute.words().first().copied().unwrap_or_default();
        Appearance {
            theme: first(&THEME),
            size: first(&SIZE),
            shape: first(&SHAPE),
            width: first(&WIDTH),
            label_signin: None,
            label_signout: None,
            locale: None,
        }
    }
}

impl Appearance {
    /// Validates the look attributes; `attribute` reads one by name (absent = `None`).
    pub fn from_attributes(
        attribute: impl Fn(&str) -> Option<String>,
    ) -> Result<Appearance, Error> {
        Appearance::read(&attribute)
    }

    /// [`Appearance::from_attributes`], compiled once whatever reads the attributes (size rule 3,
    /// BENCHMARKS.md).
    fn read(attribute: &dyn Fn(&str) -> Option<String>) -> Result<Appearance, Error> {
        let read = Reader(attribute);
        Ok(Appearance {
            theme: read.word(&THEME)?,
            size: read.word(&SIZE)?,
            shape: read.word(&SHAPE)?,
            width: read.word(&WIDTH)?,
            label_signin: read.text(&LABEL_SIGNIN),
            label_signout: read.text(&LABEL_SIGNOUT),
            locale: read.text(&LOCALE),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Code;

    fn appearance(attrs: &[(&str, &str)]) -> Result<Appearance, Error> {
        Appearance::from_attributes(|name| {
            attrs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn defaults_are_a_light_medium_rectangular_standard_button() {
        let a = Appearance::default();
        assert_eq!(
            appearance(&[]),
            Ok(a.clone()),
            "no attributes, the defaults"
        );
        assert_eq!(
            (a.theme, a.size, a.shape, a.width),
            ("light", "medium", "rectangular", "standard")
        );
        assert_eq!(
            (a.label_signin, a.label_signout, a.locale),
            (None, None, None)
        );
    }

    #[test]
    fn options_are_read_case_insensitively_and_labels_trimmed() {
        let a = appearance(&[
            ("theme", " Dark "),
            ("size", "LARGE"),
            ("shape", "pill"),
            ("width", "icon"),
            ("label-signin", "  Log in  "),
            ("label-signout", " "),
            ("locale", "ja-JP"),
        ])
        .unwrap();
        assert_eq!(
            (a.theme, a.size, a.shape, a.width),
            ("dark", "large", "pill", "icon")
        );
        assert_eq!(a.label_signin.as_deref(), Some("Log in"));
        assert_eq!(a.label_signout, None, "a blank label keeps the locale's");
        assert_eq!(a.locale.as_deref(), Some("ja-JP"));
        assert_eq!(appearance(&[("theme", "auto")]).unwrap().theme, "auto");
    }

    #[test]
    fn unknown_values_are_errors_that_list_the_choices() {
        for (name, value, choices) in [
            ("theme", "purple", "light, dark, auto"),
            ("size", "huge", "medium, small, large"),
            ("shape", "round", "rectangular, pill"),
            ("width", "icon-only", "standard, wide, icon"),
        ] {
            let error = appearance(&[(name, value)]).unwrap_err();
            assert_eq!(error.code(), Code::InvalidAttribute);
            assert_eq!(
                error.message(),
                format!("{name} \"{value}\" is not one of {choices}.")
            );
        }
    }
}
