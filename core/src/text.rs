//! Text that came from a server (or a page) before the element shows or dispatches it.

/// Characters removed from shown text: C0 and C1 controls, and the bidirectional controls (embeddings,
/// overrides, isolates and marks) that can reorder what follows them, "Trojan Source"-style.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// `text` without control or bidirectional-override characters, and at most `max_chars` characters long
/// (an ellipsis ends a shortened text). Every server-provided text the element shows or dispatches passes
/// through here: a 1 MB `error_description` or a name that reverses the rest of the line is not shown as sent.
pub fn clean(text: &str, max_chars: usize) -> String {
    let mut kept = text.chars().filter(|c| !is_unsafe(*c));
    let mut out: String = kept.by_ref().take(max_chars).collect();
    if kept.next().is_some() {
        out.pop();
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_overrides_are_removed() {
        assert_eq!(
            clean("a\u{0}b\u{7}c\u{202E}d\u{2066}e\u{200F}f\n", 100),
            "abcdef"
        );
        assert_eq!(
            clean("Zoë 山田 👩‍💻", 100),
            "Zoë 山田 👩‍💻",
            "letters and joiners stay"
        );
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis() {
        assert_eq!(clean("abcdef", 6), "abcdef");
        assert_eq!(clean("abcdefg", 6), "abcde…");
        assert_eq!(clean(&"x".repeat(1_000_000), 300).chars().count(), 300);
    }
}
