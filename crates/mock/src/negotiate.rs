//! Media-type matching: `Content-Type` against declared request media types, `Accept`
//! against declared response media types; the `Prefer` header is read in
//! [`crate::prefer`]. Range matching itself
//! is `cartwright_model::media`, shared with the contract judgement of answers.

pub(crate) use crate::prefer::{Prefer, prefer};
pub(crate) use cartwright_model::media::{covers, essence};

/// Whether a `Content-Type` (in any case, parameters aside) is one read as JSON:
/// `application/json` or a `+json` type. Compared in place, without the lower-cased copy
/// [`essence`] makes: it is asked on every request with a body.
pub(crate) fn is_json(content_type: &str) -> bool {
    let ct = bare(content_type).as_bytes();
    ct.eq_ignore_ascii_case(b"application/json")
        || ct.len() >= 5 && ct[ct.len() - 5..].eq_ignore_ascii_case(b"+json")
}

/// The declared request media type that a `Content-Type` selects: exact first, then ranges.
pub(crate) fn request_media<'a>(
    declared: impl Iterator<Item = &'a str> + Clone,
    content_type: &str,
) -> Option<&'a str> {
    declared
        .clone()
        .find(|d| same_essence(d, content_type))
        .or_else(|| {
            let ct = essence(content_type);
            declared.into_iter().find(|d| covers(d, &ct))
        })
}

/// Whether two media types have the same essence (type and subtype, without parameters or
/// case), compared in place: the exact match is the common case, and it allocates nothing.
fn same_essence(a: &str, b: &str) -> bool {
    bare(a).eq_ignore_ascii_case(bare(b))
}

/// A media type without its parameters or the space around it, in place: asked several
/// times of every request with a body, so a byte search, not `split` and `trim`.
pub(crate) fn bare(media: &str) -> &str {
    let end = media.bytes().position(|b| b == b';').unwrap_or(media.len());
    media[..end].trim_ascii()
}

/// One `Accept` entry.
struct Accepted {
    range: String,
    q: f32,
}

fn parse_accept(accept: &str) -> Vec<Accepted> {
    accept
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|entry| {
            let mut parts = entry.split(';');
            let range = parts.next().unwrap_or("").trim().to_owned();
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            Accepted { range, q }
        })
        .collect()
}

/// Chooses among declared response media types by `Accept`. `Ok(None)` when nothing is
/// declared; `Err(())` when something is declared but nothing is acceptable (406).
pub(crate) fn response_media<'a>(
    declared: &[&'a str],
    accept: Option<&str>,
) -> Result<Option<&'a str>, ()> {
    let Some(first) = declared.first() else {
        return Ok(None);
    };
    let Some(accept) = accept.filter(|a| !a.trim().is_empty()) else {
        return Ok(Some(first));
    };
    let mut ranges = parse_accept(accept);
    ranges.retain(|a| a.q > 0.0);
    ranges.sort_by(|a, b| b.q.total_cmp(&a.q));
    for a in &ranges {
        // A declared concrete type the client accepts; a declared range (`*/*`) accepts anything.
        if let Some(d) = declared
            .iter()
            .find(|d| covers(&a.range, d) || covers(d, &a.range))
        {
            return Ok(Some(d));
        }
    }
    Err(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_types_in_any_case_with_parameters() {
        for yes in [
            "application/json",
            "Application/JSON; charset=utf-8",
            "application/vnd.api+json",
            " application/problem+JSON ",
        ] {
            assert!(is_json(yes), "{yes}");
        }
        for no in [
            "",
            "text/plain",
            "application/jsonl",
            "json",
            "application/x-json+xml",
        ] {
            assert!(!is_json(no), "{no}");
        }
    }

    #[test]
    fn bare_media_types_lose_parameters_and_space_only() {
        assert_eq!(
            bare(" Application/JSON ; charset=utf-8"),
            "Application/JSON"
        );
        assert_eq!(bare("text/plain;a=b;c=d"), "text/plain");
        assert_eq!(bare("\tmultipart/form-data\t"), "multipart/form-data");
        assert_eq!(bare(";x"), "");
        assert_eq!(bare(""), "");
    }

    #[test]
    fn accept_negotiation() {
        let declared = ["application/json", "application/xml"];
        assert_eq!(
            response_media(&declared, None),
            Ok(Some("application/json"))
        );
        assert_eq!(
            response_media(&declared, Some("application/xml")),
            Ok(Some("application/xml"))
        );
        assert_eq!(
            response_media(&declared, Some("text/html;q=0.9, application/*;q=0.5")),
            Ok(Some("application/json"))
        );
        assert_eq!(
            response_media(&declared, Some("*/*; api-token=abc")),
            Ok(Some("application/json"))
        );
        assert_eq!(response_media(&declared, Some("text/html")), Err(()));
        assert_eq!(response_media(&["*/*"], Some("text/html")), Ok(Some("*/*")));
        assert_eq!(response_media(&[], Some("text/html")), Ok(None));
    }

    #[test]
    fn content_type_matching_prefers_exact() {
        let declared = ["application/*", "application/json"];
        assert_eq!(
            request_media(declared.iter().copied(), "application/json; charset=utf-8"),
            Some("application/json")
        );
        assert_eq!(
            request_media(declared.iter().copied(), "application/xml"),
            Some("application/*")
        );
        assert_eq!(request_media(declared.iter().copied(), "text/plain"), None);
    }
}
