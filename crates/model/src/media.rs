//! Media ranges as OpenAPI `content` keys write them (`application/json`, `application/*`,
//! `*/*`): the essence of a media type and whether a range covers a concrete type. The
//! mock (negotiating `Accept` and `Content-Type`) and the contract judgement of answers
//! (in `cartwright-http`) both match against declared content keys with these.

/// The essence of a media type: `type/subtype`, lower-cased, parameters dropped.
pub fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// Whether a range (`*/*`, `application/*`, `application/json`) covers a concrete type.
/// Both sides are compared by their essence, so parameters and case do not matter.
pub fn covers(range: &str, concrete: &str) -> bool {
    let (range, concrete) = (essence(range), essence(concrete));
    if range == "*/*" || range == "*" || range == concrete {
        return true;
    }
    match (range.split_once('/'), concrete.split_once('/')) {
        (Some((rt, "*")), Some((ct, _))) => rt == ct,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_ranges() {
        assert!(covers("application/json", "application/json"));
        assert!(covers("application/*", "application/json"));
        assert!(covers("*/*", "text/plain"));
        assert!(!covers("application/json", "text/html"));
    }

    #[test]
    fn parameters_and_case_are_ignored() {
        assert_eq!(
            essence(" Application/JSON ; charset=utf-8"),
            "application/json"
        );
        assert!(covers(
            "application/json; charset=utf-8",
            "APPLICATION/JSON"
        ));
        assert!(covers("Text/*", "text/html; q=1"));
        assert!(!covers("text/*", "application/json"));
        assert!(!covers("application/*", "applicationjson"));
    }
}
