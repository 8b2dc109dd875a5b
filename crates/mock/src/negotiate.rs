//! Media-type matching: `Content-Type` against declared request media types, `Accept`
//! against declared response media types, and the `Prefer` header. Range matching itself
//! is `cartwright_model::media`, shared with the contract judgement of answers.

pub(crate) use cartwright_model::media::{covers, essence};

/// The declared request media type that a `Content-Type` selects: exact first, then ranges.
pub(crate) fn request_media<'a>(
    declared: impl Iterator<Item = &'a str> + Clone,
    content_type: &str,
) -> Option<&'a str> {
    let ct = essence(content_type);
    declared
        .clone()
        .find(|d| essence(d) == ct)
        .or_else(|| declared.into_iter().find(|d| covers(d, &ct)))
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

/// Preferences from `Prefer: code=404, example=name, dynamic=true, seed=7`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Prefer {
    /// A status to answer with.
    pub code: Option<u16>,
    /// A named example to answer with.
    pub example: Option<String>,
    /// Generate values instead of using examples.
    pub dynamic: Option<bool>,
    /// Seed for generated values.
    pub seed: Option<u64>,
}

/// Parses the `Prefer` header; unknown preferences are ignored, as RFC 7240 asks.
pub(crate) fn prefer(header: Option<&str>) -> Prefer {
    let mut p = Prefer::default();
    for item in header.into_iter().flat_map(|h| h.split([',', ';'])) {
        let Some((k, v)) = item.split_once('=') else {
            continue;
        };
        let v = v.trim().trim_matches('"');
        match k.trim().to_ascii_lowercase().as_str() {
            "code" => p.code = v.parse().ok(),
            "example" => p.example = Some(v.to_owned()),
            "dynamic" => p.dynamic = v.parse().ok(),
            "seed" => p.seed = v.parse().ok(),
            _ => {}
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn prefer_header() {
        let p = prefer(Some("code=404, example=missing, dynamic=true, seed=7"));
        assert_eq!(
            p,
            Prefer {
                code: Some(404),
                example: Some("missing".into()),
                dynamic: Some(true),
                seed: Some(7)
            }
        );
        assert_eq!(prefer(Some("respond-async")), Prefer::default());
    }
}
