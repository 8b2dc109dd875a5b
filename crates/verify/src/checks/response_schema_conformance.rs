//! `response_schema_conformance`: the body is JSON that the answer's schema accepts.

use cartwright_http::{Finding, Kind};
use cartwright_outcome::Check;

use super::Check as Name;

/// The failure for the schema findings of an answer; the first ten violations as detail.
pub(super) fn failed(found: &[&Finding]) -> Check {
    let name = Name::ResponseSchemaConformance;
    if found.iter().any(|f| f.kind == Kind::NotJson) {
        return Check::fail(name, "a JSON body", "a body that is not JSON");
    }
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
