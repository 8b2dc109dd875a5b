//! Names compared as people write them: `line-items`, `line_items`, `lineItems` and
//! `LineItem` are one name, so a path segment finds the array or property it names.

/// Lower case, letters and digits only.
pub fn fold(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The singular of a folded English plural (`carts` → `cart`, `categories` → `category`,
/// `addresses` → `address`); other words are returned as they are.
pub(super) fn singular(folded: &str) -> String {
    if let Some(stem) = folded.strip_suffix("ies")
        && !stem.is_empty()
    {
        return format!("{stem}y");
    }
    for suffix in ["sses", "xes", "ches", "shes", "zzes"] {
        if let Some(stem) = folded.strip_suffix(suffix) {
            return format!("{stem}{}", &suffix[..suffix.len() - 2]);
        }
    }
    match folded.strip_suffix('s') {
        Some(stem) if !stem.ends_with('s') && !stem.is_empty() => stem.to_owned(),
        _ => folded.to_owned(),
    }
}

/// The folded singular of a name: the key two names are compared by.
pub fn key(s: &str) -> String {
    singular(&fold(s))
}

/// Whether two names name the same thing after case, separator and plural folding.
pub fn same(a: &str, b: &str) -> bool {
    key(a) == key(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals_and_separators_fold_to_one_key() {
        assert!(same("line-items", "lineItems"));
        assert!(same("line_items", "LineItem"));
        assert!(same("categories", "category"));
        assert!(same("addresses", "address"));
        assert!(same("carts", "Cart"));
        assert!(!same("carts", "cars"));
        assert_eq!(key("status"), "statu");
        assert_eq!(key("address"), "address");
    }
}
