//! Counted words as people write them: "1 customer", "2 customers".

use std::fmt::Display;

/// `n` and the word that goes with it.
pub fn count<N: Display + PartialEq + From<u8>>(n: N, one: &str, many: &str) -> String {
    let word = if n == N::from(1) { one } else { many };
    format!("{n} {word}")
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn one_is_singular_and_everything_else_plural() {
        assert_eq!(count(1usize, "customer", "customers"), "1 customer");
        assert_eq!(count(0usize, "customer", "customers"), "0 customers");
        assert_eq!(count(2i64, "day", "days"), "2 days");
    }
}
