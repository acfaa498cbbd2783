//! Text matching for filters, pickers and completion: case-insensitive
//! substring, and fuzzy (letters in order).

/// Case-insensitive substring search.
pub fn contains_folded(haystack: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return true;
    }
    let needle: Vec<char> = needle.chars().flat_map(char::to_lowercase).collect();
    let hay: Vec<char> = haystack.chars().collect();
    hay.windows(needle.len()).any(|w| {
        w.iter()
            .zip(&needle)
            .all(|(h, n)| h == n || h.to_lowercase().eq(std::iter::once(*n)))
    })
}

/// Letters of `needle` appear in `haystack` in order ("sbmtl" ~ "submittal").
pub fn fuzzy(haystack: &str, needle: &str) -> bool {
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
}
