//! How the button looks: its stylesheet, the CSS parts a page can style with `::part()` and, in the
//! stylesheet, the `--anypoint-signin-*` custom properties it can set (src/registry.rs publishes both).

/// The parts, as the view names them.
pub(crate) mod part {
    /// The box around everything the element shows.
    pub const CONTAINER: &str = "container";
    /// The sign-in and sign-out buttons.
    pub const BUTTON: &str = "button";
    /// The sign-out button: a [`BUTTON`], and `signout`.
    pub const SIGNOUT_BUTTON: &str = "button signout";
    /// Who is signed in: avatar and name.
    pub const USER: &str = "user";
    /// The error message (and the session-expired notice).
    pub const ERROR: &str = "error";
    /// The signed-in user's initials.
    pub const AVATAR: &str = "avatar";
    /// The signed-in line with the name.
    pub const NAME: &str = "name";
    /// The Anypoint mark in the sign-in button.
    pub const MARK: &str = "mark";
    /// The visually hidden live region.
    pub const STATUS: &str = "status";
    /// Every `part` attribute the view writes: www/meta/registry.json lists their words.
    #[cfg(test)]
    pub const ALL: [&str; 9] = [
        CONTAINER,
        BUTTON,
        SIGNOUT_BUTTON,
        USER,
        ERROR,
        AVATAR,
        NAME,
        MARK,
        STATUS,
    ];
}

/// The light palette, the default. The look's values are macros (string literals) so that the shadow root's
/// stylesheet here and the placeholder stylesheet (`src/placeholder.rs`, drawn before the element is defined)
/// are both built from them.
macro_rules! light {
    () => {
        "--_bg:#fff;--_fg:#1f2933;--_line:#5f6b7a;--_hover:rgba(0,0,0,.06);--_focus:#0b5cad;\
--_accent:#0b6bcb;--_error:#b42318"
    };
}

/// The dark palette, used by `theme="dark"` and by `theme="auto"` under `prefers-color-scheme: dark`.
macro_rules! dark {
    () => {
        "--_bg:#1b2530;--_fg:#f1f4f8;--_line:#8a96a3;--_hover:rgba(255,255,255,.1);--_focus:#8cc8ff;\
--_accent:#0b6bcb;--_error:#ff9c8f"
    };
}

/// The sizes: font, height, horizontal padding, glyph.
macro_rules! medium {
    () => {
        "font-size:14px;--_h:40px;--_pad:16px;--_icon:20px"
    };
}
macro_rules! small {
    () => {
        "font-size:13px;--_h:32px;--_pad:12px;--_icon:18px"
    };
}
macro_rules! large {
    () => {
        "font-size:16px;--_h:48px;--_pad:20px;--_icon:24px"
    };
}

/// The text: the page's overrides, else the system font.
macro_rules! font {
    () => {
        "font-family:var(--anypoint-signin-font,system-ui,-apple-system,'Segoe UI',Roboto,sans-serif);\
font-weight:var(--anypoint-signin-font-weight,500);line-height:1.3;\
color:var(--anypoint-signin-color,var(--_fg))"
    };
}

/// The button's box.
macro_rules! button_box {
    () => {
        "display:inline-flex;align-items:center;justify-content:center;gap:10px;box-sizing:border-box;\
min-height:var(--_h);min-width:var(--_h);max-width:100%;padding:4px var(--_pad);\
border:1px solid var(--anypoint-signin-border,var(--_line));border-radius:var(--anypoint-signin-radius,4px);\
background:var(--anypoint-signin-bg,var(--_bg));text-align:start;overflow-wrap:break-word;cursor:pointer"
    };
}

/// The glyph's box, and the pill's corners.
macro_rules! mark_box {
    () => {
        "width:var(--_icon);height:var(--_icon);flex:none"
    };
}
macro_rules! pill {
    () => {
        "border-radius:var(--anypoint-signin-radius,999px)"
    };
}

/// Visually hidden, still read: the icon-only width's labels, the live status.
macro_rules! visually_hidden {
    () => {
        "position:absolute;width:1px;height:1px;margin:-1px;padding:0;border:0;overflow:hidden;\
clip-path:inset(50%);white-space:nowrap"
    };
}

/// The element's styles, adopted by every shadow root (constructable stylesheets work under a strict CSP,
/// where an inline `<style>` would need `'unsafe-inline'`). The `--_*` properties are the theme's palette;
/// the documented `--anypoint-signin-*` properties override them. Contrast (WCAG AA) is checked by axe-core
/// in the browser tests for every theme.
pub const CSS: &str = concat!(
    ":host{display:inline-block;max-width:100%;vertical-align:middle}",
    ":host([hidden]){display:none}",
    ":host([width=wide i]){display:block}",
    ".container{",
    light!(),
    ";",
    medium!(),
    ";position:relative;display:inline-flex;flex-wrap:wrap;align-items:center;gap:8px;max-width:100%;",
    font!(),
    "}",
    ".dark{",
    dark!(),
    "}@media (prefers-color-scheme:dark){.auto{",
    dark!(),
    "}}",
    ".small{",
    small!(),
    "}.large{",
    large!(),
    "}",
    ".wide{display:flex}.wide .button{flex:1 1 auto}",
    ".button{",
    button_box!(),
    ";color:inherit;font:inherit}",
    ".icon .button{padding:4px}",
    ".pill .button,.pill .user{",
    pill!(),
    "}",
    ".button:hover{box-shadow:inset 0 0 0 99em var(--_hover)}",
    ".button:focus-visible{outline:3px solid var(--anypoint-signin-focus,var(--_focus));outline-offset:2px}",
    ".button:disabled{cursor:default;opacity:.7}",
    ".button[aria-busy=true]{cursor:progress;opacity:1}",
    ".label,.name{min-width:0}",
    ".name{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}",
    ".mark{",
    mark_box!(),
    "}",
    ".mark circle{fill:var(--anypoint-signin-accent,var(--_accent))}",
    ".user{display:inline-flex;align-items:center;gap:8px;min-width:0;max-width:min(100%,22em);box-sizing:border-box;",
    "padding:2px 10px 2px 2px;border-radius:var(--anypoint-signin-radius,4px);",
    "background:var(--anypoint-signin-bg,var(--_bg))}",
    ".icon .user{padding:0;background:none}",
    ".avatar{display:inline-grid;place-items:center;flex:none;width:calc(var(--_h) - 6px);",
    "height:calc(var(--_h) - 6px);border-radius:50%;background:var(--anypoint-signin-accent,var(--_accent));",
    "color:#fff;font-size:.85em}",
    ".error{flex-basis:100%;margin:0;padding:4px 8px;border-radius:4px;background:var(--_bg);",
    "color:var(--_error);font-weight:400;overflow-wrap:break-word}",
    ".spinner{box-sizing:border-box;",
    mark_box!(),
    ";border:2px solid;border-right-color:transparent;border-radius:50%;animation:spin .8s linear infinite}",
    "@keyframes spin{to{transform:rotate(1turn)}}",
    "@media (prefers-reduced-motion:reduce){.spinner{animation:none}}",
    ".sr,.status{",
    visually_hidden!(),
    "}",
);
