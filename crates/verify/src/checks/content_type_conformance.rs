//! `content_type_conformance`: the answer's media type is one its status declares.

use cartwright_http::Answer;
use cartwright_model::Operation;
use cartwright_outcome::Check;

use super::Check as Name;

/// The failure for an answer of an undeclared media type.
pub(super) fn failed(op: &Operation, a: &Answer) -> Check {
    let ct = a.media_type();
    let declared: Vec<&str> = op
        .response_for(a.status)
        .map(|r| r.content.iter().map(|m| m.media_type.as_str()).collect())
        .unwrap_or_default();
    Check::fail(
        Name::ContentTypeConformance,
        declared.join(", "),
        if ct.is_empty() { "none".to_owned() } else { ct },
    )
}
