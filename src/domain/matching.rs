//! Text matching for filters, pickers and completion: case-insensitive
//! substring, and fuzzy (letters in order).

/// Case-insensitive substring search.
pub fn contains_folded(haystack: &str, needle: &str) -> bool {
    if needle.is_ascii() {
        return contains_folded_bytes(haystack.as_bytes(), needle);
    }
    contains_folded_chars(haystack, needle)
}

/// [`contains_folded`] over text as SQLite hands it over (UTF-8 bytes),
/// without copying it. An ASCII needle is searched byte by byte: bytes of
/// a multi-byte character are never ASCII, and the one non-ASCII character
/// that lowercases to an ASCII letter (the Kelvin sign, to `k`) sends the
/// search to the character-wise path, so both give the same answer.
pub fn contains_folded_bytes(haystack: &[u8], needle: &str) -> bool {
    if needle.is_empty() {
        return true;
    }
    let kelvin = "\u{212a}".as_bytes();
    if !needle.is_ascii()
        || (needle.contains(['k', 'K']) && memchr::memmem::find(haystack, kelvin).is_some())
    {
        return std::str::from_utf8(haystack).is_ok_and(|h| contains_folded_chars(h, needle));
    }
    let needle = needle.as_bytes();
    let (first, rest) = (needle[0], &needle[1..]);
    let mut from = 0;
    while let Some(found) = memchr::memchr2(
        first.to_ascii_lowercase(),
        first.to_ascii_uppercase(),
        &haystack[from..],
    ) {
        let after = from + found + 1;
        match haystack.get(after..after + rest.len()) {
            Some(tail) if tail.eq_ignore_ascii_case(rest) => return true,
            Some(_) => from = after,
            None => return false,
        }
    }
    false
}

fn contains_folded_chars(haystack: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return true;
    }
    let needle: Vec<char> = needle.chars().flat_map(char::to_lowercase).collect();
    let starts_here = |rest: &str| {
        let mut window = rest.chars();
        needle
            .iter()
            .all(|&n| window.next().is_some_and(|h| folds_to(h, n)))
    };
    // Every window of the haystack, compared a character at a time, without
    // copying the haystack (notes are long; this runs once per row). A
    // window can only start on a character that folds to the needle's
    // first: for an ASCII one other than `k` (the Kelvin sign folds to
    // `k`), that is one of two bytes, found with memchr.
    match needle.first() {
        Some(&first) if first.is_ascii() && first != 'k' => {
            let bytes = haystack.as_bytes();
            let (lower, upper) = (first as u8, first.to_ascii_uppercase() as u8);
            let mut from = 0;
            while let Some(found) = memchr::memchr2(lower, upper, &bytes[from..]) {
                if starts_here(&haystack[from + found..]) {
                    return true;
                }
                from += found + 1;
            }
            false
        }
        _ => {
            let mut rest = haystack;
            while let Some(first) = rest.chars().next() {
                if starts_here(rest) {
                    return true;
                }
                rest = &rest[first.len_utf8()..];
            }
            false
        }
    }
}

/// `h` is `n`, or lowercases to exactly `n`.
fn folds_to(h: char, n: char) -> bool {
    h == n
        || if h.is_ascii() {
            h.to_ascii_lowercase() == n
        } else {
            h.to_lowercase().eq(std::iter::once(n))
        }
}

/// Letters of `needle` appear in `haystack` in order ("sbmtl" ~ "submittal").
pub fn fuzzy(haystack: &str, needle: &str) -> bool {
    if haystack.is_ascii() && needle.is_ascii() {
        let mut hay = haystack.bytes();
        return needle
            .bytes()
            .all(|n| hay.any(|h| h.eq_ignore_ascii_case(&n)));
    }
    let mut hay = haystack.chars().flat_map(char::to_lowercase);
    needle
        .chars()
        .flat_map(char::to_lowercase)
        .all(|n| hay.any(|h| h == n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_is_case_insensitive_and_fuzzy_on_titles() {
        assert!(contains_folded("Superintendents will LOG", "log"));
        assert!(!contains_folded("abc", "abcd"));
        assert!(fuzzy("Submittal tracking", "sbmtl"));
        assert!(!fuzzy("Submittal", "ltb"));
    }

    #[test]
    fn the_byte_search_agrees_with_the_character_search() {
        let hays = [
            "Superintendents will LOG deliveries",
            "Kelvin \u{212a}elvin, İstanbul, straße, ÉCOLE",
            "short",
            "",
            "aaab",
        ];
        let needles = [
            "log",
            "LOG",
            "k",
            "kelvin",
            "elvin",
            "i",
            "école",
            "ss",
            "aab",
            "b",
            "",
            "zz",
            "deliveries",
            "deliveriesx",
        ];
        for hay in hays {
            for needle in needles {
                assert_eq!(
                    contains_folded(hay, needle),
                    contains_folded_chars(hay, needle),
                    "{hay:?} / {needle:?}"
                );
            }
        }
    }

    /// The character search as first written: every window of the
    /// haystack's characters.
    fn windows_reference(haystack: &str, needle: &str) -> bool {
        let needle: Vec<char> = needle.chars().flat_map(char::to_lowercase).collect();
        let hay: Vec<char> = haystack.chars().collect();
        needle.is_empty()
            || hay.windows(needle.len()).any(|w| {
                w.iter()
                    .zip(&needle)
                    .all(|(h, n)| h == n || h.to_lowercase().eq(std::iter::once(*n)))
            })
    }

    #[test]
    fn the_character_search_agrees_with_its_reference() {
        let hays = [
            "Kelvin \u{212a}elvin, İstanbul, straße, ÉCOLE école",
            "ǅemal ǆ Σίσυφος ΣΊΣΥΦΟΣ",
            "",
            "é",
            "ééé",
        ];
        let needles = [
            "école",
            "ÉCOLE",
            "é",
            "ée",
            "éé",
            "ééé",
            "éééé",
            "ǆ",
            "ǅ",
            "σίσυφος",
            "ς",
            "İ",
            "i̇",
            "straße",
            "STRASSE",
            "k",
            "",
            "x",
        ];
        for hay in hays {
            for needle in needles {
                assert_eq!(
                    contains_folded_chars(hay, needle),
                    windows_reference(hay, needle),
                    "{hay:?} / {needle:?}"
                );
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn the_character_search_agrees_with_its_reference_on_any_text(
            hay in "[aAkKé\u{c9}\u{212a}\u{130}i\u{307}ß\u{3a3}\u{3c3}\u{3c2}\u{1c5}\u{1c6} ]{0,12}",
            needle in "[aAkKé\u{c9}\u{212a}\u{130}i\u{307}ß\u{3a3}\u{3c3}\u{3c2}\u{1c5}\u{1c6} ]{0,4}",
        ) {
            proptest::prop_assert_eq!(
                contains_folded_chars(&hay, &needle),
                windows_reference(&hay, &needle)
            );
        }
    }

    #[test]
    fn only_the_kelvin_sign_lowercases_to_a_single_ascii_letter() {
        // Why the byte search is exact: no other non-ASCII character
        // folds onto an ASCII one.
        let odd: Vec<char> = (0x80..=0x10_FFFF)
            .filter_map(char::from_u32)
            .filter(|c| {
                let mut lower = c.to_lowercase();
                matches!((lower.next(), lower.next()), (Some(l), None) if l.is_ascii())
            })
            .collect();
        assert_eq!(odd, ['\u{212a}']);
    }
}
