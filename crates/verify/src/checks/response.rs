//! The response checks, run on every answer to a request the phases build. The contract
//! checks read the findings of `cartwright_http::judge`, the same judgement scenario steps
//! read.

use cartwright_http::{Answer, Aspect, Finding, judge};
use cartwright_model::Operation;
use cartwright_outcome::Check;

use super::Check as Name;
use super::{
    content_type_conformance, not_a_server_error, response_headers_conformance,
    response_schema_conformance, status_code_conformance,
};

/// Runs the selected checks (`None`: all) on an answer. Everything but
/// `not_a_server_error` reads [`cartwright_http::judge`]: a check runs when its aspect of
/// the contract was judged, and fails on that aspect's findings.
pub fn run(op: &Operation, a: &Answer, selected: Option<&[Name]>) -> Vec<Check> {
    let on = |name: Name| selected.is_none_or(|s| s.contains(&name));
    let mut out = Vec::new();
    if on(Name::NotAServerError) {
        out.push(not_a_server_error(a.status));
    }
    let judged = judge(op, a);
    for &aspect in &judged.judged {
        let name = match aspect {
            Aspect::Status => Name::StatusCodeConformance,
            Aspect::Headers => Name::ResponseHeadersConformance,
            Aspect::ContentType => Name::ContentTypeConformance,
            Aspect::Schema => Name::ResponseSchemaConformance,
        };
        if !on(name) {
            continue;
        }
        let found: Vec<&Finding> = judged.of(aspect).collect();
        out.push(match aspect {
            _ if found.is_empty() => Check::pass(name),
            Aspect::Status => status_code_conformance::failed(op, a),
            Aspect::Headers => response_headers_conformance::failed(&found),
            Aspect::ContentType => content_type_conformance::failed(op, a),
            Aspect::Schema => response_schema_conformance::failed(&found),
        });
    }
    out
}
