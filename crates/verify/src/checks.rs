//! The named response checks, each judging one answer to one operation. Names are stable:
//! reports and `--checks` use them.

use cartwright_model::Operation;
use cartwright_outcome::Check;
use cartwright_scenario::answer::Answer;

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
];

/// Runs the selected checks (`None`: all) on an answer.
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
    let Some(resp) = op.response_for(a.status) else {
        if on("status_code_conformance") {
            let declared: Vec<String> = op
                .responses
                .iter()
                .map(|r| format!("{:?}", r.status))
                .collect();
            out.push(Check::fail(
                "status_code_conformance",
                format!("one of {}", declared.join(", ")),
                a.status.to_string(),
            ));
        }
        return out;
    };
    if on("status_code_conformance") {
        out.push(Check::pass("status_code_conformance"));
    }
    if on("response_headers_conformance") {
        let missing: Vec<&str> = resp
            .headers
            .iter()
            .filter(|h| h.required && a.header(&h.name).is_none())
            .map(|h| h.name.as_str())
            .collect();
        out.push(if missing.is_empty() {
            Check::pass("response_headers_conformance")
        } else {
            Check::fail(
                "response_headers_conformance",
                "the required headers",
                format!("missing {}", missing.join(", ")),
            )
        });
    }
    if resp.content.is_empty() || a.body.is_empty() || a.status == 204 {
        return out;
    }
    let ct = a
        .header("content-type")
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let media = resp.content.iter().find(|m| {
        m.media_type == ct
            || m.media_type == "*/*"
            || (m.media_type.ends_with("/*") && ct.starts_with(m.media_type.trim_end_matches('*')))
    });
    if on("content_type_conformance") {
        out.push(match media {
            Some(_) => Check::pass("content_type_conformance"),
            None => Check::fail(
                "content_type_conformance",
                resp.content
                    .iter()
                    .map(|m| m.media_type.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                if ct.is_empty() {
                    "none".to_owned()
                } else {
                    ct.clone()
                },
            ),
        });
    }
    if on("response_schema_conformance")
        && let Some(schema) = media.and_then(|m| m.schema.as_ref())
        && ct.contains("json")
    {
        out.push(match &a.json {
            None => Check::fail(
                "response_schema_conformance",
                "a JSON body",
                "a body that is not JSON",
            ),
            Some(body) => {
                let v = schema.violations(body);
                if v.is_empty() {
                    Check::pass("response_schema_conformance")
                } else {
                    let detail: Vec<String> = v
                        .iter()
                        .take(10)
                        .map(|x| format!("{} at `{}` (schema {})", x.message, x.instance, x.schema))
                        .collect();
                    Check::fail(
                        "response_schema_conformance",
                        "a body the schema accepts",
                        format!("{} violation(s)", v.len()),
                    )
                    .with_detail(detail.join("\n"))
                }
            }
        });
    }
    out
}
