//! Did-you-mean: the closest known name to a misspelt one, if it is plausibly a typo.

/// The candidate closest to `input`, when similar enough to be a plausible typo.
/// A case-insensitive exact match wins outright.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = input.to_lowercase();
    let mut best: Option<(f64, &'a str)> = None;
    for c in candidates {
        if c == input {
            continue;
        }
        if c.to_lowercase() == lower {
            return Some(c);
        }
        let score = strsim::jaro_winkler(&lower, &c.to_lowercase())
            .max(strsim::normalized_levenshtein(&lower, &c.to_lowercase()));
        if score >= 0.8 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let names = ["AdminUser", "Product", "Cart"];
        assert_eq!(did_you_mean("AdminUsr", names), Some("AdminUser"));
        assert_eq!(did_you_mean("product", names), Some("Product"));
        assert_eq!(did_you_mean("Zebra", names), None);
        assert_eq!(
            did_you_mean("Cart", names),
            None,
            "an exact match is not a suggestion"
        );
    }
}
