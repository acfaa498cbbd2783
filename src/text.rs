//! Text made safe and tidy for a terminal cell grid: control characters
//! and invisible bidi/zero-width characters become visible placeholders
//! (raw ESC never reaches the terminal), and one-line views show line
//! breaks as `↵`.

use std::fmt::Write as _;

/// Replaces characters that would act on the terminal or hide text.
pub fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        push_visible(&mut out, c, false);
    }
    out
}

/// [`visible`], with line breaks shown as `↵` and tabs as `→`.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        push_visible(&mut out, c, true);
    }
    out
}

fn push_visible(out: &mut String, c: char, one_line: bool) {
    match c {
        '\n' if one_line => out.push('↵'),
        '\n' => out.push('\n'),
        '\t' => out.push('→'),
        '\r' => out.push('␍'),
        // C0 controls map onto the Control Pictures block (␀ … ␟).
        '\0'..='\x1f' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('�')),
        '\x7f' => out.push('␡'),
        '\u{80}'..='\u{9f}' => {
            let _ = write!(out, "‹U+{:04X}›", c as u32);
        }
        '\u{200b}' => out.push_str("‹ZWSP›"),
        '\u{200c}' => out.push_str("‹ZWNJ›"),
        '\u{200e}' => out.push_str("‹LRM›"),
        '\u{200f}' => out.push_str("‹RLM›"),
        '\u{202a}' => out.push_str("‹LRE›"),
        '\u{202b}' => out.push_str("‹RLE›"),
        '\u{202c}' => out.push_str("‹PDF›"),
        '\u{202d}' => out.push_str("‹LRO›"),
        '\u{202e}' => out.push_str("‹RLO›"),
        '\u{2066}' => out.push_str("‹LRI›"),
        '\u{2067}' => out.push_str("‹RLI›"),
        '\u{2068}' => out.push_str("‹FSI›"),
        '\u{2069}' => out.push_str("‹PDI›"),
        '\u{feff}' => out.push_str("‹BOM›"),
        other => out.push(other),
    }
}

/// A count in at most four characters: `9999`, `200k`, `1.0M`, `12M`.
/// Large imports log hundreds of thousands of changes in one batch, and a
/// narrow column must not cut `200008` to a misleading `2000`.
pub fn count(n: i64) -> String {
    if n < 10_000 {
        n.to_string()
    } else if n < 1_000_000 {
        format!("{}k", n / 1000)
    } else if n < 10_000_000 {
        format!("{}.{}M", n / 1_000_000, n % 1_000_000 / 100_000)
    } else {
        format!("{}M", n / 1_000_000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_fit_four_characters() {
        for (n, shown) in [
            (0, "0"),
            (9_999, "9999"),
            (10_000, "10k"),
            (200_008, "200k"),
            (999_999, "999k"),
            (1_000_000, "1.0M"),
            (1_950_000, "1.9M"),
            (12_345_678, "12M"),
        ] {
            assert_eq!(count(n), shown);
            assert!(count(n).chars().count() <= 4);
        }
    }

    #[test]
    fn controls_and_bidi_become_visible() {
        assert_eq!(visible("a\x1b[31mb"), "a␛[31mb");
        assert_eq!(visible("bell\x07"), "bell␇");
        assert_eq!(visible("x\u{202e}y\u{200b}"), "x‹RLO›y‹ZWSP›");
        assert_eq!(one_line("two\nlines\tok"), "two↵lines→ok");
        assert!(!visible("\u{85}").contains('\u{85}'));
    }
}
