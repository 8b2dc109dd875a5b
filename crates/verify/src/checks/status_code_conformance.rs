//! `status_code_conformance`: the status is one the operation declares.

use cartwright_http::Answer;
use cartwright_model::{Operation, StatusKey};
use cartwright_outcome::Check;

use super::Check as Name;

/// The failure for an answer whose status the operation does not declare.
pub(super) fn failed(op: &Operation, a: &Answer) -> Check {
    let declared: Vec<String> = op.responses.iter().map(|r| key(r.status)).collect();
    Check::fail(
        Name::StatusCodeConformance,
        format!("one of {}", declared.join(", ")),
        a.status.to_string(),
    )
}

/// A status key as the spec writes it: `200`, `4XX`, `default`.
pub(crate) fn key(k: StatusKey) -> String {
    match k {
        StatusKey::Code(c) => c.to_string(),
        StatusKey::Range(d) => format!("{d}XX"),
        StatusKey::Default => "default".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_keys_read_as_the_spec_writes_them() {
        let keys = [
            StatusKey::Code(200),
            StatusKey::Range(4),
            StatusKey::Default,
        ];
        let text: Vec<String> = keys.into_iter().map(key).collect();
        assert_eq!(text, ["200", "4XX", "default"]);
    }
}
