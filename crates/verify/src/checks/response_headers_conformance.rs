//! `response_headers_conformance`: the headers the answer's status requires are there, and
//! each fits its schema.

use cartwright_http::{Finding, Kind};
use cartwright_outcome::Check;

use super::Check as Name;

/// The failure for the header findings of an answer.
pub(super) fn failed(found: &[&Finding]) -> Check {
    let mut missing = Vec::new();
    let mut unfit = Vec::new();
    for f in found {
        match &f.kind {
            Kind::MissingHeader(h) => missing.push(h.as_str()),
            _ => unfit.push(f.message.as_str()),
        }
    }
    let mut actual = Vec::new();
    if !missing.is_empty() {
        actual.push(format!("missing {}", missing.join(", ")));
    }
    actual.extend(unfit.into_iter().map(str::to_owned));
    Check::fail(
        Name::ResponseHeadersConformance,
        "the required headers",
        actual.join("; "),
    )
}
