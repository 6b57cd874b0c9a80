//! The placeholder: `<anypoint-signin>` drawn by CSS alone until it is defined, as the sign-in button, in the
//! same box, so that the wasm's button takes its place without a shift. Built here from the button's own
//! look (`src/button/style.rs`'s macros), the core's labels and attribute names; written to
//! `www/src/anypoint-signin.css`, which the build ships as `dist/anypoint-signin.css` (for a page's `<head>`)
//! and inlines into the entry module (for pages that only have the script). The test below fails when the
//! file and this disagree; `UPDATE_PLACEHOLDER=1 cargo test -p anypoint-signin placeholder` rewrites it.

use anypoint_signin_core::attributes::{self, Attribute};
use anypoint_signin_core::locale::LANGUAGES;

/// The element before it is defined.
const HOST: &str = "anypoint-signin:not(:defined)";

/// `[name=value i]` for one of `attribute`'s choices (the registry's words, so a renamed one fails here).
fn when(attribute: &Attribute, value: &str) -> String {
    assert!(attribute.words().contains(&value), "{value}");
    format!("{HOST}[{}={value} i]", attribute.name)
}

/// A CSS string.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The stylesheet.
fn css() -> String {
    let mut css = format!(
        "{HOST}{{{};{};{};{};vertical-align:middle}}\
         {HOST}::before{{content:\"A\"/\"\";{};border-radius:50%;\
         background:var(--anypoint-signin-accent,var(--_accent));color:#fff;\
         font:600 calc(var(--_icon) * .62)/var(--_icon) system-ui,sans-serif;text-align:center}}",
        light!(),
        medium!(),
        font!(),
        button_box!(),
        mark_box!(),
    );
    // The label: the page's language (the nearest `lang`), then the `locale` attribute, then the page's own
    // label (its name over its alias), as the element picks it; later rules win.
    let [english, ..] = &LANGUAGES;
    css += &format!("{HOST}::after{{content:{}}}", quoted(english.sign_in));
    for labels in &LANGUAGES[1..] {
        css += &format!(
            "{HOST}:lang({})::after{{content:{}}}",
            labels.lang,
            quoted(labels.sign_in)
        );
    }
    for labels in &LANGUAGES {
        css += &format!(
            "{HOST}[{}|={} i]::after{{content:{}}}",
            attributes::LOCALE.name,
            labels.lang,
            quoted(labels.sign_in)
        );
    }
    let label = &attributes::LABEL_SIGNIN;
    for name in label.alias.into_iter().chain([label.name]) {
        css += &format!("{HOST}[{name}]::after{{content:attr({name})}}");
    }
    let theme = &attributes::THEME;
    css += &format!(
        "{}{{{}}}@media (prefers-color-scheme:dark){{{}{{{}}}}}",
        when(theme, "dark"),
        dark!(),
        when(theme, "auto"),
        dark!()
    );
    let (size, shape, width) = (&attributes::SIZE, &attributes::SHAPE, &attributes::WIDTH);
    css += &format!("{}{{{}}}", when(size, "small"), small!());
    css += &format!("{}{{{}}}", when(size, "large"), large!());
    css += &format!("{}{{{}}}", when(shape, "pill"), pill!());
    css += &format!("{}{{display:flex}}", when(width, "wide"));
    // Icon only: the label stays the accessible name, out of sight.
    css += &format!(
        "{0}{{padding:4px;position:relative}}{0}::after{{{1}}}",
        when(width, "icon"),
        visually_hidden!()
    );
    // Working (www/src/anypoint-signin.js): a click kept until the element can act on it, or a page that resumes
    // a session: the glyph turns, the words go (the box stays; the label is still the accessible name).
    css += &format!(
        "{HOST}[aria-busy=true]{{cursor:progress}}{HOST}[aria-busy=true]::after{{color:transparent}}\
         {HOST}[aria-busy=true]::before{{content:\"\";box-sizing:border-box;border:2px solid;border-right-color:transparent;\
         background:none;animation:anypoint-signin-spin .8s linear infinite}}\
         @keyframes anypoint-signin-spin{{to{{transform:rotate(1turn)}}}}\
         @media (prefers-reduced-motion:reduce){{{HOST}[aria-busy=true]::before{{animation:none}}}}\
         {HOST}[hidden]{{display:none}}\n"
    );
    css
}

#[test]
fn the_shipped_placeholder_is_the_generated_one() {
    crate::shipped::check(
        "www/src/anypoint-signin.css",
        &css(),
        "UPDATE_PLACEHOLDER",
        "placeholder",
    );
}
