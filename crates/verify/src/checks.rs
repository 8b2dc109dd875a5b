//! The named response checks, each judging one answer to one operation. Names are stable:
//! reports and `--checks` use them. The contract checks read the findings of
//! `cartwright_http::judge`, the same judgement scenario steps read.

use cartwright_http::{Answer, Aspect, Finding, Kind, judge};
use cartwright_model::Operation;
use cartwright_outcome::Check;

/// Every check there is, in the order they run (`--checks all`).
pub const ALL: &[&str] = &[
    "not_a_server_error",
    "negative_data_rejection",
    "positive_data_acceptance",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "max_response_time",
    "ignored_auth",
    "use_after_revoke",
    "cross_session_isolation",
    "path_encoding",
    "correlation_id_echo",
    "idempotent_retry",
    "ensure_resource_availability",
    "use_after_free",
];

/// The checks run when none are named. `positive_data_acceptance` is left out, as in
/// Schemathesis: storefront APIs answer valid data with 400 for business reasons (an empty
/// selection, a country the store does not ship to, a wrong password), which the check
/// cannot tell from a validation refusal. `max_response_time` runs whenever a limit is set.
pub const DEFAULT: &[&str] = &[
    "not_a_server_error",
    "negative_data_rejection",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "max_response_time",
    "ignored_auth",
    "use_after_revoke",
    "cross_session_isolation",
    "path_encoding",
    "correlation_id_echo",
    "idempotent_retry",
    "ensure_resource_availability",
    "use_after_free",
];

/// Runs the selected checks (`None`: all) on an answer. Everything but
/// `not_a_server_error` reads [`cartwright_http::judge`]: a check runs when its aspect of
/// the contract was judged, and fails on that aspect's findings.
pub fn run(op: &Operation, a: &Answer, selected: Option<&[String]>) -> Vec<Check> {
    let on = |name: &str| selected.is_none_or(|s| s.iter().any(|x| x == name));
    let mut out = Vec::new();
    if on("not_a_server_error") {
        out.push(if a.status >= 500 {
            Check::fail(
                "not_a_server_error",
                "a status below 500",
                a.status.to_string(),
            )
        } else {
            Check::pass("not_a_server_error")
        });
    }
    let judged = judge(op, a);
    for &aspect in &judged.judged {
        let name = match aspect {
            Aspect::Status => "status_code_conformance",
            Aspect::Headers => "response_headers_conformance",
            Aspect::ContentType => "content_type_conformance",
            Aspect::Schema => "response_schema_conformance",
        };
        if !on(name) {
            continue;
        }
        let found: Vec<&Finding> = judged.of(aspect).collect();
        out.push(if found.is_empty() {
            Check::pass(name)
        } else {
            failed(name, op, a, &found)
        });
    }
    out
}

/// The failed check `name` for the findings of its aspect.
fn failed(name: &'static str, op: &Operation, a: &Answer, found: &[&Finding]) -> Check {
    match name {
        "status_code_conformance" => {
            let declared: Vec<String> = op
                .responses
                .iter()
                .map(|r| format!("{:?}", r.status))
                .collect();
            Check::fail(
                name,
                format!("one of {}", declared.join(", ")),
                a.status.to_string(),
            )
        }
        "response_headers_conformance" => {
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
            Check::fail(name, "the required headers", actual.join("; "))
        }
        "content_type_conformance" => {
            let ct = a.media_type();
            let declared: Vec<&str> = op
                .response_for(a.status)
                .map(|r| r.content.iter().map(|m| m.media_type.as_str()).collect())
                .unwrap_or_default();
            Check::fail(
                name,
                declared.join(", "),
                if ct.is_empty() { "none".to_owned() } else { ct },
            )
        }
        _ if found.iter().any(|f| f.kind == Kind::NotJson) => {
            Check::fail(name, "a JSON body", "a body that is not JSON")
        }
        _ => {
            let detail: Vec<String> = found
                .iter()
                .take(10)
                .filter_map(|f| match &f.kind {
                    Kind::SchemaViolation { reason, schema } => Some(format!(
                        "{reason} at `{}` (schema {schema})",
                        f.pointer.as_deref().unwrap_or("")
                    )),
                    _ => None,
                })
                .collect();
            Check::fail(
                name,
                "a body the schema accepts",
                format!("{} violation(s)", found.len()),
            )
            .with_detail(detail.join("\n"))
        }
    }
}
