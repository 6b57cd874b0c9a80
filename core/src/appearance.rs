//! How the button looks: the `theme`, `size`, `shape`, `width`, `label-signin`, `label-signout` and `locale`
//! attributes, validated like the sign-in attributes so a typo shows up as a message, not a silent default.

use crate::attributes::{
    LABEL_SIGNIN, LABEL_SIGNOUT, LOCALE, Reader, SHAPE, SIZE, THEME, WIDTH, choices,
};
use crate::error::Error;

choices! {
    /// The palette (`theme`).
    pub enum Theme {
        /// Light.
        Light = "light",
        /// Dark.
        Dark = "dark",
        /// Follows `prefers-color-scheme`.
        Auto = "auto",
    }
}

choices! {
    /// The button's height and type size (`size`).
    pub enum Size {
        /// 40 px high.
        Medium = "medium",
        /// 32 px.
        Small = "small",
        /// 48 px.
        Large = "large",
    }
}

choices! {
    /// The corners (`shape`).
    pub enum Shape {
        /// Slightly rounded.
        Rectangular = "rectangular",
        /// Fully rounded ends.
        Pill = "pill",
    }
}

choices! {
    /// How wide the button is (`width`).
    pub enum Width {
        /// As wide as its label.
        Standard = "standard",
        /// Fills its container.
        Wide = "wide",
        /// The mark only; the label stays the accessible name.
        Icon = "icon",
    }
}

/// The validated look of one element. The choices' words are the view's class names.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Appearance {
    /// The palette.
    pub theme: Theme,
    /// The height and type size.
    pub size: Size,
    /// The corners.
    pub shape: Shape,
    /// How wide.
    pub width: Width,
    /// Replaces the locale's sign-in label.
    pub label_signin: Option<String>,
    /// Replaces the locale's sign-out label.
    pub label_signout: Option<String>,
    /// The `locale` attribute, when set; the document's language decides otherwise.
    pub locale: Option<String>,
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
            theme: read.choice(&THEME)?,
            size: read.choice(&SIZE)?,
            shape: read.choice(&SHAPE)?,
            width: read.choice(&WIDTH)?,
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
            (
                Theme::Light,
                Size::Medium,
                Shape::Rectangular,
                Width::Standard
            )
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
            (Theme::Dark, Size::Large, Shape::Pill, Width::Icon)
        );
        assert_eq!(a.label_signin.as_deref(), Some("Log in"));
        assert_eq!(a.label_signout, None, "a blank label keeps the locale's");
        assert_eq!(a.locale.as_deref(), Some("ja-JP"));
        assert_eq!(appearance(&[("theme", "auto")]).unwrap().theme, Theme::Auto);
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
