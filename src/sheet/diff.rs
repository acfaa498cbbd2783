//! What really changed in a long text cell: a preview that cuts both
//! values at the same length shows two identical beginnings, so a change
//! deep in a note is described by where it starts, a little text around
//! it on both sides, and both lengths (the CLI preview and the wizard
//! both describe a changed cell through [`describe_change`]).

use super::Value;

/// Characters of context shown before and after the first difference.
pub const CONTEXT: usize = 12;

/// Where two texts first differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextDiff {
    /// 1-based position (in characters) of the first differing character.
    pub at: usize,
    pub old_len: usize,
    pub new_len: usize,
    /// Up to [`CONTEXT`] characters before the difference and from it on,
    /// with "…" where a side was cut.
    pub old_context: String,
    pub new_context: String,
}

/// Where `old` and `new` first differ, or `None` when they are equal.
pub fn text_diff(old: &str, new: &str) -> Option<TextDiff> {
    if old == new {
        return None;
    }
    let old_chars: Vec<char> = old.chars().collect();
    let new_chars: Vec<char> = new.chars().collect();
    let at = old_chars
        .iter()
        .zip(&new_chars)
        .take_while(|(a, b)| a == b)
        .count();
    let around = |chars: &[char]| {
        let start = at.saturating_sub(CONTEXT);
        let end = (at + CONTEXT).min(chars.len());
        let mut text = String::new();
        if start > 0 {
            text.push('…');
        }
        text.extend(&chars[start..end]);
        if end < chars.len() {
            text.push('…');
        }
        text
    };
    Some(TextDiff {
        at: at + 1,
        old_len: old_chars.len(),
        new_len: new_chars.len(),
        old_context: around(&old_chars),
        new_context: around(&new_chars),
    })
}

/// "old → new" for a changed cell, each value through `show`; a text
/// longer than `width` characters on either side is described by its
/// first difference instead: `1,204 → 1,209 chars, first change at char
/// 402: “…was the same …” → “…was nearly the same…”` (the contexts through
/// `visible`, which makes control characters and line breaks visible).
pub fn describe_change(
    old: &Value,
    new: &Value,
    width: usize,
    show: impl Fn(&Value) -> String,
    visible: impl Fn(&str) -> String,
) -> String {
    if let (Value::Text(a), Value::Text(b)) = (old, new)
        && (a.chars().count() > width || b.chars().count() > width)
        && let Some(d) = text_diff(a, b)
    {
        return format!(
            "{} → {} chars, first change at char {}: “{}” → “{}”",
            d.old_len,
            d.new_len,
            d.at,
            visible(&d.old_context),
            visible(&d.new_context)
        );
    }
    format!("{} → {}", show(old), show(new))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_difference_is_found_with_context_and_lengths() {
        let old = format!("{}the pilot ran well{}", "a".repeat(400), "z".repeat(300));
        let new = format!("{}the pilot ran badly{}", "a".repeat(400), "z".repeat(300));
        let d = text_diff(&old, &new).expect("differs");
        assert_eq!(d.at, 400 + "the pilot ran ".len() + 1);
        assert_eq!((d.old_len, d.new_len), (718, 719));
        let want = format!("…e pilot ran well{}…", "z".repeat(8));
        assert_eq!(d.old_context, want);
        let want = format!("…e pilot ran badly{}…", "z".repeat(7));
        assert_eq!(d.new_context, want);
        assert_eq!(text_diff("same", "same"), None);
    }

    #[test]
    fn an_appended_tail_differs_where_the_old_text_ends() {
        let d = text_diff("abc", "abcdef").expect("differs");
        assert_eq!((d.at, d.old_len, d.new_len), (4, 3, 6));
        assert_eq!(
            (d.old_context.as_str(), d.new_context.as_str()),
            ("abc", "abcdef")
        );
    }

    #[test]
    fn short_values_read_old_to_new() {
        let show = |v: &Value| v.to_csv_string();
        let id = |s: &str| s.to_owned();
        let text = |s: &str| Value::Text(s.to_owned());
        assert_eq!(
            describe_change(&text("a"), &text("b"), 60, show, id),
            "a → b"
        );
        let long_old = text(&format!("{}x", "n".repeat(80)));
        let long_new = text(&format!("{}y", "n".repeat(80)));
        let n = "n".repeat(12);
        assert_eq!(
            describe_change(&long_old, &long_new, 60, show, id),
            format!("81 → 81 chars, first change at char 81: “…{n}x” → “…{n}y”")
        );
    }
}
